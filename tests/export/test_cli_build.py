"""`build` writes dist/export/<target>/ with the rest; `export --target` writes one target; bad input exits 2."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from otokui.cli import run
from tests.folders import snapshot


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _targets(shop: Path, line: str) -> Path:
    policy = shop / "rules.yaml"
    text = policy.read_text(encoding="utf-8")
    start = text.index("  targets: [")
    end = text.index("\n", start)
    policy.write_text(text[:start] + line + text[end:], encoding="utf-8")
    return policy


def test_build_writes_every_listed_target_and_reports_with_policy_lines(shop: Path) -> None:
    policy = _targets(shop, "  targets: [shopify, makeshop]")
    out_dir = shop / "dist"
    code, _, err = call("build", "--policy", str(policy), "--out", str(out_dir), "--no-site", "--no-check")
    assert code == 0, err
    assert (out_dir / "export/shopify/ja/order_confirmation.html.liquid").is_file()
    assert (out_dir / "export/makeshop/ja/order_confirmation/first.txt").is_file()
    assert not (out_dir / "export/ec-cube").exists()
    assert (out_dir / "emails/manifest.json").is_file()
    manifest = json.loads((out_dir / "export/shopify/manifest.json").read_text(encoding="utf-8"))
    assert manifest["target"] == "shopify" and manifest["files"]
    warning = next(line for line in err.splitlines() if "desired_delivery_within_days" in line)
    assert warning.startswith(f"warning: {policy}:") and ": notices[0].when.all[1]." in warning


def test_a_failed_build_leaves_the_previous_export_untouched(shop: Path) -> None:
    policy = _targets(shop, "  targets: [shopify]")
    out_dir = shop / "dist"
    assert call("build", "--policy", str(policy), "--out", str(out_dir), "--no-site", "--no-check")[0] == 0
    before = snapshot(out_dir)
    broken = shop / "email_templates/blocks/greeting.mjml.j2"
    broken.write_text("{% if %}", encoding="utf-8")
    code, _, err = call("build", "--policy", str(policy), "--out", str(out_dir), "--no-site", "--no-check")
    assert code == 2 and "greeting.mjml.j2" in err
    assert snapshot(out_dir) == before


def test_export_one_target_into_a_folder(shop: Path, tmp_path: Path) -> None:
    target_dir = tmp_path / "klaviyo-out"
    code, _, err = call("export", "--policy", str(shop / "rules.yaml"), "--target", "klaviyo", "--out", str(target_dir))
    assert code == 0, err
    assert (target_dir / "ja/rank_up.html").is_file() and (target_dir / "manifest.json").is_file()
    assert err.splitlines()[-1] == f"exported 25 files for klaviyo into {target_dir}/"


def test_unknown_target_and_unknown_export_key_exit_2(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = call("export", "--policy", str(shop / "rules.yaml"), "--target", "shopfy")
    printed = capsys.readouterr().err  # argparse's usage line
    assert code == 2 and "invalid choice: 'shopfy'" in printed and "Traceback" not in printed
    policy = _targets(shop, "  targets: [shopify, ec_cube]")
    code, _, err = call("validate", "--policy", str(policy))
    assert code == 2
    assert "export.targets[1]" in err and "did you mean 'ec-cube'" in err
