"""A failed build leaves the previous output exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from otokui.errors import BuildError, PolicyError, TemplateError
from otokui.pipeline import Project, build
from tests.folders import snapshot

ROOT = Path(__file__).resolve().parents[2]


def first_build(shop: Path) -> tuple[Path, dict[str, bytes]]:
    out = shop / "dist"
    build(Project.locate(shop / "rules.yaml"), out, run_checks=False, site=False)
    return out, snapshot(out)


def test_build_writes_emails_manifest_and_snippets(shop: Path) -> None:
    _, files = first_build(shop)
    assert "emails/manifest.json" in files
    assert "emails/thanks_review/ja/first.html" in files
    assert any(name.startswith("snippets/notices/bank_transfer_fast.ja") for name in files)
    assert not list(shop.glob(".dist-build-*")), "staging folder left behind"


def test_failure_mid_build_leaves_previous_output(shop: Path) -> None:
    out, before = first_build(shop)

    def explode(stage: Path) -> None:
        assert (stage / "emails" / "manifest.json").exists()  # the new build was half-way written
        raise OSError(28, "No space left on device")

    with pytest.raises(BuildError, match="No space left on device"):
        build(Project.locate(shop / "rules.yaml"), out, run_checks=False, site=False, before_commit=explode)
    assert snapshot(out) == before
    assert not list(shop.glob(".dist-build-*"))


def test_policy_error_leaves_previous_output(shop: Path) -> None:
    out, before = first_build(shop)
    policy = shop / "rules.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("mode: surprise", "mode: secret"), encoding="utf-8")
    with pytest.raises(PolicyError):
        build(Project.locate(policy), out, run_checks=False, site=False)
    assert snapshot(out) == before


def test_template_error_leaves_previous_output(shop: Path) -> None:
    out, before = first_build(shop)
    layout = next((shop / "email_templates").rglob("*.mjml.j2"))
    layout.write_text(layout.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        build(Project.locate(shop / "rules.yaml"), out, run_checks=False, site=False)
    assert layout.name in str(caught.value)
    assert snapshot(out) == before


def test_rebuild_replaces_stale_files(shop: Path) -> None:
    out, _ = first_build(shop)
    (out / "stale.html").write_text("old", encoding="utf-8")
    build(Project.locate(shop / "rules.yaml"), out, run_checks=False, site=False)
    assert not (out / "stale.html").exists()
    assert (out / "emails" / "manifest.json").exists()
