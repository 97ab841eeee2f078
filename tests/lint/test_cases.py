"""Every case under ``cases/<RULE>/`` gives exactly the findings in its ``.expected`` file.

Set ``OTOKUI_UPDATE_CASES=1`` to rewrite the expected files from the current
output (then review the diff).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from otokui.lint.rules import BY_ID
from tests.conftest import _browser_missing
from tests.lint.conftest import CASES, format_findings, load_case, run_rule


def all_cases() -> list[Path]:
    out: list[Path] = []
    for rule_dir in sorted(p for p in CASES.iterdir() if p.is_dir()):
        for case in sorted(rule_dir.iterdir()):
            if case.name.startswith(("pass_", "fail_")) and case.suffix != ".expected":
                out.append(case)
    return out


def expected_file(case: Path) -> Path:
    return case.with_name(case.stem + ".expected") if case.is_file() else case.with_name(case.name + ".expected")


@pytest.mark.parametrize("case", all_cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_case(case: Path) -> None:
    rule_id = case.parent.name
    if getattr(BY_ID[rule_id], "renders", False):  # laid out in Chromium: skipped without it, failed under CI
        reason = _browser_missing()
        if reason and os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{rule_id} cases cannot run under CI=true: {reason}")
        if reason:
            pytest.skip(reason)
    artifacts, policy = load_case(case)
    got = format_findings(run_rule(rule_id, artifacts, policy))
    expected = expected_file(case)
    if os.environ.get("OTOKUI_UPDATE_CASES") and case.name.startswith("fail_"):
        expected.write_text("".join(line + "\n" for line in got), encoding="utf-8")
    if case.name.startswith("pass_"):
        assert got == []
        assert not expected.exists()
    else:
        assert got, "a fail case must produce findings"
        assert got == expected.read_text(encoding="utf-8").splitlines()
