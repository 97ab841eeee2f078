"""The member site as the build runs it: the theme's files, compiled once per project, the site process's priority."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from otokui import cache
from otokui.policy.load import load_policy
from otokui.site.build import build_site, theme_environments

ROOT = Path(__file__).resolve().parents[2]


def theme_files(config_file: Path, *, ours: bool) -> list[str]:
    config = load_config(str(config_file), site_dir=str(config_file.parent / "out"))
    if ours:
        theme_environments(config.theme)
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    return sorted(f"{file.src_uri} <- {file.abs_src_path}" for file in files)


def test_the_site_copies_the_same_theme_files_as_mkdocs(tmp_path: Path) -> None:
    site_src = tmp_path / "site_src"
    (site_src / "docs").mkdir(parents=True)
    (site_src / "mkdocs.yml").write_text(
        "site_name: x\ntheme:\n  name: material\n  custom_dir: overrides\n", encoding="utf-8"
    )
    for name in ("assets/shop.css", "assets/.hidden.css", ".icons/shop/mark.svg", "a/.b/c.js", "main.html"):
        path = site_src / "overrides" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("/* x */", encoding="utf-8")
    ours = theme_files(site_src / "mkdocs.yml", ours=True)
    assert ours == theme_files(site_src / "mkdocs.yml", ours=False)
    assert any(line.startswith("assets/shop.css <- ") for line in ours)
    assert any(line.startswith("assets/javascripts/") for line in ours)  # Material's own assets


def test_the_theme_is_compiled_once_per_project(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy = load_policy(shop / "rules.yaml")
    monkeypatch.setattr(cache, "_root", None)  # put back as it was after the test
    cache.use_project(shop / "rules.yaml")
    build_site(policy, shop / "rules.yaml", shop / "site_src", shop / "out")
    compiled: list[str | None] = []
    original = jinja2.Environment.compile

    def compile_counted(self: jinja2.Environment, source: str, name: str | None = None, *args: object) -> object:
        compiled.append(name)
        return original(self, source, name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", compile_counted)
    build_site(policy, shop / "rules.yaml", shop / "site_src", shop / "out")
    assert compiled == []
    assert (shop / "out" / "en" / "index.html").is_file()


#: Run in a fresh interpreter (one thread, as a build is): the site job reports its own priority.
_PRIORITY = """
import os, sys
from pathlib import Path
from otokui.policy.load import load_policy
from otokui.site import background
shop = Path(sys.argv[1])
background._build = lambda *args: ([], [os.nice(0)], [])
job = background.SiteJob(load_policy(shop / "rules.yaml"), shop / "rules.yaml", shop / "site_src", shop / "out")
forked = job.in_background
_, (niceness,), _ = job.result()
print(forked, os.nice(0), niceness, background.NICENESS)
"""


def test_the_site_beside_the_emails_gives_them_the_cores_first(shop: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PRIORITY, str(shop)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    in_background, parent, niceness, step = done.stdout.split()
    assert in_background == "True"
    assert int(niceness) == min(19, int(parent) + int(step))
    assert int(niceness) > int(parent) or int(parent) == 19


#: A whole build in a fresh interpreter: does its own process load MkDocs?
_MAIN_PROCESS = """
import sys
from pathlib import Path
from otokui.pipeline import Project, build
shop = Path(sys.argv[1])
result = build(Project.locate(shop / "rules.yaml", shop / "email_templates", shop / "site_src"), shop / "dist")
print(result.pages, "mkdocs" in sys.modules)
"""


def test_the_build_leaves_mkdocs_to_the_site_process(shop: Path) -> None:
    """MkDocs' start-up (a fifth of a second) is paid beside the emails, not before them."""
    done = subprocess.run(
        [sys.executable, "-c", _MAIN_PROCESS, str(shop)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    pages, loaded = done.stdout.split()
    assert int(pages) > 0 and (shop / "dist" / "site" / "index.html").is_file()
    assert loaded == "False"
