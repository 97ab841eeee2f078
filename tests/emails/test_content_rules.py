"""Customer-first content rules (guidelines 1-5, 7) on every rendered variant."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from otokui.emails import RenderedEmail
from otokui.i18n.catalogue import catalogue, keys
from otokui.lint.phrases import PhraseBook
from otokui.policy.model import Policy
from tests.emails.conftest import policy_data, visible

#: The checker's own phrase lists (otokui/lint/data/phrases/<locale>/<list>.yaml), read as the checker reads them.
BOOK = PhraseBook()


def hits(text: str, locale: str, *lists: str) -> list[str]:
    """What the checker's phrase lists ``lists`` find in ``text``."""
    return [text[m.start : m.end] for name in lists for m in BOOK.search(name, locale, text)]


def test_first_purchase_mails_never_presume_patronage(rendered: list[RenderedEmail]) -> None:
    firsts = [e for e in rendered if e.variant.tier == "first"]
    assert firsts
    for email in firsts:
        for part in visible(email):
            found = hits(part, email.variant.locale, "presumes_patronage")
            assert not found, f"{email.variant.stem}: {found}"


def test_repeat_tiers_never_say_first_order(rendered: list[RenderedEmail]) -> None:
    for email in (e for e in rendered if e.variant.tier != "first"):
        for part in visible(email):
            found = hits(part, email.variant.locale, "first_order")
            assert not found, f"{email.variant.stem}: {found}"


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_fixed_labels_suit_every_tier_and_never_hurry(locale: str) -> None:
    labels = catalogue(locale)
    for key in keys():
        text = labels[key]
        banned = ("presumes_patronage", "first_order", "pressure", "confirmshaming", "social_proof")
        assert not hits(text, locale, *banned), key


def test_tiers_produce_different_messages(rendered: list[RenderedEmail]) -> None:
    groups: dict[tuple[str, str, str], dict[str, str]] = {}
    for email in rendered:
        key = (email.variant.kind, email.variant.locale, email.variant.name.replace(email.variant.tier, "*"))
        groups.setdefault(key, {})[email.variant.tier] = email.text
    for key, by_tier in groups.items():
        assert len(by_tier) == 3 and len(set(by_tier.values())) == 3, key


def test_no_pressure_in_relationship_or_marketing_mails(rendered: list[RenderedEmail]) -> None:
    for email in (e for e in rendered if e.variant.category != "transactional"):
        for part in visible(email):
            found = hits(part, email.variant.locale, "pressure", "confirmshaming", "social_proof")
            assert not found, f"{email.variant.stem}: {found}"


def test_sign_up_invitation_never_in_order_confirmation(policy: Policy, rendered: list[RenderedEmail]) -> None:
    offer = {loc: catalogue(loc)["offer_text"] for loc in ("ja", "en")}
    for email in rendered:
        invited = offer[email.variant.locale] in email.text
        if email.variant.kind == "order_confirmation":
            assert not invited, email.variant.stem
        if email.variant.kind == "thanks_review":
            assert invited == (not email.variant.member), email.variant.stem


def test_membership_invite_is_honest(policy: Policy, rendered: list[RenderedEmail]) -> None:
    surprise = [b for b in policy.membership.benefits if b.surprise]
    assert surprise
    for email in (e for e in rendered if e.variant.kind == "membership_invite"):
        locale = email.variant.locale
        for benefit in surprise:
            assert benefit.name.get(locale) not in email.text, (email.variant.stem, benefit.id)
        assert catalogue(locale)["offer_newsletter"] in email.text  # opt-in, box starts unticked
        assert catalogue(locale)["offer_coupon_next"].split("{")[0] in email.text  # usable on the next order


