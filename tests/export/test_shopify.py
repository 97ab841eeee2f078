"""Shopify: every variant, rendered by ruby-liquid from the exported templates, says what otokui says."""

from __future__ import annotations

from typing import Any

import pytest

from otokui.emails.fill import Compiler, fill
from otokui.emails.render import Renderer
from otokui.export import export
from otokui.export.core import ExportResult
from otokui.policy.model import Policy
from tests.emails.conftest import TEMPLATES, load_example, make_policy, policy_data
from tests.export import engines, shapes

# What Shopify notifications have no variable for: otokui leaves the same lines out.
EMPTY = {"estimated_delivery": None, "desired_delivery_within_days": None, "pre_order": False}


def second_policy() -> Policy:
    """Other tiers, ranks, notices and disclosure than the example shop."""
    data = policy_data()
    tiers = data["wording"]["purchase_count_tiers"]
    tiers[1]["max_orders"] = 2
    tiers.insert(2, {**tiers[1], "id": "third", "min_orders": 3, "max_orders": 9})
    tiers[2]["label"] = {"ja": "3〜9回目", "en": "Third to ninth"}
    tiers[3]["min_orders"] = 10
    data["membership"]["disclosure"] = {"mode": "published", "show_progress": True}
    data["notices"][1]["when"] = {"any": [{"region": ["hokkaido"]}]}
    data["notices"][0]["when"] = {"all": [{"payment_method": ["cash_on_delivery"]}]}
    data["export"]["shopify"]["rank_tag_prefix"] = "tier:"
    return make_policy(data)


def _roundtrip(policy: Policy, result: ExportResult, hostile: bool) -> int:
    renderer = Renderer(policy, TEMPLATES)
    compiler = Compiler(renderer)
    by_name = {(v.kind, v.locale, v.name): v for v in compiler_variants(policy)}
    jobs: list[tuple[str, dict[str, Any]]] = []
    expected: list[tuple[str, str, Any]] = []
    for file in result.files:
        if not file.variants:
            continue
        part = "html" if ".html." in file.path else "text" if ".txt." in file.path else "subject"
        for name in file.variants:
            variant = by_name[(file.kind, file.locale, name)]
            jobs.append((file.data.decode(), shapes.shopify(policy, variant, hostile)))
            # an area Shopify has no province codes for reads as mainland there
            region = variant.order.region if policy.export.shopify.regions.get(variant.order.region) else "mainland"
            mail = fill(compiler.get(variant), shapes.values(policy, variant, hostile, region=region, **EMPTY))
            expected.append((f"{file.path} as {name}", part, getattr(mail, part)))
    outputs = engines.liquid(jobs)
    for (label, part, want), got in zip(expected, outputs, strict=True):
        if part == "html":
            if not hostile:
                assert got == want, label
            assert shapes.visible(got) == shapes.visible(want), label
        else:
            assert got == want, label
    return len(jobs)


def compiler_variants(policy: Policy) -> list[Any]:
    from otokui.emails.variants import list_variants

    return list_variants(policy)


@pytest.mark.parametrize("which", ["example", "second"])
def test_every_variant_renders_in_liquid_as_otokui_renders_it(which: str) -> None:
    engines.need("liquid")
    policy = load_example() if which == "example" else second_policy()
    result = export(policy, TEMPLATES, "shopify")
    assert _roundtrip(policy, result, hostile=False) >= 30


def test_a_hostile_customer_name_stays_text_in_liquid() -> None:
    engines.need("liquid")
    policy = load_example()
    result = export(policy, TEMPLATES, "shopify")
    _roundtrip(policy, result, hostile=True)
    html = next(f for f in result.files if f.path == "ja/order_confirmation.html.liquid").data.decode()
    data = shapes.shopify(policy, compiler_variants(policy)[0], hostile=True)
    out = engines.liquid([(html, data)])[0]
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "{{ 7*7 }}" in out and "49" not in shapes.visible(out)[0][3]  # a value is never run as Liquid


def test_one_template_per_notification_and_fallbacks_reported() -> None:
    policy = load_example()
    result = export(policy, TEMPLATES, "shopify")
    names = {f.path for f in result.files}
    for locale in ("ja", "en"):
        for kind in ("order_confirmation", "payment_received", "shipped"):
            assert {f"{locale}/{kind}.html.liquid", f"{locale}/{kind}.txt.liquid"} <= names
    main = next(f for f in result.files if f.path == "ja/order_confirmation.html.liquid")
    assert {"first", "repeat", "loyal", "first--notice-preorder"} <= set(main.variants)
    # the requested-delivery condition cannot be tested in Shopify: said, with the policy key, and a file
    paths = {p.path for p in result.problems}
    assert ("notices", 0, "when", "all", 1, "desired_delivery_within_days") in paths
    assert "ja/order_confirmation--first--notice-bank_transfer_fast.html.liquid" in names
