"""The bank account follows each order's own payment method, not the variant's sample order.

A customer who pays by bank transfer needs the account and the deadline whether or not the order also
meets a bank-transfer caution notice; a card payment never shows them. The compiled variant carries the
account block marked by ``order.bank_transfer``: filling keeps it for transfers and drops it otherwise,
the exports wrap it in the platform's own test of the payment method, and ``build.py run`` (which fills)
follows.
"""

from __future__ import annotations

import datetime as dt
import email
import io
import shutil
from email.policy import default
from pathlib import Path

import yaml

from otokui.cli import run
from otokui.emails import list_variants
from otokui.emails.fields import LineValues, OrderValues
from otokui.emails.fill import Compiler, fill
from otokui.emails.render import Renderer
from otokui.export import export
from otokui.policy.model import Policy
from tests.emails.conftest import TEMPLATES

ACCOUNT = "1234567"  # the example shop's account number


def order(payment_method: str) -> OrderValues:
    return OrderValues(
        customer_name="佐藤 太郎",
        order_id="KC-77",
        lines=(LineValues("エチオピア 200g", quantity=1, unit_price=1980),),
        shipping_fee=600,
        payment_method=payment_method,
        payment_deadline=dt.date(2026, 12, 7) if payment_method == "bank_transfer" else None,
    )


def variant(policy: Policy, kind: str, name: str, locale: str = "ja"):  # type: ignore[no-untyped-def]
    return next(v for v in list_variants(policy) if v.kind == kind and v.locale == locale and v.name == name)


def test_a_transfer_without_a_transfer_notice_gets_the_account(policy: Policy) -> None:
    compiler = Compiler(Renderer(policy, TEMPLATES))
    plain = compiler.get(variant(policy, "order_confirmation", "first"))  # sample order: card, no notice
    assert plain.variant.order.payment_method == "credit_card"
    mail = fill(plain, order("bank_transfer"))
    for part in (mail.html, mail.text):
        assert ACCOUNT in part and "みずほ銀行" in part and "お振込先" in part
        assert "2026年12月7日" in part  # the deadline
    card = fill(plain, order("credit_card"))
    for part in (card.html, card.text):
        assert ACCOUNT not in part and "お振込先" not in part and "みずほ銀行" not in part
    assert "\n\n\n" not in card.text  # the block leaves no gap behind


def test_a_card_payment_meeting_no_transfer_gets_no_account_even_in_a_transfer_variant(policy: Policy) -> None:
    compiler = Compiler(Renderer(policy, TEMPLATES))
    noticed = compiler.get(variant(policy, "order_confirmation", "first--notice-bank_transfer_fast"))
    assert noticed.variant.order.payment_method == "bank_transfer"
    assert ACCOUNT in fill(noticed, order("bank_transfer")).text
    assert ACCOUNT not in fill(noticed, order("convenience_store")).text


def test_exports_test_the_payment_method_around_the_account(policy: Policy) -> None:
    shopify = export(policy, TEMPLATES, "shopify", only=("order_confirmation", "ja"))
    liquid = next(f for f in shopify.files if f.path == "ja/order_confirmation.html.liquid").data.decode("utf-8")
    test = "{% if gateway == '銀行振込' %}"
    assert liquid.count(ACCOUNT) >= 1
    for at in [i for i in range(len(liquid)) if liquid.startswith(ACCOUNT, i)]:
        opened = liquid.rfind(test, 0, at)
        assert opened >= 0 and liquid.find("{% endif %}", opened) > at, "the account outside the transfer test"
    eccube = export(policy, TEMPLATES, "ec-cube", only=("order_confirmation", "ja"))
    twig = next(f for f in eccube.files if f.path.endswith("order.html.twig")).data.decode("utf-8")
    assert "{% if Order.payment_method in ['銀行振込'] %}" in twig and ACCOUNT in twig


ORDERS = """Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal,Shipping,Taxes,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Billing Name,Shipping Province,Shipping Country,Cancelled at,Payment Method,Tags
#2001,a@example.com,paid,2026-11-30 10:00:00 +0900,unfulfilled,,JPY,3240,600,294,3840,2026-11-30 09:00:00 +0900,2,季節のブレンド,1620,山田 花子,JP-13,JP,,Shopify Payments,
#2002,b@example.com,pending,,unfulfilled,,JPY,1980,600,180,2580,2026-11-30 09:30:00 +0900,1,エチオピア,1980,佐藤 太郎,JP-13,JP,,Bank Deposit,
"""


def test_run_sends_the_account_to_the_transfer_customer_only(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    shutil.copytree(root / "email_templates", tmp_path / "email_templates")
    (tmp_path / "email_templates" / "letters" / "letter.html.j2").unlink()  # no letters to print here
    data = yaml.safe_load((root / "rules.yaml").read_text(encoding="utf-8"))
    data["run"] = {"format": "auto", "order_mails": True}
    policy = tmp_path / "rules.yaml"
    policy.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    orders = tmp_path / "orders_export.csv"
    orders.write_text(ORDERS, encoding="utf-8")
    argv = ["run", "--policy", str(policy), "--orders", str(orders), "--out", str(tmp_path / "out")]
    err = io.StringIO()
    assert run([*argv, "--on", "2026-11-29"], io.StringIO(), err) == 0, err.getvalue()  # the baseline
    assert run([*argv, "--on", "2026-11-30"], io.StringIO(), err) == 0, err.getvalue()
    texts = {}
    for path in (tmp_path / "out" / "2026-11-30" / "mail" / "order_confirmation").glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=default)
        body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        texts["#2002" if "#2002" in str(message["Subject"]) else "#2001"] = body
    assert set(texts) == {"#2001", "#2002"}
    assert ACCOUNT in texts["#2002"] and "銀行振込でお急ぎの方へ" not in texts["#2002"]  # no notice, the account
    assert ACCOUNT not in texts["#2001"]
