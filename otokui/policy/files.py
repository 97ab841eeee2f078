"""The files a policy names beside itself (the logo, the owner's photo and signature), checked and resolved.

Each file is checked where rules.yaml names it (:func:`otokui.images.problem`: inside the folder of
rules.yaml, an image, not too large), so a typo is reported at its line with "did you mean"; the Policy
the loader returns names each file by its absolute path (:func:`resolved`), so the renderers need not
know where rules.yaml was.
"""

from __future__ import annotations

from pathlib import Path

from otokui import images
from otokui.policy.model import Policy
from otokui.policy.source import KeyPath

Found = list[tuple[KeyPath, str]]


def named(policy: Policy) -> list[tuple[KeyPath, str]]:
    """Every image file the policy names, with its key."""
    brand = policy.shop.brand
    out: list[tuple[KeyPath, str]] = []
    if brand.logo_file:
        out.append((("shop", "brand", "logo_file"), brand.logo_file))
    owner = brand.owner
    if owner is not None:
        for key in ("photo_file", "signature_file"):
            value = getattr(owner, key)
            if value:
                out.append((("shop", "brand", "owner", key), value))
    return out


def check(policy: Policy, base: Path) -> Found:
    """Each named file that cannot be used, and why."""
    found: Found = []
    for path, name in named(policy):
        message = images.problem(base, name)
        if message:
            found.append((path, message))
    return found


def resolved(policy: Policy, base: Path) -> Policy:
    """``policy`` with each named file given by its absolute path."""
    brand = policy.shop.brand
    if not named(policy):
        return policy
    update: dict[str, object] = {}
    if brand.logo_file:
        update["logo_file"] = str(images.resolve(base, brand.logo_file))
    owner = brand.owner
    if owner is not None and (owner.photo_file or owner.signature_file):
        owner = owner.model_copy(
            update={
                key: str(images.resolve(base, value))
                for key in ("photo_file", "signature_file")
                if (value := getattr(owner, key))
            }
        )
        update["owner"] = owner
    shop = policy.shop.model_copy(update={"brand": brand.model_copy(update=update)})
    return policy.model_copy(update={"shop": shop})
