"""Letters: the policy's paper size, and Japanese set top to bottom when asked."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml

from otokui.cli import run
from tests.customers.conftest import ROOT, policy_data, said

ORDERS = """Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal,Shipping,Taxes,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Billing Name,Shipping Province,Shipping Country,Cancelled at,Payment Method,Tags
#2001,a@example.com,paid,2026-11-29 10:00:00 +0900,unfulfilled,,JPY,3240,600,294,3840,2026-11-29 09:00:00 +0900,2,季節のブレンド,1620,山田 花子,JP-13,JP,,Shopify Payments,
#2002,b@example.com,paid,2026-11-30 10:00:00 +0900,unfulfilled,,JPY,1980,600,180,2580,2026-11-30 09:00:00 +0900,1,エチオピア,1980,佐藤 太郎,JP-47,JP,,Bank Deposit,preorder
"""


def letters(tmp_path: Path, **settings: str) -> pdfium.PdfDocument:
    import shutil

    shutil.copytree(ROOT / "email_templates", tmp_path / "email_templates")
    policy = tmp_path / "rules.yaml"
    policy.write_text(yaml.safe_dump(policy_data(letters=settings), allow_unicode=True), encoding="utf-8")
    orders = tmp_path / "orders_export.csv"
    orders.write_text(ORDERS, encoding="utf-8")
    err = io.StringIO()
    argv = [
        "run",
        "--policy",
        str(policy),
        "--orders",
        str(orders),
        "--out",
        str(tmp_path / "out"),
        "--on",
        "2026-11-30",
    ]
    assert run(argv, io.StringIO(), err) == 0, err.getvalue()
    assert said("summary_letters", letters=2, pages=2) in err.getvalue()
    (pdf,) = (tmp_path / "out" / "2026-11-30").glob("letters-*.pdf")
    return pdfium.PdfDocument(pdf)


def chars(page: pdfium.PdfPage, text: str) -> list[tuple[float, float]]:
    """The left and top of each character of ``text`` where it first appears on the page."""
    textpage = page.get_textpage()
    everything = textpage.get_text_range()
    start = everything.index(text)
    return [textpage.get_charbox(start + i)[0::3] for i in range(len(text))]  # (left, top)


@pytest.mark.slow
def test_a5_horizontal_by_default(tmp_path: Path) -> None:
    document = letters(tmp_path)
    assert len(document) == 2
    width, height = document[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (148, 210)
    boxes = chars(document[0], "山田 花子 様")
    assert boxes[0][1] == pytest.approx(boxes[-1][1], abs=1)  # one line across
    assert boxes[-1][0] > boxes[0][0]


@pytest.mark.slow
def test_vertical_writing_on_b6_landscape(tmp_path: Path) -> None:
    document = letters(tmp_path, size="B6", orientation="landscape", writing="vertical")
    width, height = document[1].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (182, 128)
    text = document[1].get_textpage().get_text_range()
    assert "佐藤太郎様" in text.replace(" ", "")
    boxes = chars(document[1], "佐藤")
    assert boxes[0][0] == pytest.approx(boxes[1][0], abs=1)  # the same column
    assert boxes[1][1] < boxes[0][1]  # the second character below the first


def test_order_mails_for_carts_that_cannot_send_their_own(tmp_path: Path) -> None:
    import email
    import shutil
    from email.policy import default

    shutil.copytree(ROOT / "email_templates", tmp_path / "email_templates")
    (tmp_path / "email_templates" / "letters" / "letter.html.j2").unlink()
    policy = tmp_path / "rules.yaml"
    policy.write_text(yaml.safe_dump(policy_data(order_mails=True), allow_unicode=True), encoding="utf-8")
    orders = tmp_path / "orders_export.csv"
    orders.write_text(ORDERS, encoding="utf-8")
    argv = ["run", "--policy", str(policy), "--orders", str(orders), "--out", str(tmp_path / "out")]
    err = io.StringIO()
    assert run([*argv, "--on", "2026-11-29"], io.StringIO(), err) == 0, err.getvalue()
    assert run([*argv, "--on", "2026-11-30"], io.StringIO(), err) == 0, err.getvalue()
    (path,) = (tmp_path / "out" / "2026-11-30" / "mail" / "order_confirmation").glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=default)
    assert str(message["Subject"]) == "【木漏れ日珈琲】ご注文を承りました（注文番号 #2002）"
    assert message["List-Unsubscribe"] is None  # transactional
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "佐藤 太郎 様" in text and "エチオピア" in text and "2,580円" in text
    assert "離島・沖縄へのお届け" in text  # Okinawa: the notice of the real order
    assert "予約商品について" in text  # the preorder cart tag
    assert "銀行振込でお急ぎの方へ" not in text  # no delivery date was wished


@pytest.mark.slow
def test_letters_printed_together_look_exactly_as_printed_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several horizontal letters share one print; every page is the same pixels as the letter printed alone."""
    import asyncio

    from otokui.customers import printer

    assert run(
        ["build", "--policy", str(ROOT / "rules.yaml"), "--out", str(tmp_path / "dist")], io.StringIO(), io.StringIO()
    ) in (0, 1)
    names = ["thanks-first.ja", "thanks-loyal.ja", "rank-gold.en", "rank-gold.ja", "rank-silver.ja"]
    letters = [(tmp_path / "dist" / "letters" / f"{name}.html").read_bytes() for name in names]

    def pages(batch: int) -> list[bytes]:
        monkeypatch.setattr(printer, "BATCH", batch)
        stream = io.BytesIO(b"".join(len(x).to_bytes(8, "big") + x for x in letters) + bytes(8))
        target = tmp_path / f"letters-{batch}.pdf"
        assert asyncio.run(printer._print_all(stream, target, "")) == len(letters)
        document = pdfium.PdfDocument(target)
        return [bytes(document[i].render(scale=1).buffer) for i in range(len(document))]

    alone = pages(1)
    shared: list[int] = []  # how many letters each shared print held
    together_of = printer._together
    monkeypatch.setattr(printer, "_together", lambda batch: shared.append(len(batch)) or together_of(batch))
    together = pages(12)
    assert shared == [2], "the two thank-you letters in Japanese share a print; the rest differ in language or style"
    assert len(together) == len(letters)
    assert [a == b for a, b in zip(alone, together, strict=True)] == [True] * len(letters)
