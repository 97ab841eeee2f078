"""Printable letters (A5) for shops that send their thanks on paper.

One thank-you letter per purchase-count tier and one rank letter per rank
above the base, per locale: ``letters/thanks-<tier>.<locale>.html`` and
``letters/rank-<rank>.<locale>.html``. They use the same resolved data as
the emails, so the same rules hold: a surprise rank is "selected", never
reached with an amount.
"""

from __future__ import annotations

from pathlib import Path

from otokui.artifacts import Artifact, Context
from otokui.emails.content import ContentBuilder
from otokui.emails.templates import shared
from otokui.emails.theme import theme
from otokui.emails.variants import Variant
from otokui.policy.model import Policy

LETTER_TEMPLATE = "letters/letter.html.j2"


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


def render_letters(policy: Policy, templates_dir: Path) -> list[Artifact]:
    """The printable letters, or none when the templates folder has no letter template."""
    templates = shared(templates_dir)
    if not templates.has(LETTER_TEMPLATE):
        return []
    builder, colors = ContentBuilder(policy), theme(policy)
    artifacts = []
    for stem, kind, variant in _letter_variants(policy):
        data = builder.build(variant)
        data.update(theme=colors, letter={"kind": kind}, title=data["heading"])
        html = templates.render(LETTER_TEMPLATE, data)
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
