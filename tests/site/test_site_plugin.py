"""The MkDocs side: strict builds fail as BuildError, builds are quiet, the plugin's own events."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import PluginError

from otokui.color import contrast
from otokui.errors import BuildError
from otokui.policy.model import Policy
from otokui.site import build_site
from otokui.site.plugin import OtokuiPlugin, read_policy
from otokui.site.theme import brand_css
from tests.site.site_variants import RULES, SITE_SRC, example_data, make_policy


@pytest.fixture
def site_src(tmp_path: Path) -> Path:
    """A copy of site_src/ a test may break."""
    copy = tmp_path / "site_src"
    shutil.copytree(SITE_SRC, copy)
    return copy


def test_a_normal_build_prints_nothing(
    example_policy: Policy, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    build_site(example_policy, RULES, SITE_SRC, tmp_path / "site")
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_a_strict_warning_is_a_build_error(
    example_policy: Policy, site_src: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    (site_src / "docs/ja/about.md").write_text("# About\n\n[gone](missing.md)\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build_site(example_policy, RULES, site_src, tmp_path / "site")
    message = str(caught.value)
    assert message.startswith("member site (ja): MkDocs build failed")
    assert "missing.md" in message and "about.md" in message
    assert "Traceback" not in message
    assert capfd.readouterr() == ("", "")


def test_missing_configuration_or_plugin(example_policy: Policy, site_src: Path, tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="no MkDocs configuration"):
        build_site(example_policy, RULES, tmp_path / "nowhere", tmp_path / "site")
    config = site_src / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - otokui:", "  - otokui_gone:"), "utf-8")
    with pytest.raises(BuildError, match="'otokui' plugin is not listed"):
        build_site(example_policy, RULES, site_src, tmp_path / "site")


def test_a_handwritten_page_can_replace_a_generated_one(example_policy: Policy, site_src: Path, tmp_path: Path) -> None:
    (site_src / "docs/en/faq.md").write_text("# Questions\n\nAsk us anything.\n", encoding="utf-8")
    artifacts = build_site(example_policy, RULES, site_src, tmp_path / "site")
    faq = next(a for a in artifacts if a.path == "site/en/faq.html")
    assert "Ask us anything." in faq.text
    assert faq.context is not None and faq.context.kind == "faq"


def test_single_locale_shop_has_no_language_selector(tmp_path: Path) -> None:
    data = example_data()
    data["shop"]["locales"] = ["ja"]
    artifacts = build_site(make_policy(data), RULES, SITE_SRC, tmp_path / "site")
    assert {a.context.locale for a in artifacts if a.context} == {"ja"}
    assert not (tmp_path / "site/en").exists()
    assert "md-select__link" not in (tmp_path / "site/index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- plugin events


class _Server:
    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


def test_serve_watches_the_policy(site_src: Path) -> None:
    plugin = OtokuiPlugin()
    plugin.policy_path = RULES
    server = _Server()
    assert plugin.on_serve(server, config=Any, builder=None) is server  # type: ignore[arg-type]
    assert server.watched == [str(RULES)]


def test_unreadable_policy_is_a_plugin_error(tmp_path: Path) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text("version: 1\nshop: {name: x}\n", encoding="utf-8")
    with pytest.raises(PluginError):
        read_policy(bad)
    with pytest.raises(PluginError):
        read_policy(tmp_path / "absent.yaml")


def test_an_english_only_shop_is_built_at_the_root(site_src: Path, tmp_path: Path) -> None:
    data = example_data()
    data["shop"]["locales"] = ["en"]
    data["shop"]["default_locale"] = "en"
    artifacts = build_site(make_policy(data), RULES, site_src, tmp_path / "site")
    assert {a.path for a in artifacts} >= {"site/index.html", "site/faq.html"}
    assert '<html lang="en"' in (tmp_path / "site/index.html").read_text(encoding="utf-8")


def test_brand_css_keeps_text_readable() -> None:
    data = example_data()
    data["shop"]["brand"]["primary_color"] = "#ffeb3b"  # a light yellow
    css = brand_css(make_policy(data))
    assert "--md-primary-bg-color: #000000;" in css  # dark text on the light header
    link = css.split("--md-typeset-a-color: ")[1][:7]
    assert contrast(link, "#ffffff") >= 4.5


# ---------------------------------------------------------------------------- the mkdocs command


@pytest.fixture
def entry_point(tmp_path: Path) -> dict[str, str]:
    """An environment where ``mkdocs`` finds the plugin by its entry point, installed or not."""
    info = tmp_path / "ep" / "otokui_site_test-0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: otokui-site-test\nVersion: 0\n", "utf-8")
    (info / "entry_points.txt").write_text("[mkdocs.plugins]\notokui = otokui.site.plugin:OtokuiPlugin\n", "utf-8")
    root = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join([str(info.parent), root, os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path}


@pytest.mark.parametrize(("locale", "lang"), [("", "ja"), ("en", "en")])
def test_mkdocs_build_strict_from_the_command_line(
    entry_point: dict[str, str], tmp_path: Path, locale: str, lang: str
) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(SITE_SRC / "mkdocs.yml")]
    result = subprocess.run(
        [*command, "-d", str(out)],
        env={**entry_point, "OTOKUI_LOCALE": locale},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f'<html lang="{lang}"' in (out / "ranks/gold.html").read_text(encoding="utf-8")