def test_surprise_benefits_only_in_the_rank_up_mail_of_a_rank_that_has_them(
    policy: Policy, rendered: list[RenderedEmail]
) -> None:
    for email in rendered:
        locale = email.variant.locale
        rank = next((r for r in policy.membership.ranks if r.id == email.variant.rank), None)
        own = set(rank.benefits) if rank else set()
        for benefit in (b for b in policy.membership.benefits if b.surprise):
            shown = benefit.name.get(locale) in email.text
            if shown:
                assert email.variant.kind == "rank_up" and benefit.id in own, (email.variant.stem, benefit.id)


def threshold_strings(policy: Policy) -> list[str]:
    out = []
    for rank in policy.membership.ranks:
        for value in (rank.threshold.spend, rank.threshold.orders):
            if value:
                out += [f"{value:,}", str(value)] if value >= 1000 else []
    return out


def test_surprise_mode_never_shows_a_threshold(policy: Policy, rendered: list[RenderedEmail]) -> None:
    assert policy.surprise
    amounts = threshold_strings(policy)
    assert "20,000" in amounts
    for email in rendered:
        for part in visible(email):
            assert not [a for a in amounts if a in part], email.variant.stem
            assert not re.search(r"あと\s*[0-9０-９,]|more to reach|to the next rank", part), email.variant.stem


def test_rank_up_says_selected_in_surprise_mode(rendered: list[RenderedEmail]) -> None:
    for email in (e for e in rendered if e.variant.kind == "rank_up"):
        expected = {"ja": "お選びしました", "en": "We have selected you"}[email.variant.locale]
        assert expected in email.text


def test_published_mode_shows_the_rule_and_progress(
    render_with: Callable[[dict[str, Any]], list[RenderedEmail]],
) -> None:
    data = policy_data()
    data["membership"]["disclosure"] = {"mode": "published", "show_progress": True}
    emails = {e.variant.stem: e for e in render_with(data)}
    silver_ja = emails["emails/rank_up/ja/silver--first"].text
    assert "シルバー会員になりました" in silver_ja
    assert "20,000円以上" in silver_ja
    assert "ゴールド会員まで、あと30,000円です" in silver_ja
    silver_en = emails["emails/rank_up/en/silver--first"].text
    assert "¥30,000 more to reach Gold" in silver_en
    # the top rank has nothing further to reach
    assert "あと" not in emails["emails/rank_up/ja/platinum--first"].text


def test_hybrid_mode_keeps_hidden_ranks_a_surprise(
    render_with: Callable[[dict[str, Any]], list[RenderedEmail]],
) -> None:
    data = policy_data()
    data["membership"]["disclosure"] = {"mode": "hybrid", "show_progress": True}
    data["membership"]["ranks"][3]["hidden"] = True
    emails = {e.variant.stem: e for e in render_with(data)}
    assert "120,000" not in emails["emails/rank_up/ja/gold--first"].text  # no progress towards a hidden rank
    platinum = emails["emails/rank_up/ja/platinum--first"].text
    assert "お選びしました" in platinum and "120,000" not in platinum
    assert "50,000円以上" in emails["emails/rank_up/ja/gold--first"].text


def test_notices_appear_exactly_where_their_condition_holds(policy: Policy, rendered: list[RenderedEmail]) -> None:
    for email in rendered:
        for notice in policy.notices:
            title = notice.title.get(email.variant.locale)
            shown = title in email.text and f'data-notice="{notice.id}"' in email.html
            assert shown == (notice.id in email.variant.notices), (email.variant.stem, notice.id)
    carried = {n for e in rendered if e.variant.kind == "order_confirmation" for n in e.variant.notices}
    assert carried == {n.id for n in policy.notices if "order_confirmation" in n.show_in}


def test_thank_you_mail_carries_review_survey_and_tier_message(policy: Policy, rendered: list[RenderedEmail]) -> None:
    email_policy = policy.emails.thanks_review
    assert email_policy is not None
    for email in (e for e in rendered if e.variant.kind == "thanks_review"):
        assert str(email_policy.review_url) in email.text and str(email_policy.survey_url) in email.text
        tier = policy.tier_for(email.variant.orders)
        assert tier.thanks.get(email.variant.locale) in email.text
