"""EC-CUBE 4: every variant, rendered by php-twig from the exported Mail/*.twig pair, says what otokui says."""

from __future__ import annotations

from typing import Any

import pytest

from otokui.emails.fill import Compiler, fill
from otokui.emails.render import Renderer
from otokui.emails.variants import list_variants
from otokui.export import export
from otokui.policy.model import Policy
from tests.emails.conftest import TEMPLATES, load_example
from tests.export import engines, shapes
from tests.export.test_shopify import second_policy

# What EC-CUBE has no field for: otokui leaves the same lines out.
EMPTY = {"estimated_delivery": None, "pre_order": False}


def _roundtrip(policy: Policy, hostile: bool) -> int:
    result = export(policy, TEMPLATES, "ec-cube")
    compiler = Compiler(Renderer(policy, TEMPLATES))
    by_name = {(v.kind, v.locale, v.name): v for v in list_variants(policy)}
    jobs: list[tuple[str, dict[str, Any]]] = []
    expected: list[tuple[str, str, str]] = []
    for file in result.files:
        if not file.variants or ".subject." in file.path:
            continue  # EC-CUBE's subject is fixed text, set in the admin
        part = "html" if file.path.endswith(".html.twig") else "text"
        for name in file.variants:
            variant = by_name[(file.kind, file.locale, name)]
            region = variant.order.region if policy.export.ec_cube.regions.get(variant.order.region) else "mainland"
            values = shapes.values(policy, variant, hostile, region=region, **EMPTY)
            jobs.append((file.data.decode(), shapes.ec_cube(policy, variant, hostile)))
            expected.append((f"{file.path} as {name}", part, getattr(fill(compiler.get(variant), values), part)))
    outputs = engines.twig(jobs)
    for (label, part, want), got in zip(expected, outputs, strict=True):
        if part == "html" and hostile:
            assert shapes.visible(got) == shapes.visible(want), label
        else:
            assert got == want, label
    return len(jobs)


@pytest.mark.parametrize("which", ["example", "second"])
def test_every_variant_renders_in_twig_as_otokui_renders_it(which: str) -> None:
    engines.need("twig")
    assert _roundtrip(load_example() if which == "example" else second_policy(), hostile=False) >= 20


def test_a_hostile_customer_name_stays_text_in_twig() -> None:
    engines.need("twig")
    _roundtrip(load_example(), hostile=True)
    result = export(load_example(), TEMPLATES, "ec-cube")
    html = next(f for f in result.files if f.path == "ja/Mail/order.html.twig").data.decode()
    variant = list_variants(load_example())[0]
    out = engines.twig([(html, shapes.ec_cube(load_example(), variant, hostile=True))])[0]
    assert "<script>" not in out and "&lt;script&gt;" in out and "{{ 7*7 }}" in out


def test_the_pair_of_files_and_the_requested_delivery_notice_as_a_branch() -> None:
    result = export(load_example(), TEMPLATES, "ec-cube")
    names = {f.path for f in result.files}
    assert {"ja/Mail/order.twig", "ja/Mail/order.html.twig", "en/Mail/shipping_notify.html.twig"} <= names
    main = next(f for f in result.files if f.path == "ja/Mail/order.html.twig")
    assert "first--notice-bank_transfer_fast" in main.variants  # EC-CUBE knows the requested delivery date
