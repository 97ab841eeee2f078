"""What a policy needs to be built at all, beyond its structure: unique ids, locales, placeholders.

Each check returns ``(path, message)`` pairs; the loader adds file, line and
column. :func:`check_raw` runs on the YAML data even when the structure is
wrong elsewhere, so a shop owner sees every mistake in one go.

Judgements the checker can make on a policy that builds (the number of
ranks, thresholds rising from rank to rank, benefits a rank names, guest
checkout, review and survey links, an unsubscribe address, a bank account for
bank transfers, the ``checks:`` section) belong to the checker's rules (OT801,
OT803, OT804, OT104, OT701, OT1201, OT603) and its configuration, not here.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from otokui.policy import safety
from otokui.policy.model import Policy
from otokui.policy.source import KeyPath
from otokui.policy.text import Text

Found = list[tuple[KeyPath, str]]

PLACEHOLDER_FIELDS = ("subject", "preheader", "heading", "intro")


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` where a close match exists, else an empty string."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _duplicates(items: Any, where: KeyPath) -> Found:
    found: Found = []
    seen: set[str] = set()
    for index, item in enumerate(_as_list(items)):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            if item["id"] in seen:
                found.append(((*where, index, "id"), f"id {item['id']!r} is used twice"))
            seen.add(item["id"])
    return found


def check_raw(data: dict[str, Any]) -> Found:
    """Cross-reference checks that tolerate a policy whose structure is still wrong."""
    membership = data.get("membership") if isinstance(data.get("membership"), dict) else {}
    assert isinstance(membership, dict)
    found = _duplicates(membership.get("benefits"), ("membership", "benefits"))
    found += _duplicates(membership.get("ranks"), ("membership", "ranks"))
    wording = data.get("wording") if isinstance(data.get("wording"), dict) else {}
    assert isinstance(wording, dict)
    found += _duplicates(wording.get("purchase_count_tiers"), ("wording", "purchase_count_tiers"))
    found += _duplicates(data.get("notices"), ("notices",))
    found += _labels(wording.get("labels"))
    return found + _placeholders(data.get("emails"))


def _texts(node: Any, path: KeyPath) -> Iterator[tuple[KeyPath, Text]]:
    """Every localised text in the policy, with its path."""
    if isinstance(node, Text):
        yield path, node
    elif isinstance(node, BaseModel):
        for name, info in type(node).model_fields.items():
            yield from _texts(getattr(node, name), (*path, info.alias or name))
    elif isinstance(node, list | tuple):
        for index, item in enumerate(node):
            yield from _texts(item, (*path, index))
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from _texts(item, (*path, str(key)))


def _locales(policy: Policy) -> Found:
    locales = list(policy.shop.locales)
    found: Found = []
    if policy.shop.default_locale not in locales:
        found.append(
            (("shop", "default_locale"), f"{policy.shop.default_locale!r} is not among shop.locales {locales}")
        )
    for path, text in _texts(policy, ()):
        if path[:2] == ("wording", "labels"):
            continue  # a label override may be written for some locales only
        for locale in text.missing(locales):
            found.append((path, f"no {locale!r} text (every text needs one per shop locale: {', '.join(locales)})"))
    return found


def _ranks(policy: Policy) -> Found:
    found: Found = []
    ranks = policy.membership.ranks
    metric = policy.membership.qualification.metric
    needs = {"spend": ("spend",), "order_count": ("orders",), "spend_and_count": ("spend", "orders")}[metric]
    for index, rank in enumerate(ranks):
        for key in needs:
            value = getattr(rank.threshold, key)
            path: KeyPath = ("membership", "ranks", index, "threshold", key)
            if value is None:
                found.append((path, f"required when qualification.metric is {metric!r}"))
                continue
            if index == 0 and value != 0:
                found.append((path, f"the lowest rank is the base level: expected 0, got {value}"))
    return found


def _letters(policy: Policy) -> Found:
    """``letter_by_tier`` names purchase-count tiers that exist."""
    tiers = [t.id for t in policy.wording.purchase_count_tiers]
    found: Found = []
    for kind, email in policy.emails.items():
        for tier in email.letter_by_tier:
            if tier not in tiers:
                found.append(
                    (
                        ("emails", kind, "letter_by_tier", tier),
                        f"no purchase-count tier {tier!r}{suggest(tier, tiers)}; tiers: {', '.join(tiers)}",
                    )
                )
    return found


def _tiers(policy: Policy) -> Found:
    found: Found = []
    expected = 1
    tiers = policy.wording.purchase_count_tiers
    for index, tier in enumerate(tiers):
        path: KeyPath = ("wording", "purchase_count_tiers", index, "min_orders")
        if tier.min_orders != expected:
            found.append(
                (path, f"tiers must cover every order count without gaps: expected {expected}, got {tier.min_orders}")
            )
        if tier.max_orders is not None and tier.max_orders < tier.min_orders:
            found.append(((*path[:-1], "max_orders"), f"below min_orders ({tier.min_orders})"))
        if tier.max_orders is None and index != len(tiers) - 1:
            found.append(((*path[:-1], "max_orders"), "only the last tier may be open-ended"))
        expected = (tier.max_orders or tier.min_orders) + 1
    if tiers and tiers[-1].max_orders is not None:
        last = len(tiers) - 1
        found.append(
            (
                ("wording", "purchase_count_tiers", last, "max_orders"),
                "the last tier must be open-ended (leave out max_orders)",
            )
        )
    return found


def _enrollment(policy: Policy) -> Found:
    found: Found = []
    coupon = policy.membership.enrollment.signup_benefits.first_order_coupon
    if coupon is not None and coupon.kind == "percent" and coupon.amount > 100:
        found.append((("membership", "enrollment", "signup_benefits", "first_order_coupon", "amount"), "above 100%"))
    return found


def _labels(labels: Any) -> Found:
    """Label overrides: known keys, placeholders the kit can fill."""
    from otokui.i18n.catalogue import check_overrides

    return check_overrides(labels)


def _placeholders(emails: Any) -> Found:
    """Placeholders in subjects, preheaders and headings that the email kind cannot fill."""
    from otokui.placeholders import PLACEHOLDERS_BY_KIND, unknown_placeholders

    found: Found = []
    if not isinstance(emails, dict):
        return found
    for kind, email in emails.items():
        if not isinstance(email, dict) or kind not in PLACEHOLDERS_BY_KIND:
            continue
        allowed = tuple(PLACEHOLDERS_BY_KIND[kind])
        choices = ", ".join("{" + a + "}" for a in allowed)
        for field in PLACEHOLDER_FIELDS:
            text = email.get(field)
            values = {locale: text for locale in ("ja", "en")} if isinstance(text, str) else text
            if not isinstance(values, dict):
                continue
            for locale, value in values.items():
                if not isinstance(value, str):
                    continue
                for name in unknown_placeholders(value, allowed):
                    path: KeyPath = (
                        ("emails", kind, field) if isinstance(text, str) else ("emails", kind, field, locale)
                    )
                    message = f"{{{name}}} cannot be filled here{suggest(name, allowed)}; available: {choices}"
                    if (path, message) not in found:
                        found.append((path, message))
    return found


def _near(locale: str, known: tuple[str, ...]) -> str:
    near = difflib.get_close_matches(locale, list(known), n=1, cutoff=0.5)
    return f" (did you mean {near[0]!r}?)" if near else ""


def check_locales(policy: Policy, known: tuple[str, ...]) -> Found:
    """The shop's locales have catalogues, and every text is written in known locales only."""
    found: Found = []
    hint = "; add locales/{0}.yaml beside rules.yaml with every label of otokui's en.yaml"
    for index, locale in enumerate(policy.shop.locales):
        if locale not in known:
            found.append(
                (
                    ("shop", "locales", index),
                    f"no catalogue for locale {locale!r}{_near(locale, known)}{hint.format(locale)}",
                )
            )
    for path, text in _texts(policy, ()):
        for locale in text.model_extra or {}:
            if locale not in known:
                found.append(((*path, locale), f"unknown locale{_near(locale, known)}; locales: {', '.join(known)}"))
    return found


def check(policy: Policy, locales: tuple[str, ...] = safety.LOCALES) -> Found:
    """Every cross-policy problem of a structurally valid policy (``locales``: every locale with a catalogue)."""
    dumped = policy.model_dump(by_alias=True)
    return [
        *check_raw(dumped),
        *safety.check(dumped, locales),
        *_locales(policy),
        *_ranks(policy),
        *_tiers(policy),
        *_letters(policy),
        *_enrollment(policy),
    ]
