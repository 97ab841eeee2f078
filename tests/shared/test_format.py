"""One money and date format per locale, shared by the emails and the member site."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from otokui.emails.content import ContentBuilder
from otokui.i18n.format import long_date, money
from otokui.policy.load import load_policy
from otokui.site import wording


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "expected"),
    [
        (1620, "JPY", "ja", "1,620円"),
        (1620, "JPY", "en", "¥1,620"),
        (20000.4, "JPY", "ja", "20,000円"),
        (19.5, "USD", "en", "$19.50"),
        (100, "USD", "ja", "$100.00"),
        (1234.5, "EUR", "en", "€1,234.50"),
    ],
)
def test_money(amount: float, currency: str, locale: str, expected: str) -> None:
    assert money(amount, currency, locale) == expected


def test_long_date() -> None:
    assert long_date("2026-12-01", "ja") == "2026年12月1日"
    assert long_date("2026-12-01", "en") == "1 December 2026"
    assert long_date(dt.date(2027, 3, 9), "en") == "9 March 2027"
    assert long_date("3日以内", "ja") == "3日以内"


def test_site_and_email_write_the_same_amount(shop: Path) -> None:
    rules = shop / "rules.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace(
            "  disclosure:\n    mode: surprise", "  disclosure:\n    mode: published"
        ),
        encoding="utf-8",
    )
    policy = load_policy(rules)
    assert not policy.surprise
    ranked = next(r for r in policy.membership.ranks if r.threshold.spend)
    assert ranked.threshold.spend is not None
    email = ContentBuilder(policy).money(ranked.threshold.spend, "ja")
    assert email == money(ranked.threshold.spend, policy.shop.currency, "ja")
    assert email in wording.threshold_text(policy, ranked.threshold, "ja")
