"""The member pages generated from the policy, as Markdown, per locale.

One function, :func:`generate_pages`, decides every page the site has and
what goes on it; the MkDocs plugin only hands its output to MkDocs, and
:func:`otokui.site.build.build_site` uses the same list to tell the checker
what each built page is.

Disclosure rules live here, in one place:

- hidden ranks are never listed, and get no announcement page;
- surprise benefits (``surprise: true``) are never listed on any page;
- in surprise mode no threshold is written (``wording.threshold_text``
  refuses to), and ranks are described as *selected*, not *reached*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from otokui.placeholders import PlaceholderError, substitute
from otokui.policy.model import Benefit, Policy, Rank
from otokui.site import wording
from otokui.site.markup import environment, md_escape, md_link
from otokui.site.wording import ui

# Page kinds, as in otokui.artifacts.Context.kind.
HOME, BENEFITS, RANKS, RANK, NOTICES, FAQ = "home", "benefits", "ranks", "rank", "notices", "faq"
SEVERITY_CLASS = {"info": "info", "caution": "warning", "important": "danger"}


@dataclass(frozen=True)
class GeneratedPage:
    """One Markdown page made from the policy."""

    src_uri: str  # e.g. "ranks/gold.md"
    kind: str
    markdown: str
    nav_title: str | None = None  # None: reachable by links, not in the navigation
    rank: str | None = None

    @property
    def html_uri(self) -> str:
        return self.src_uri.removesuffix(".md") + ".html"


def text(value: str) -> Markup:
    """Plain text made safe for Markdown and HTML, for joining with links."""
    return Markup.escape(md_escape(value))


def anchor(identifier: str) -> Markup:
    """An ``{: #id }`` attribute from a policy id (ids are ``[a-z][a-z0-9_]*``)."""
    return Markup(identifier.replace("_", "-"))


def listed_ranks(policy: Policy) -> list[Rank]:
    return [rank for rank in policy.membership.ranks if not rank.hidden]


def public_benefits(policy: Policy, rank: Rank) -> list[Benefit]:
    return [benefit for benefit in policy.rank_benefits(rank) if not benefit.surprise]


def announced_ranks(policy: Policy) -> list[Rank]:
    """Ranks with an announcement page: listed ranks above the base rank everyone starts in."""
    base = policy.membership.ranks[0]
    return [rank for rank in listed_ranks(policy) if rank is not base]


def announcement_heading(policy: Policy, rank: Rank, locale: str) -> str:
    """The rank-up mail's heading (``{rank}``/``{shop}`` filled), or a default that says *selected*."""
    name = rank.name.get(locale)
    rank_up = policy.emails.rank_up
    if rank_up is not None and rank_up.heading is not None:
        try:
            return substitute(rank_up.heading.get(locale), {"rank": name, "shop": policy.shop.name.get(locale)})
        except PlaceholderError:
            pass  # a placeholder only an email can fill ({name}, {order_id})
    return ui(policy, locale, "site_announce_default", rank=name)


def _rank_view(policy: Policy, rank: Rank, locale: str, published: bool) -> dict[str, Any]:
    announced = rank in announced_ranks(policy)
    retain = None
    if published and rank.retain is not None and (rank.retain.spend or rank.retain.orders):
        retain = wording.threshold_text(policy, rank.retain, locale)
    return {
        "id": anchor(rank.id),
        "name": rank.name.get(locale),
        "condition": wording.rank_condition(policy, rank, locale) if published else None,
        "retain": retain,
        "benefits": [_benefit_view(b, locale) for b in public_benefits(policy, rank)],
        "has_surprise": any(b.surprise for b in policy.rank_benefits(rank)),
        "announcement": md_link(ui(policy, locale, "site_rank_more", rank=rank.name.get(locale)), f"ranks/{rank.id}.md")
        if announced
        else None,
    }


def _benefit_view(benefit: Benefit, locale: str) -> dict[str, Any]:
    return {"id": anchor(benefit.id), "name": benefit.name.get(locale), "description": benefit.description.get(locale)}


def _contact_lines(policy: Policy, locale: str) -> list[Markup]:
    contact = policy.shop.contact
    lines = [md_link(contact.email, f"mailto:{contact.email}")]
    if contact.phone:
        lines.append(text(contact.phone))
    if contact.inquiry_url:
        lines.append(md_link(ui(policy, locale, "contact_form"), contact.inquiry_url))
    if contact.hours:
        lines.append(text(contact.hours.get(locale)))
    return lines


def _signup_items(policy: Policy, locale: str) -> list[str]:
    signup = policy.membership.enrollment.signup_benefits
    items: list[str] = []
    if signup.saved_address:
        items.append(ui(policy, locale, "site_saved_address"))
    if signup.first_order_coupon is not None:
        items.append(wording.coupon_text(policy, signup.first_order_coupon, locale))
    if signup.newsletter_opt_in:
        items.append(ui(policy, locale, "site_newsletter"))
    return items


def fill_markup(template: str, **values: Markup) -> Markup:
    """A catalogue sentence with Markup (links) in its ``{name}`` slots and its own words escaped."""
    out = Markup("")
    for index, part in enumerate(re.split(r"\{([a-z_]+)\}", template)):
        out += values[part] if index % 2 and part in values else text(part if index % 2 == 0 else "{" + part + "}")
    return out


def _faq(policy: Policy, locale: str, published: bool) -> list[tuple[Markup, str, Markup]]:
    """Questions and answers: (anchor, question, answer)."""

    def t(key: str, **values: str | int) -> str:
        return ui(policy, locale, key, **values)

    colon = t("colon")
    gap = Markup(t("sentence_sep"))
    qa: list[tuple[Markup, str, Markup]] = [
        (
            anchor("guest"),
            t("faq_guest"),
            text(wording.sentences(policy, locale, t("faq_guest_yes"), t("site_guest_body"))),
        ),
        (
            anchor("membership"),
            t("faq_membership"),
            Markup("\n").join([Markup("- ") + text(item) for item in _signup_items(policy, locale)])
            + Markup("\n\n")
            + md_link(t("site_see_benefits"), "benefits.md"),
        ),
    ]
    if published:
        lines = [text(wording.counting_text(policy, locale))]
        for rank in listed_ranks(policy):
            lines.append(text(f"{rank.name.get(locale)}{colon}{wording.rank_condition(policy, rank, locale)}"))
        decided = Markup("<br>\n").join(lines)
    else:
        decided = text(t("site_selected_body", window=wording.window_text(policy, locale)))
    qa += [
        (anchor("ranks"), t("faq_ranks"), decided + Markup("\n\n") + md_link(t("site_see_ranks"), "ranks.md")),
        (anchor("review"), t("faq_review"), text(wording.schedule_text(policy, locale))),
        (anchor("downgrade"), t("faq_downgrade"), text(wording.downgrade_text(policy, locale))),
    ]
    points = [
        (rank, benefit)
        for rank in listed_ranks(policy)
        for benefit in public_benefits(policy, rank)
        if benefit.type == "point_rate"
    ]
    if points:
        lines = [text(points[0][1].description.get(locale))]
        lines += [text(f"{rank.name.get(locale)}{colon}{benefit.name.get(locale)}") for rank, benefit in points]
        qa.append((anchor("points"), t("faq_points"), Markup("<br>\n").join(lines)))
    contact = policy.shop.contact
    form = md_link(t("faq_inquiry_form"), contact.inquiry_url) if contact.inquiry_url else None
    mail = md_link(contact.email, f"mailto:{contact.email}")
    leave_url = policy.membership.enrollment.cancel_url
    if leave_url:
        form = md_link(t("faq_leave_page"), leave_url)
    channels = (
        fill_markup(t("faq_cancel_form_or_mail"), form=form, mail=mail)
        if form
        else fill_markup(t("faq_cancel_mail"), mail=mail)
    )
    cancel = fill_markup(t("faq_cancel_answer"), channels=channels)
    if policy.legal.unsubscribe_url:
        link = md_link(t("faq_email_preferences"), policy.legal.unsubscribe_url)
        cancel += gap + fill_markup(t("faq_newsletter_stop"), link=link)
    qa.append((anchor("cancel"), t("faq_cancel"), cancel))
    qa.append((anchor("contact"), t("site_contact"), Markup("<br>\n").join(_contact_lines(policy, locale))))
    return qa


def generate_pages(policy: Policy, locale: str) -> list[GeneratedPage]:
    """Every generated page of the site in ``locale``, in navigation order."""
    env = environment()
    published = not policy.surprise
    shop = policy.shop.name.get(locale)
    enrollment = policy.membership.enrollment
    ranks = [_rank_view(policy, rank, locale, published) for rank in listed_ranks(policy)]
    page_notices = [n for n in policy.notices if "page" in n.show_in]

    def t(key: str, **values: str | int) -> str:
        return ui(policy, locale, key, **values)

    common: dict[str, Any] = {"t": t, "locale": locale, "shop": shop, "published": published, "ranks": ranks}

    def render(name: str, **values: Any) -> str:
        return env.get_template(name).render(**common, **values)

    invite = t("site_invite_only") if enrollment.mode == "invite_only" else t("site_invite_after")
    pages = [
        GeneratedPage(
            "index.md",
            HOME,
            render("home.md", contact=_contact_lines(policy, locale), has_notices=bool(page_notices)),
            t("site_home"),
        ),
        GeneratedPage(
            "benefits.md",
            BENEFITS,
            render(
                "benefits.md",
                guest=wording.sentences(
                    policy,
                    locale,
                    t("site_guest_body"),
                    invite if enrollment.invite_after_purchase or enrollment.mode == "invite_only" else "",
                ),
                signup=_signup_items(policy, locale),
            ),
            t("site_benefits"),
        ),
        GeneratedPage(
            "ranks.md",
            RANKS,
            render(
                "ranks.md",
                counting=wording.counting_text(policy, locale),
                selected=t("site_selected_body", window=wording.window_text(policy, locale)),
                review=wording.sentences(
                    policy, locale, wording.schedule_text(policy, locale), wording.downgrade_text(policy, locale)
                ),
            ),
            t("site_ranks"),
        ),
    ]
    owner = policy.shop.brand.owner
    signature = (owner.signature or owner.name).get(locale) if owner is not None else None
    for rank in announced_ranks(policy):
        view = _rank_view(policy, rank, locale, published)
        pages.append(
            GeneratedPage(
                f"ranks/{rank.id}.md",
                RANK,
                render(
                    "rank.md",
                    heading=announcement_heading(policy, rank, locale),
                    message=rank.message.get(locale) if rank.message is not None else None,
                    rank=view,
                    signature=signature,
                ),
                None,
                rank.id,
            )
        )
    notices = [
        {
            "id": anchor(n.id),
            "severity": Markup(SEVERITY_CLASS[n.severity]),
            "title": n.title.get(locale),
            "message": n.message.get(locale),
            "scope": wording.notice_scope(policy, n, locale),
        }
        for n in page_notices
    ]
    pages.append(GeneratedPage("notices.md", NOTICES, render("notices.md", notices=notices), t("site_notices")))
    pages.append(GeneratedPage("faq.md", FAQ, render("faq.md", faq=_faq(policy, locale, published)), t("site_faq")))
    return pages
