from __future__ import annotations

import shutil
from pathlib import Path

from otokui.emails import list_variants, render_variant
from otokui.emails.render import render_all, renderer_for, worker_count
from otokui.policy.model import Policy
from tests.emails.conftest import TEMPLATES, make_policy, policy_data


def test_a_process_pool_renders_the_same_emails_in_order(policy: Policy) -> None:
    variants = list_variants(policy)[:12]
    alone = render_all(policy, TEMPLATES, variants, workers=1)
    pooled = render_all(policy, TEMPLATES, variants, workers=2)
    assert [e.variant.stem for e in pooled] == [v.stem for v in variants]
    assert [(e.html, e.text) for e in pooled] == [(e.html, e.text) for e in alone]


def test_small_builds_stay_in_one_process() -> None:
    data = policy_data()
    data["build"]["workers"] = 8
    policy = make_policy(data)
    assert worker_count(policy, 30) == 1
    assert worker_count(policy, 96) == 2  # the example shop: two processes, beside the member site
    assert worker_count(policy, 10_000) == 8


def test_preview_reuses_the_renderer_until_a_template_changes(policy: Policy, tmp_path: Path) -> None:
    templates = tmp_path / "email_templates"
    shutil.copytree(TEMPLATES, templates)
    first = renderer_for(policy, templates)
    assert renderer_for(policy, templates) is first
    variant = next(v for v in list_variants(policy) if v.kind == "shipped")
    closing = templates / "partials" / "closing.mjml.j2"
    closing.write_text(closing.read_text(encoding="utf-8").replace("{{ tier.closing }}", "EDITED"), encoding="utf-8")
    assert "EDITED" in render_variant(policy, templates, variant).text
    assert renderer_for(policy, templates) is not first
