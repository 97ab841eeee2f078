"""Klaviyo: every variant, rendered by Django's engine from the exported templates, says what otokui says."""

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


def _roundtrip(policy: Policy, hostile: bool) -> int:
    result = export(policy, TEMPLATES, "klaviyo")
    compiler = Compiler(Renderer(policy, TEMPLATES))
    by_name = {(v.kind, v.locale, v.name): v for v in list_variants(policy)}
    jobs: list[tuple[str, dict[str, Any]]] = []
    expected: list[tuple[str, str, str]] = []
    for file in result.files:
        if not file.variants:
            continue
        part = "html" if file.path.endswith(".html") else "subject" if ".subject." in file.path else "text"
        for name in file.variants:
            variant = by_name[(file.kind, file.locale, name)]
            jobs.append((file.data.decode(), shapes.klaviyo(policy, variant, hostile)))
            want = getattr(fill(compiler.get(variant), shapes.values(policy, variant, hostile)), part)
            expected.append((f"{file.path} as {name}", part, want))
    outputs = engines.django(jobs)
    for (label, part, want), got in zip(expected, outputs, strict=True):
        if part == "html" and hostile:
            assert shapes.visible(got) == shapes.visible(want), label
        else:
            assert got == want, label
    return len(jobs)


@pytest.mark.parametrize("which", ["example", "second"])
def test_every_variant_renders_in_django_as_otokui_renders_it(which: str) -> None:
    engines.need("django")
    assert _roundtrip(load_example() if which == "example" else second_policy(), hostile=False) >= 30


def test_a_hostile_customer_name_stays_text_in_klaviyo() -> None:
    engines.need("django")
    policy = load_example()
    _roundtrip(policy, hostile=True)
    result = export(policy, TEMPLATES, "klaviyo")
    html = next(f for f in result.files if f.path == "ja/rank_up.html").data.decode()
    variant = next(v for v in list_variants(policy) if v.kind == "rank_up")
    out = engines.django([(html, shapes.klaviyo(policy, variant, hostile=True))])[0]
    assert "<script>" not in out and "&lt;script&gt;" in out and "{{ 7*7 }}" in out


def test_ranks_and_membership_are_profile_properties() -> None:
    result = export(load_example(), TEMPLATES, "klaviyo")
    kinds = {f.kind for f in result.files if f.kind}
    assert kinds == {"thanks_review", "membership_invite", "rank_up", "birthday"}
    rank_up = next(f for f in result.files if f.path == "ja/rank_up.html")
    source = rank_up.data.decode()
    assert "person|lookup:'rank' == 'gold'" in source and "person|lookup:'orders_count'" in source
    assert {"silver--first", "gold--loyal", "platinum--repeat"} <= set(rank_up.variants)
