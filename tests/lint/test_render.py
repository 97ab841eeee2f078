"""``check --render``: emails laid out in Chromium at 375 and 600 px, for a build and for --input files."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import otokui.lint.layout as layout
from otokui.cli import run
from tests.conftest import _browser_missing

ROOT = Path(__file__).resolve().parents[2]
WIDE = """<html lang="en" dir="ltr"><head><meta charset="utf-8"></head><body style="margin:0">
<table width="640" role="presentation"><tr><td>Thank you for your order.</td></tr></table>
</body></html>
"""


def _check(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["check", *argv], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def chromium() -> None:
    reason = _browser_missing()
    if reason:
        import os

        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"check --render tests cannot run under CI=true: {reason}")
        pytest.skip(reason)


def _layout_findings(out: str) -> list[dict[str, Any]]:
    return [f for f in json.loads(out)["findings"] if f["rule"] == "OT1501"]


def test_input_file_too_wide_for_a_phone_is_reported_at_its_element(tmp_path: Path, chromium: None) -> None:
    mail = tmp_path / "mail.html"
    mail.write_text(WIDE, encoding="utf-8")
    code, out, _ = _check("--input", str(mail), "--locale", "en", "--render", "--format", "json")
    found = _layout_findings(out)
    assert code == 1
    assert [(f["line"], f["column"]) for f in found] == [(2, 1), (2, 1)]  # the <table>, at each width
    assert "at 375 px, <table> sticks out 265 px" in found[0]["message"]
    assert "at 600 px, <table> sticks out 40 px" in found[1]["message"]


def test_without_render_the_layout_is_not_checked(tmp_path: Path) -> None:
    mail = tmp_path / "mail.html"
    mail.write_text(WIDE, encoding="utf-8")
    _, out, _ = _check("--input", str(mail), "--locale", "en", "--format", "json")
    assert _layout_findings(out) == []


def test_the_example_build_fits_both_widths(tmp_path: Path, chromium: None) -> None:
    shop = tmp_path / "shop"
    shop.mkdir()
    shutil.copy(ROOT / "rules.yaml", shop / "rules.yaml")
    out, err = io.StringIO(), io.StringIO()
    assert run(["build", "--policy", str(shop / "rules.yaml"), "--out", str(shop / "dist"), "--no-site"], out, err) == 0
    code, report, _ = _check("--policy", str(shop / "rules.yaml"), "--out", str(shop / "dist"), "--render")
    assert code == 0, report
    # and a layout that breaks is found in the build as well
    mail = next((shop / "dist" / "emails" / "thanks_review" / "ja").glob("first.html"))
    mail.write_text(mail.read_text(encoding="utf-8").replace("<body", '<body style="min-width:700px"', 1))
    code, report, _ = _check("--policy", str(shop / "rules.yaml"), "--out", str(shop / "dist"), "--render")
    assert code == 1
    assert "emails/thanks_review/ja/first.html" in report and "OT1501" in report and "at 375 px" in report


def test_without_chromium_the_rest_is_checked_and_the_skip_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mail = tmp_path / "mail.html"
    mail.write_text(WIDE, encoding="utf-8")
    monkeypatch.setattr(layout, "CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.delenv("CI", raising=False)
    code, out, err = _check("--input", str(mail), "--locale", "en", "--render", "--format", "json")
    assert "check --render skipped the layout check (OT1501)" in err and "no-chromium" in err
    assert _layout_findings(out) == [] and json.loads(out)["findings"]  # the other rules still ran
    monkeypatch.setenv("CI", "true")
    code, out, err = _check("--input", str(mail), "--locale", "en", "--render")
    assert code == 2
    assert "check --render cannot run under CI=true" in err and "Traceback" not in err
