"""Guidelines a policy that builds may break are the checker's: findings with rule ids, and the build goes on."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from otokui.cli import run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "rules.yaml").read_text(encoding="utf-8")
CHECKS = "checks:\n  clients: [gmail, apple-mail, outlook, yahoo]\n"


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def policy(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = EXAMPLE
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "rule", "message"),
    [
        (("guest_checkout: true", "guest_checkout: false"), "OT104", "guest checkout is switched off"),
        (("threshold: {spend: 50000}", "threshold: {spend: 10000}"), "OT803", "rank 'gold' needs spend 10,000"),
        (
            ("benefits: [points_plus, birthday_coupon]", "benefits: [points_plsu, birthday_coupon]"),
            "OT804",
            "rank 'silver' names benefit 'points_plsu', which is not defined",
        ),
    ],
    ids=["guest-checkout", "thresholds", "unknown-benefit"],
)
def test_validate_reports_checker_findings_with_their_position(
    tmp_path: Path, edit: tuple[str, str], rule: str, message: str
) -> None:
    path = policy(tmp_path, edit)
    code, out, err = call("validate", "--policy", str(path))
    assert (code, err) == (1, "")
    line = next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if edit[1] in row)
    finding = next(row for row in out.splitlines() if f" {rule} " in row)
    assert finding.startswith(f"{path}:{line}:"), finding
    assert message in finding


def test_ot801_max_is_read_from_rules_yaml(tmp_path: Path) -> None:
    """The example has four ranks: within the default maximum of 5, over a shop's own maximum of 3."""
    code, out, _ = call("validate", "--policy", str(policy(tmp_path)))
    assert code == 0 and "OT801" not in out
    strict = policy(tmp_path, (CHECKS, CHECKS + "  rules:\n    OT801: {options: {max: 3}}\n"))
    code, out, _ = call("validate", "--policy", str(strict))
    assert code == 1
    assert "OT801" in out and "4 ranks; customers cannot tell more than 3 apart" in out


def test_ot801_max_lets_a_shop_have_six_ranks(tmp_path: Path) -> None:
    six = (
        "      threshold: {spend: 120000}\n",
        "      threshold: {spend: 120000}\n"
        "    - id: diamond\n      name: {ja: ダイヤモンド, en: Diamond}\n      threshold: {spend: 200000}\n"
        "    - id: legend\n      name: {ja: レジェンド, en: Legend}\n      threshold: {spend: 300000}\n",
    )
    code, out, _ = call("validate", "--policy", str(policy(tmp_path, six)))
    assert code == 1 and "6 ranks; customers cannot tell more than 5 apart" in out
    allowed = policy(tmp_path, six, (CHECKS, CHECKS + "  rules:\n    OT801: {options: {max: 6}}\n"))
    code, out, err = call("validate", "--policy", str(allowed))
    assert "OT801" not in out, out
    assert "6 ranks" in out and err == ""


def test_a_policy_finding_does_not_stop_the_build(tmp_path: Path) -> None:
    path = policy(tmp_path, ("guest_checkout: true", "guest_checkout: false"))
    code, out, err = call("build", "--policy", str(path), "--out", str(tmp_path / "dist"), "--no-site")
    assert code == 1, err
    assert "OT104" in out
    assert (tmp_path / "dist" / "emails" / "manifest.json").is_file()


def test_a_bad_checks_section_stops_the_build(tmp_path: Path) -> None:
    path = policy(tmp_path, (CHECKS, CHECKS + "  rules:\n    OT8O1: {level: warning}\n"))
    code, out, err = call("build", "--policy", str(path), "--out", str(tmp_path / "dist"), "--no-site")
    assert code == 2 and out == ""
    assert "checks.rules.OT8O1" in err and "nothing was built" in err
    assert not (tmp_path / "dist").exists()
