"""MakeShop and futureshop: each variant file, with its tags substituted as the cart does, says what otokui says."""

from __future__ import annotations

import html as htmllib
import json
import re

import pytest

from otokui.emails.fields import TOKEN_RE
from otokui.emails.fill import Compiler, fill
from otokui.emails.render import Renderer
from otokui.emails.variants import list_variants
from otokui.export import export
from otokui.policy.model import Policy
from tests.emails.conftest import TEMPLATES, load_example
from tests.export import shapes
from tests.export.test_shopify import second_policy

TAG = {"makeshop": re.compile(r"\[([A-Z0-9_]+)\]"), "futureshop": re.compile(r"\$([A-Z0-9_]+)\$")}
ORDER_LIST = "季節のブレンド 200g × 2  3,240円\n合計 5,820円"


def substitute(source: str, values: dict[str, str], pattern: re.Pattern[str], html: bool) -> str:
    """What the cart does: each known tag replaced by its value (escaped in an HTML mail)."""

    def one(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        return htmllib.escape(value, quote=True) if html else value

    return pattern.sub(one, source)


def _cart_values(target: str, name: str) -> dict[str, str]:
    if target == "makeshop":
        return {
            "SENDER_NAME": name,
            "MAIL_ORDERNUM2": "PB123",
            "PAYMETHOD": "クレジットカード",
            "RECEIVER_AREA": "東京都",
            "MAIL_ORDER": ORDER_LIST,
        }
    return {"ORDER_NAME": name, "ORDER_NO": "PB123", "PAYMENT_METHOD": "クレジットカード", "ORDER_DETAIL": ORDER_LIST}


def _paragraphs_without_fields(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip() and not TOKEN_RE.search(p)]


@pytest.mark.parametrize("target", ["makeshop", "futureshop"])
@pytest.mark.parametrize("which", ["example", "second"])
def test_every_variant_file_substitutes_to_otokui_s_text(target: str, which: str) -> None:
    policy: Policy = load_example() if which == "example" else second_policy()
    result = export(policy, TEMPLATES, target)
    compiler = Compiler(Renderer(policy, TEMPLATES))
    variants = {(v.kind, v.locale, v.name): v for v in list_variants(policy)}
    checked = 0
    for file in result.files:
        if not file.path.endswith(".txt") or file.path.endswith(".subject.txt"):
            continue
        variant = variants[(file.kind, file.locale, file.variants[0])]
        compiled = compiler.get(variant)
        out = substitute(file.data.decode(), _cart_values(target, "山田 花子"), TAG[target], html=False)
        assert not TOKEN_RE.search(out) and not TAG[target].search(out), file.path
        # every paragraph of policy text otokui writes for this variant is there, word for word
        for paragraph in _paragraphs_without_fields(compiled.text):
            assert paragraph in out, (file.path, paragraph)
        if "order_summary" in getattr(policy.emails, variant.kind).blocks:
            assert out.count(ORDER_LIST) == 1, file.path
        checked += 1
    assert checked >= 40
    manifest = json.loads(next(f for f in result.files if f.path == "manifest.json").data)
    slots = {f["slot"] for f in manifest["files"] if f["slot"]}
    assert slots  # the order mails go to the cart's slots
    if target == "makeshop":
        first = next(f for f in manifest["files"] if f["file"] == "ja/order_confirmation/first.txt")
        repeat = next(f for f in manifest["files"] if f["file"] == "ja/order_confirmation/repeat.txt")
        assert (first["slot"], repeat["slot"]) == ("ビジター注文確認", "リピーター注文確認")


@pytest.mark.parametrize("target", ["makeshop", "futureshop"])
def test_a_hostile_name_through_the_cart_stays_text(target: str) -> None:
    policy = load_example()
    result = export(policy, TEMPLATES, target)
    html_file = next(f for f in result.files if f.path == "ja/order_confirmation/first.html")
    out = substitute(html_file.data.decode(), _cart_values(target, f"{shapes.NASTY} X"), TAG[target], html=True)
    assert "<script>" not in out and "&lt;script&gt;" in out
    # otokui's own render of this variant shows the same name the same way
    variant = next(v for v in list_variants(policy) if v.kind == "order_confirmation")
    mine = fill(Compiler(Renderer(policy, TEMPLATES)).get(variant), shapes.values(policy, variant, hostile=True))
    assert shapes.visible(out)[0][3] == shapes.visible(mine.html)[0][3]  # the greeting line
