"""The command line: exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from otokui.cli import run
from otokui.policy.schema import schema

ROOT = Path(__file__).resolve().parents[2]


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_validate_example() -> None:
    code, out, err = call("validate", "--policy", str(ROOT / "rules.yaml"))
    assert code == 0, err
    assert "valid (4 ranks, 7 email kinds, 3 notices)" in out


def test_missing_policy_is_one_line_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    code, _, err = call("build", "--policy", str(missing), "--out", str(tmp_path / "dist"))
    assert code == 2
    assert err == f"{missing}: no such policy file (pass --policy PATH)\n"
    assert not (tmp_path / "dist").exists()


def test_policy_folder_instead_of_file(tmp_path: Path) -> None:
    code, _, err = call("validate", "--policy", str(tmp_path))
    assert (code, err) == (2, f"{tmp_path}: is a folder, not a policy file\n")


def test_broken_policy_exit_2_every_problem_no_traceback(tmp_path: Path) -> None:
    text = (ROOT / "rules.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "rules.yaml"
    bad.write_text(
        text.replace("mode: surprise", "mode: suprise").replace("  legal_name:", "  legal_nam:"), encoding="utf-8"
    )
    code, out, err = call("build", "--policy", str(bad), "--out", str(tmp_path / "dist"))
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 4
    assert lines[-1] == "3 problems in the policy; nothing was built."
    assert all(line.startswith(f"{bad}:") for line in lines[:-1])
    assert "Traceback" not in err


def test_usage_error_exit_2() -> None:
    code, _, _ = call("build", "--format", "xml")
    assert code == 2
    code, _, _ = call("frobnicate")
    assert code == 2


def test_schema_is_committed_and_current() -> None:
    committed = json.loads((ROOT / "otokui" / "rules.schema.json").read_text(encoding="utf-8"))
    assert committed == schema(), "run `make schema` and commit otokui/rules.schema.json"
    assert "$ref" in json.dumps(committed["properties"]["shop"])
    first_line = (ROOT / "rules.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=./otokui/rules.schema.json"


def test_schema_command_prints_json() -> None:
    code, out, _ = call("schema")
    assert code == 0
    assert json.loads(out)["title"] == "otokui policy (rules.yaml)"


def test_build_and_check_example_exit_codes(tmp_path: Path) -> None:
    out_dir = tmp_path / "dist"
    code, out, err = call(
        "build", "--policy", str(ROOT / "rules.yaml"), "--out", str(out_dir), "--no-site", "--format", "json"
    )
    assert code in (0, 1)
    report = json.loads(out)
    assert code == (1 if report["summary"]["error"] else 0)
    assert len(report["findings"]) == sum(report["summary"].values())
    assert "built 96 emails" in err
    code2, out2, _ = call("check", "--policy", str(ROOT / "rules.yaml"), "--out", str(out_dir), "--format", "json")
    assert code2 in (0, 1)
    assert json.loads(out2)["summary"] == report["summary"]


def test_check_without_build_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = call("check", "--policy", str(ROOT / "rules.yaml"), "--out", str(tmp_path / "none"))
    assert code == 2
    assert "no build found" in err


def test_build_py_entry_point_runs(tmp_path: Path) -> None:
    shutil.copy(ROOT / "rules.yaml", tmp_path / "rules.yaml")
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "validate", "--policy", str(tmp_path / "rules.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "valid" in done.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "junit"])
def test_every_format_is_accepted(tmp_path: Path, fmt: str) -> None:
    page = tmp_path / "mail.html"
    page.write_text(
        '<html lang="ja" dir="ltr"><body><p>いつもありがとうございます</p><img src="https://x.example/a.png"></body></html>',
        encoding="utf-8",
    )
    code, out, err = call(
        "check",
        "--policy",
        str(ROOT / "rules.yaml"),
        "--input",
        str(page),
        "--kind",
        "thanks_review",
        "--locale",
        "ja",
        "--tier",
        "first",
        "--format",
        fmt,
    )
    assert code == 1, err
    assert "OT301" in out or "OT301" in json.dumps(out)


def test_policy_errors_become_github_annotations(tmp_path: Path) -> None:
    bad = tmp_path / "rules.yaml"
    text = (ROOT / "rules.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("mode: surprise", "mode: suprise"), encoding="utf-8")
    code, out, err = call("check", "--policy", str(bad), "--format", "github")
    assert code == 2
    line = next(n for n, row in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if "suprise" in row)
    assert out.startswith(
        f"::error file={str(bad).replace(':', '%3A')},line={line},col=11,title=policy::membership.disclosure.mode: "
    )
    assert "did you mean 'surprise'?" in out
    assert "membership.disclosure.mode" in err
