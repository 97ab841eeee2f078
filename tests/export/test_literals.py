"""Policy text that looks like template syntax stays text in every target."""

from __future__ import annotations

from otokui.emails.variants import list_variants
from otokui.export import export
from tests.emails.conftest import TEMPLATES, make_policy, policy_data
from tests.export import engines, shapes

TRICK = "{{ 7*7 }} {% endif %} {# note #} [SENDER_NAME]"


def _policy():  # type: ignore[no-untyped-def]
    data = policy_data()
    for tier in data["wording"]["purchase_count_tiers"]:
        tier["greeting"] = {"ja": f"ようこそ {TRICK}", "en": f"Welcome {TRICK}"}
    return make_policy(data)


def test_policy_text_with_template_syntax_is_written_literally() -> None:
    engines.need("liquid")
    engines.need("twig")
    engines.need("django")
    policy = _policy()
    variants = list_variants(policy)
    checks = [
        ("shopify", "ja/order_confirmation.html.liquid", "order_confirmation", engines.liquid, shapes.shopify),
        ("ec-cube", "ja/Mail/order.twig", "order_confirmation", engines.twig, shapes.ec_cube),
        ("klaviyo", "ja/thanks_review.html", "thanks_review", engines.django, shapes.klaviyo),
    ]
    for target, path, kind, engine, shape in checks:
        result = export(policy, TEMPLATES, target)
        source = next(f for f in result.files if f.path == path).data.decode()
        variant = next(v for v in variants if v.kind == kind and v.locale == "ja")
        out = engine([(source, shape(policy, variant))])[0]
        assert "{{ 7*7 }} {% endif %} {# note #}" in out, target
        assert "49" not in out.split("ようこそ", 1)[1][:40], target


def test_cart_tags_in_policy_text_are_reported() -> None:
    result = export(_policy(), TEMPLATES, "makeshop")
    assert any("[SENDER_NAME]" in p.message and "reword" in p.message for p in result.problems)
