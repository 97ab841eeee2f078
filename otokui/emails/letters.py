"""Printable letters for shops that send their thanks on paper.

One thank-you letter per purchase-count tier and one rank letter per rank
above the base, per locale: ``letters/thanks-<tier>.<locale>.html`` and
``letters/rank-<rank>.<locale>.html``. They use the same resolved data as
the emails, so the same rules hold: a surprise rank is "selected", never
reached with an amount.

A letter looks like a letter: the shop's logo at the head, the date, the
customer's name, the text, the owner's photo and hand-written signature,
and the shop's address block. The paper (``run.letters``: size, orientation)
and, for Japanese, ``writing: vertical`` (set top to bottom, right to left,
``writing-mode: vertical-rl``) apply to these sample letters and to the
letters ``build.py run`` prints alike (:func:`letter_data` is shared).
Images named by file are carried in the letter as ``data:`` addresses
(:func:`otokui.images.data_uri`), so it prints the same without a network.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from otokui import images
from otokui.artifacts import Artifact, Context
from otokui.emails.content import ContentBuilder
from otokui.emails.templates import Templates, shared
from otokui.emails.theme import theme
from otokui.emails.variants import Variant
from otokui.errors import BuildError
from otokui.i18n.catalogue import for_policy
from otokui.i18n.format import long_date
from otokui.placeholders import substitute
from otokui.policy.model import LetterSettings, Policy

LETTER_TEMPLATE = "letters/letter.html.j2"

#: Paper sizes in millimetres (portrait).
SIZES = {"A5": (148, 210), "A4": (210, 297), "B5": (182, 257), "B6": (128, 182), "postcard": (100, 148)}
#: Page margins in millimetres: top, sides, bottom.
MARGINS = (14, 14, 12)


def vertical(settings: LetterSettings, locale: str) -> bool:
    """Whether a letter in ``locale`` is set top to bottom (Japanese only)."""
    return settings.writing == "vertical" and locale == "ja"


def page_css(settings: LetterSettings, locale: str) -> str:
    """The paper and writing direction of a letter, as CSS."""
    width, height = SIZES[settings.size]
    if settings.orientation == "landscape":
        width, height = height, width
    top, side, bottom = MARGINS
    css = (
        f"@page {{ size: {width}mm {height}mm; margin: {top}mm {side}mm {bottom}mm; }}\n"
        f"@media screen {{ body {{ box-sizing: border-box; width: {width}mm; padding: {top}mm {side}mm; }} }}\n"
    )
    if vertical(settings, locale):
        inner = height - top - bottom
        css += (
            "html { writing-mode: vertical-rl; }\n"
            f"body {{ height: {inner}mm; max-height: {inner}mm; }}\n"
            f"@media screen {{ body {{ width: auto; height: {height}mm; max-height: none; }} }}\n"
        )
    return css


@dataclass(frozen=True)
class Images:
    """The letter's images as ``src`` values: a file's ``data:`` address, else the https address, else empty."""

    logo: str = ""
    photo: str = ""
    signature: str = ""

    @classmethod
    def of(cls, policy: Policy) -> Images:
        brand = policy.shop.brand
        owner = brand.owner

        def src(file: str | None, url: object) -> str:
            if file:
                try:
                    return images.data_uri(Path(file))
                except (OSError, ValueError) as exc:
                    raise BuildError(f"{file}: the image cannot be read ({exc})") from None
            return str(url) if url else ""

        return cls(
            logo=src(brand.logo_file, brand.logo_url),
            photo=src(owner.photo_file, owner.photo_url) if owner else "",
            signature=src(owner.signature_file, None) if owner else "",
        )


def letter_data(
    policy: Policy, data: dict[str, Any], kind: str, locale: str, day: dt.date, pictures: Images
) -> dict[str, Any]:
    """``data`` (the variant's email data) with what a letter adds: paper, date, images, address block."""
    settings = policy.run.letters
    shop, labels = policy.shop, for_policy(policy, locale)
    contact = shop.contact
    owner = shop.brand.owner
    upright = vertical(settings, locale)
    lines = [line.strip() for line in shop.address.get(locale).splitlines() if line.strip()]
    reach = [f"{labels['contact_email']}{labels['colon']}{contact.email}"]
    if contact.phone:
        reach.insert(0, f"{labels['contact_phone']}{labels['colon']}{contact.phone}")
    name, legal_name = shop.name.get(locale), shop.legal_name.get(locale)
    title = name if legal_name == name else substitute(labels["sender"], {"shop": name, "legal_name": legal_name})
    letter = {
        "kind": kind,
        "writing": "vertical" if upright else "horizontal",
        "page_css": page_css(settings, locale),
        "date": long_date(day, locale, vertical=upright, labels=labels) if settings.date else "",
        "logo": pictures.logo,
        "logo_alt": shop.name.get(locale),
        "photo": pictures.photo,
        "photo_alt": substitute(labels["owner_photo_alt"], {"owner": owner.name.get(locale)}) if owner else "",
        "signature_image": pictures.signature,
        "signature_alt": substitute(labels["owner_signature_alt"], {"owner": owner.name.get(locale)}) if owner else "",
        "sender": {
            "title": title,
            "address": lines,
            "reach": reach,
            "url": str(shop.url),
        },
    }
    return {**data, "theme": theme(policy), "letter": letter, "title": data["heading"]}


def render_letter(templates: Templates, policy: Policy, data: dict[str, Any]) -> str:
    """The letter template filled with ``data`` (from :func:`letter_data`); an older template gets the paper too."""
    html = templates.render(LETTER_TEMPLATE, data)
    css = data["letter"]["page_css"]
    if css in html:
        return html
    style = f"<style>{css}</style>"
    return html.replace("</head>", style + "</head>", 1) if "</head>" in html else style + html


def _letter_variants(policy: Policy) -> list[tuple[str, str, Variant]]:
    """(file stem, letter kind, the variant whose data the letter uses)."""
    out: list[tuple[str, str, Variant]] = []
    order = policy.samples.order
    emails = dict(policy.emails.items())
    for locale in policy.shop.locales:
        for tier in policy.wording.purchase_count_tiers:
            if "thanks_review" in emails:
                variant = Variant(
                    kind="thanks_review",
                    locale=locale,
                    name=tier.id,
                    tier=tier.id,
                    orders=tier.min_orders,
                    order=order,
                    category="relationship",
                    member=True,
                )
                out.append((f"thanks-{tier.id}", "thanks", variant))
        if "rank_up" in emails:
            top = policy.wording.purchase_count_tiers[-1]
            for rank in policy.membership.ranks[1:]:
                variant = Variant(
                    kind="rank_up",
                    locale=locale,
                    name=rank.id,
                    tier=top.id,
                    orders=top.min_orders,
                    order=order,
                    category="relationship",
                    rank=rank.id,
                    member=True,
                )
                out.append((f"rank-{rank.id}", "rank_up", variant))
    return out


def sample_day(policy: Policy) -> dt.date:
    """The date on the build's sample letters: the sample order's delivery day (the same in every build)."""
    try:
        return dt.date.fromisoformat(policy.samples.order.estimated_delivery)
    except ValueError:
        return dt.date(2026, 12, 1)


def render_letters(policy: Policy, templates_dir: Path) -> list[Artifact]:
    """The printable letters, or none when the templates folder has no letter template."""
    templates = shared(templates_dir)
    if not templates.has(LETTER_TEMPLATE):
        return []
    builder, pictures, day = ContentBuilder(policy), Images.of(policy), sample_day(policy)
    artifacts = []
    for stem, kind, variant in _letter_variants(policy):
        data = letter_data(policy, builder.build(variant), kind, variant.locale, day, pictures)
        html = render_letter(templates, policy, data)
        context = Context(
            surface="letter",
            locale=variant.locale,
            kind=kind,
            category=variant.category,
            tier=variant.tier,
            rank=variant.rank,
            disclosure=policy.membership.disclosure.mode,
            variant=stem,
        )
        artifacts.append(Artifact(f"letters/{stem}.{variant.locale}.html", html.encode("utf-8"), context))
    return artifacts
