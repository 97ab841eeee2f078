from __future__ import annotations

import json
from pathlib import Path

import pytest

from otokui.emails import MANIFEST, list_variants, render_emails
from otokui.policy.model import Policy
from tests.emails.conftest import TEMPLATES, make_policy, policy_data


@pytest.fixture(scope="module")
def artifacts(policy: Policy) -> list:  # type: ignore[type-arg]
    return render_emails(policy, TEMPLATES)


def test_manifest_lists_every_file(policy: Policy, artifacts: list) -> None:  # type: ignore[type-arg]
    by_path = {a.path: a for a in artifacts}
    assert len(by_path) == len(artifacts), "no path is produced twice"
    manifest = json.loads(by_path[MANIFEST].data)
    entries = manifest["variants"]
    assert len(entries) == len(list_variants(policy))
    listed = {e["html"] for e in entries} | {e["text"] for e in entries} | {MANIFEST}
    assert listed == {path for path in by_path if path.startswith("emails/")}
    for entry in entries:
        html = by_path[entry["html"]]
        assert entry["bytes"] == len(html.data)
        assert entry["html"] == f"emails/{entry['kind']}/{entry['locale']}/{entry['variant']}.html"
        assert set(entry) == {
            "kind",
            "locale",
            "variant",
            "tier",
            "rank",
            "notices",
            "category",
            "subject",
            "preheader",
            "html",
            "text",
            "bytes",
        }
        assert html.extra["subject"] == entry["subject"]


def test_every_html_artifact_carries_its_context(policy: Policy, artifacts: list) -> None:  # type: ignore[type-arg]
    for artifact in artifacts:
        if artifact.path.startswith("letters/"):
            continue  # see test_letters.py
        if artifact.path == MANIFEST:
            assert artifact.media_type == "application/json"
            continue
        ctx = artifact.context
        assert ctx is not None and ctx.surface == "email"
        kind, locale, name = Path(artifact.path).with_suffix("").parts[1:]
        assert (ctx.kind, ctx.locale, ctx.variant) == (kind, locale, name)
        assert ctx.disclosure == policy.membership.disclosure.mode
        assert ctx.category in ("transactional", "relationship", "marketing")
        assert artifact.media_type == ("text/html" if artifact.path.endswith(".html") else "text/plain")


def test_disabled_kinds_are_not_rendered() -> None:
    data = policy_data()
    data["emails"]["birthday"]["enabled"] = False
    artifacts = render_emails(make_policy(data), TEMPLATES)
    assert not [a for a in artifacts if a.path.startswith("emails/birthday/")]


def test_premailer_is_selectable(policy: Policy) -> None:
    data = policy_data()
    data["build"]["inliner"] = "premailer"
    premailer_policy = make_policy(data)
    from otokui.emails import render_variant

    variant = next(v for v in list_variants(premailer_policy) if v.kind == "order_confirmation")
    email = render_variant(premailer_policy, TEMPLATES, variant)
    assert 'lang="ja"' in email.html and 'name="color-scheme"' in email.html
    assert "font-size:22px" in email.html.replace(" ", "")  # h1.heading was inlined
    assert "https://fonts.googleapis.com" not in email.html
