"""Compile once with tokens, fill per customer: the filled sample is the direct render, byte for byte."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from otokui.emails import list_variants
from otokui.emails.fields import FIELDS, TOKEN_RE, LineValues, OrderValues, token
from otokui.emails.fill import Compiler, FillError, Loop, Optional, fill, pack, sample_values, unpack, variant_key
from otokui.emails.render import Renderer
from tests.emails.conftest import TEMPLATES, load_example, make_policy, policy_data

NASTY = '<script>alert(1)</script> Tom & Jerry\'s "Café"'


def _assert_fill_matches_direct(data: dict[str, Any]) -> int:
    policy = make_policy(data)
    renderer = Renderer(policy, TEMPLATES)
    compiler = Compiler(renderer)
    count = 0
    for variant in list_variants(policy):
        direct = renderer.render(variant)
        filled = fill(compiler.get(variant), sample_values(policy, variant))
        for part in ("subject", "preheader", "html", "text"):
            assert getattr(filled, part) == getattr(direct, part), (variant.stem, part)
        count += 1
    return count


def test_filled_sample_is_byte_identical_to_the_direct_render() -> None:
    assert _assert_fill_matches_direct(policy_data()) > 50


def test_tokens_are_inert_with_hostile_samples_and_premailer() -> None:
    data = policy_data()
    data["samples"]["customer"]["name"] = {"ja": NASTY, "en": NASTY}
    data["samples"]["order"]["items"][0]["name"] = {"ja": "A & B <b>", "en": "A & B <b>"}
    data["samples"]["order"]["id"] = "<KC&1>"
    data["build"]["inliner"] = "premailer"
    # premailer writes "&" in text as "&amp;" like css-inline; the sample has no attribute values with markup
    assert _assert_fill_matches_direct(data) > 50


def test_a_second_policy_other_tiers_ranks_and_notices() -> None:
    data = policy_data()
    data["wording"]["purchase_count_tiers"] = data["wording"]["purchase_count_tiers"][:2]
    del data["wording"]["purchase_count_tiers"][1]["max_orders"]
    data["membership"]["ranks"] = data["membership"]["ranks"][:3]
    data["membership"]["disclosure"] = {"mode": "published", "show_progress": True}
    data["notices"] = data["notices"][1:]
    data["samples"]["order"]["desired_delivery_within_days"] = 5
    data["samples"]["order"]["payment_method"] = "cash_on_delivery"
    assert _assert_fill_matches_direct(data) > 20


@pytest.fixture(scope="module")
def compiler() -> Compiler:
    return Compiler(Renderer(load_example(), TEMPLATES))


def _confirmation(compiler: Compiler, name: str = "first", locale: str = "ja") -> Any:
    policy = compiler.renderer.policy
    variant = next(
        v for v in list_variants(policy) if v.kind == "order_confirmation" and v.name == name and v.locale == locale
    )
    return compiler.get(variant)


ORDER = OrderValues(
    customer_name=NASTY,
    order_id="A-1",
    lines=(LineValues("豆 A", 1, 1000), LineValues("豆 <B>", 3, 500), LineValues("豆 C", 2, 250.0)),
    shipping_fee=0,
    payment_method="bank_transfer",
    region="okinawa",
    desired_delivery_within_days=None,
    estimated_delivery=dt.date(2027, 1, 5),
)


def test_a_real_order_fills_every_field_escaped_for_where_it_lands(compiler: Compiler) -> None:
    compiled = _confirmation(compiler)
    mail = fill(compiled, ORDER)
    for part in (mail.subject, mail.preheader, mail.html, mail.text):
        assert not TOKEN_RE.search(part)
    assert '&lt;script&gt;alert(1)&lt;/script&gt; Tom &amp; Jerry\'s "Café" 様' in mail.html
    assert "<script>" not in mail.html
    assert f"{NASTY} 様" in mail.text
    assert "A-1" in mail.subject
    # three lines, each once, in both parts; the total is theirs
    for part in (mail.html, mail.text):
        assert part.count("豆 A") == 1 and part.count("豆 C") == 1
        assert "3,000円" in part and "1,500円" in part and "500円" in part
    assert "豆 &lt;B&gt;" in mail.html and "豆 <B>" in mail.text
    assert mail.html.count('class="item"') == 3 + 1  # three lines and the shipping row
    # the bank-transfer note is there, the empty optional parts are not
    assert "ご入金を確認したあとに発送します。" in mail.text and "銀行振込" in mail.text
    assert "ご希望のお届け" not in mail.text and "ご希望のお届け" not in mail.html
    assert "予約商品を含むご注文です" not in mail.html
    assert "2027年1月5日" in mail.text and "沖縄" in mail.text


def test_the_same_compiled_email_serves_many_customers(compiler: Compiler) -> None:
    compiled = _confirmation(compiler, locale="en")
    card = fill(compiled, OrderValues("Ann", "X-2", (LineValues("Beans", 2, 10),), payment_method="credit_card"))
    cod = fill(
        compiled,
        OrderValues("Bo", "X-3", (LineValues("Beans", 1, 10),), payment_method="cash_on_delivery", pre_order=True),
    )
    assert "Dear Ann," in card.text and "Dear Bo," in cod.text
    assert "Please pay the driver" in cod.text and "Please pay the driver" not in card.text
    assert "This order includes pre-order items." in cod.html and "pre-order items." not in card.html
    assert "¥20" in card.text and "X-2" in card.subject


def test_a_compile_handed_on_carries_nothing_of_the_customers_it_filled(compiler: Compiler) -> None:
    compiled = _confirmation(compiler, locale="en")
    first = fill(
        compiled, OrderValues("Ann Secret", "X-9", (LineValues("Beans", 2, 10),), tracking_url="https://t.example/ann")
    )
    for n in range(50):  # many customers, many amounts: each mail is its own
        mail = fill(compiled, OrderValues(f"C{n}", f"N-{n}", (LineValues("Beans", n + 1, 10 + n),)))
        assert f"Dear C{n}," in mail.text and "Ann Secret" not in mail.html + mail.text
        assert f"¥{(n + 1) * (10 + n):,}" in mail.text
    blob = pack(compiled)  # what workers send and the export reads back
    assert b"Ann Secret" not in blob and b"t.example/ann" not in blob and b"N-49" not in blob
    assert "¥2,950".encode() not in blob  # the last mail's total
    again = fill(
        unpack(blob),
        OrderValues("Ann Secret", "X-9", (LineValues("Beans", 2, 10),), tracking_url="https://t.example/ann"),
    )
    assert again == first


def test_header_values_cannot_add_header_lines(compiler: Compiler) -> None:
    compiled = _confirmation(compiler)
    mail = fill(compiled, OrderValues("x", "1\r\nBcc: evil@example.com", (LineValues("a", 1, 1),)))
    assert "\n" not in mail.subject and "\r" not in mail.subject


def test_bad_values_are_refused_with_the_field_named(compiler: Compiler) -> None:
    policy = compiler.renderer.policy
    shipped = compiler.get(next(v for v in list_variants(policy) if v.kind == "shipped"))
    base = OrderValues("x", "1", (LineValues("a", 1, 1),))
    with pytest.raises(FillError, match=r"order\.tracking_url"):
        fill(shipped, base)
    with pytest.raises(FillError, match="only http and https"):
        fill(shipped, OrderValues("x", "1", (LineValues("a", 1, 1),), tracking_url="javascript:alert(1)"))
    with pytest.raises(FillError, match=r"order\.payment_method"):
        fill(_confirmation(compiler), OrderValues("x", "1", (LineValues("a", 1, 1),), payment_method="gold_bars"))
    with pytest.raises(FillError, match=r"order\.lines"):
        fill(_confirmation(compiler), OrderValues("x", "1", ()))
    ok = fill(shipped, OrderValues("x", "1", (LineValues("a", 1, 1),), tracking_url="https://t.example/?a=1&b=2"))
    assert 'href="https://t.example/?a=1&amp;b=2"' in ok.html and "https://t.example/?a=1&b=2" in ok.text


def test_compiled_once_per_variant_key(compiler: Compiler) -> None:
    policy = compiler.renderer.policy
    variant = list_variants(policy)[0]
    assert compiler.get(variant) is compiler.get(variant)
    assert variant_key(variant) == (variant.kind, variant.locale, variant.tier, None, variant.notices, False)


def test_plans_hold_the_lines_loop_and_optional_parts(compiler: Compiler) -> None:
    plans = _confirmation(compiler).plans
    for part in ("html", "text"):
        kinds = {type(p) for p in plans[part].pieces}
        assert Loop in kinds and Optional in kinds
        assert {"customer.name", "order.lines", "line.name", "order.total"} <= plans[part].fields()


def test_tokens_are_plain_ascii_words() -> None:
    for name in FIELDS:
        assert token(name).isascii() and token(name).replace("_", "").isalnum()
        match = TOKEN_RE.fullmatch(token(name))
        assert match and match.group(1).replace("__", ".") == name
