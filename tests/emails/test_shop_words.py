"""A shop's own words reach its mails: the owner's letter per kind and tier, a title that is not the subject."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from otokui.emails import RenderedEmail
from otokui.i18n.catalogue import catalogue

from .conftest import make_policy, policy_data


def body(email: RenderedEmail) -> str:
    return email.text.split("\n", 1)[1]  # the text after the shop-name line


def test_a_kind_without_heading_never_puts_the_subject_in_the_body(
    render_with: Callable[[dict[str, Any]], list[RenderedEmail]],
) -> None:
    data = policy_data()
    for email in data["emails"].values():
        email.pop("heading", None)
    mails = render_with(data)
    assert mails
    for mail in mails:
        assert "【" not in body(mail), mail.variant.stem
        assert mail.subject not in body(mail), mail.variant.stem
        title = mail.html.split('class="heading"', 1)[1].split("</h1>", 1)[0]
        assert "{" not in title and mail.subject not in title
    shipped = next(m for m in mails if m.variant.kind == "shipped" and m.variant.locale == "ja")
    assert catalogue("ja")["heading_shipped"] in shipped.html
    rank_up = next(m for m in mails if m.variant.kind == "rank_up" and m.variant.locale == "ja")
    assert "会員に選ばれました" in rank_up.html  # the example keeps its ranks a surprise: selected, not reached


def test_the_owners_letter_is_the_shops_per_kind_and_per_tier(
    render_with: Callable[[dict[str, Any]], list[RenderedEmail]],
) -> None:
    data = policy_data()
    review = data["emails"]["thanks_review"]
    review["letter"] = {"ja": "器は毎日使うほど手になじみます。", "en": "Pottery feels better with every use."}
    review["letter_by_tier"] = {
        "first": {"ja": "初めての器、大切に包みました。", "en": "Your first piece, wrapped with care."}
    }
    mails = [m for m in render_with(data) if m.variant.kind == "thanks_review"]
    for mail in mails:
        first = mail.variant.tier == "first"
        expected = {
            "ja": ("初めての器、大切に包みました。", "器は毎日使うほど手になじみます。"),
            "en": ("Your first piece, wrapped with care.", "Pottery feels better with every use."),
        }[mail.variant.locale]
        assert (expected[0] if first else expected[1]) in mail.text, mail.variant.stem
        assert (expected[1] if first else expected[0]) not in mail.text, mail.variant.stem
        assert catalogue(mail.variant.locale)["letter_thanks_review"] not in mail.text


def test_a_letter_for_a_tier_that_does_not_exist_is_a_policy_error() -> None:
    from otokui.policy.semantics import check

    data = policy_data()
    data["emails"]["thanks_review"]["letter_by_tier"] = {"frist": "x"}
    found = check(make_policy(data))
    assert (
        ("emails", "thanks_review", "letter_by_tier", "frist"),
        "no purchase-count tier 'frist' (did you mean 'first'?); tiers: first, repeat, loyal",
    ) in found
