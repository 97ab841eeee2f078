"""Compiled templates are kept in the project's own cache folder, and never go stale."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from otokui import cache
from otokui.pipeline import Project, build
from otokui.site.background import SiteJob


def cached_files(shop: Path) -> list[Path]:
    return sorted(p for p in (shop / cache.CACHE_DIR).rglob("*.cache"))


def test_build_keeps_compiled_templates_beside_the_policy_not_in_the_output(shop: Path) -> None:
    build(Project.locate(shop / "rules.yaml"), shop / "dist", run_checks=False)
    files = cached_files(shop)
    kinds = {p.parent.name for p in files}
    assert kinds == {f"{cache.__version__}-{k}" for k in ("email-sandbox", "site-pages", "site-theme")}
    assert not [p for p in (shop / "dist").rglob("*") if ".cache" in p.name or cache.CACHE_DIR in p.parts]
    assert oct((shop / cache.CACHE_DIR).stat().st_mode & 0o777) == oct(0o700)


def test_a_changed_template_is_compiled_again(shop: Path) -> None:
    project = Project.locate(shop / "rules.yaml")
    build(project, shop / "dist", run_checks=False, site=False)
    greeting = shop / "email_templates" / "blocks" / "greeting.mjml.j2"
    greeting.write_text(greeting.read_text(encoding="utf-8") + "<mj-text>CACHE-PROBE</mj-text>\n", encoding="utf-8")
    build(project, shop / "dist", run_checks=False, site=False)
    assert "CACHE-PROBE" in (shop / "dist" / "emails" / "order_confirmation" / "ja" / "first.html").read_text()


def test_a_damaged_cache_costs_a_compile_not_the_build(shop: Path) -> None:
    project = Project.locate(shop / "rules.yaml")
    build(project, shop / "dist", run_checks=False, site=False)
    for path in cached_files(shop):
        path.write_bytes(b"not a cache entry")
    build(project, shop / "dist", run_checks=False, site=False)
    assert (shop / "dist" / "emails" / "manifest.json").is_file()


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_cache_folder_others_can_write_is_not_used(shop: Path) -> None:
    folder = shop / cache.CACHE_DIR
    folder.mkdir()
    folder.chmod(0o777)
    assert cache.use_project(shop / "rules.yaml") == folder
    assert cache.bytecode_cache("email-sandbox") is None
    build(Project.locate(shop / "rules.yaml"), shop / "dist", run_checks=False, site=False)
    assert cached_files(shop) == []


def test_no_cache_inside_the_output_folder(shop: Path) -> None:
    assert cache.use_project(shop / "rules.yaml", out_dir=shop) is None
    assert cache.bytecode_cache("email-sandbox") is None


def test_site_built_beside_the_emails_reports_its_errors(shop: Path, tmp_path: Path) -> None:
    (shop / "site_src" / "mkdocs.yml").unlink()
    from otokui.errors import BuildError
    from otokui.policy.load import load_policy

    job = SiteJob(load_policy(shop / "rules.yaml"), shop / "rules.yaml", shop / "site_src", tmp_path / "out")
    with pytest.raises(BuildError, match="no MkDocs configuration"):
        job.result()
