"""What order mails need: where to pay and by when, the coupon code, the carrier and tracking number."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from otokui.emails import RenderedEmail
from otokui.i18n.catalogue import catalogue
from tests.emails.conftest import make_policy, policy_data


def test_a_bank_transfer_order_says_where_to_pay_and_by_when(rendered: list[RenderedEmail]) -> None:
    for mail in (m for m in rendered if m.variant.kind == "order_confirmation"):
        L = catalogue(mail.variant.locale)
        bank = "bank_transfer_fast" in mail.variant.notices
        assert (L["bank_transfer_to"] in mail.text) == bank, mail.variant.stem
        if bank:
            assert "1234567" in mail.text and ("みずほ銀行" in mail.text or "Mizuho Bank" in mail.text)
            assert L["payment_deadline"] + L["colon"] in mail.text
            assert L["payment_deadline_days"].replace("{days}", "7") in mail.text


def test_a_payment_deadline_date_is_written_out(render_with: Callable[[dict[str, Any]], list[RenderedEmail]]) -> None:
    data = policy_data()
    data["samples"]["order"].update(payment_method="bank_transfer", payment_deadline="2026-11-28")
    mails = [m for m in render_with(data) if m.variant.kind == "order_confirmation" and m.variant.name == "first"]
    texts = {m.variant.locale: m.text for m in mails}
    assert "お支払い期限：2026年11月28日" in texts["ja"]
    assert "Pay by: 28 November 2026" in texts["en"]


def test_shipped_mail_names_the_carrier_and_tracking_number(rendered: list[RenderedEmail]) -> None:
    mails = [m for m in rendered if m.variant.kind == "shipped"]
    assert mails
    for mail in mails:
        L = catalogue(mail.variant.locale)
        assert f"{L['carrier']}{L['colon']}ヤマト運輸" in mail.text
        assert f"{L['tracking_number']}{L['colon']}1234-5678-9012" in mail.text
        assert L["tracking_button"] in mail.text


def test_without_tracking_yet_the_mail_says_so(render_with: Callable[[dict[str, Any]], list[RenderedEmail]]) -> None:
    data = policy_data()
    for key in ("tracking_url", "tracking_number"):
        data["samples"]["order"].pop(key)
    mails = [m for m in render_with(data) if m.variant.kind == "shipped"]
    for mail in mails:
        L = catalogue(mail.variant.locale)
        assert L["tracking"] in mail.text and L["tracking_pending"] in mail.text  # the block stays, and says why
        assert L["tracking_button"] not in mail.text and L["tracking_number"] + L["colon"] not in mail.text


def test_a_coupon_mail_carries_the_code(rendered: list[RenderedEmail]) -> None:
    invites = [m for m in rendered if m.variant.kind == "membership_invite"]
    assert invites
    for mail in invites:
        L = catalogue(mail.variant.locale)
        assert f"{L['coupon_code']}{L['colon']}THANKS-7Q2K" in mail.text


def test_labels_use_the_locales_own_colon(rendered: list[RenderedEmail]) -> None:
    ja = next(m for m in rendered if m.variant.kind == "order_confirmation" and m.variant.locale == "ja")
    en = next(m for m in rendered if m.variant.kind == "order_confirmation" and m.variant.locale == "en")
    assert "注文番号：KC-10234" in ja.text and "注文番号:" not in ja.text
    assert "Order number: KC-10234" in en.text


def test_bank_transfer_without_an_account_is_a_checker_finding_not_a_load_error() -> None:
    from otokui.lint.rules.ot603_bank_transfer_account import BankTransferAccount
    from otokui.policy.semantics import check

    data = policy_data()
    del data["shop"]["bank_account"]
    policy = make_policy(data)
    assert ("shop", "payment_methods") not in dict(check(policy))  # the policy builds
    (hit,) = BankTransferAccount().check_policy(policy, {})  # type: ignore[arg-type]
    assert hit.key == ("shop", "payment_methods", 1) and "no bank account" in hit.message
