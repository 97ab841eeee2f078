"""checks: in rules.yaml: validation with suggestions, and the configuration it gives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from otokui.cli import run
from otokui.errors import PolicyError
from otokui.lint.config import LintConfig, validate_checks
from otokui.lint.rules import BY_ID
from otokui.policy.model import Policy

PolicyWith = Callable[[dict[str, Any]], Policy]
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("checks", "expected"),
    [
        pytest.param(
            {"rules": {"OT3O1": {}}},
            [(("checks", "rules", "OT3O1"), "unknown rule 'OT3O1'; did you mean 'OT301'?")],
            id="typo-id",
        ),
        pytest.param(
            {"rules": {"presure-wording": {}}},
            [
                (
                    ("checks", "rules", "presure-wording"),
                    "unknown rule 'presure-wording'; did you mean 'pressure-wording'?",
                )
            ],
            id="typo-name",
        ),
        pytest.param({"rules": {"zzz": {}}}, [(("checks", "rules", "zzz"), "unknown rule 'zzz'")], id="no-suggestion"),
        pytest.param(
            {"rules": {"OT901": {"options": {"max_k": 90}}}},
            [(("checks", "rules", "OT901", "options", "max_k"), "OT901 has no option 'max_k'; did you mean 'max_kb'?")],
            id="typo-option",
        ),
        pytest.param(
            {"rules": {"OT301": {"options": {"x": 1}}}},
            [(("checks", "rules", "OT301", "options", "x"), "OT301 has no option 'x' (it has none)")],
            id="rule-without-options",
        ),
        pytest.param(
            {"rules": {"OT901": {"options": {"max_kb": "big"}}, "OT501": {"options": {"categories": "marketing"}}}},
            [
                (("checks", "rules", "OT901", "options", "max_kb"), "OT901 option 'max_kb': expected a number"),
                (
                    ("checks", "rules", "OT501", "options", "categories"),
                    "OT501 option 'categories': expected a list of texts",
                ),
            ],
            id="option-types",
        ),
        pytest.param(
            {"rules": {"OT301": {}, "first-tier-presumes-patronage": {}}},
            [(("checks", "rules", "first-tier-presumes-patronage"), "OT301 is already configured as 'OT301'")],
            id="twice",
        ),
        pytest.param(
            {"phrases": {"presure": {"ja": ["急げ"]}}},
            [(("checks", "phrases", "presure"), "unknown phrase list 'presure'; did you mean 'pressure'?")],
            id="phrase-list",
        ),
        pytest.param(
            {"rules": {"OT501": {"options": {"categories": ["relationshp", "marketing"]}}}},
            [
                (
                    ("checks", "rules", "OT501", "options", "categories", 0),
                    "OT501 option 'categories': unknown value 'relationshp'; did you mean 'relationship'?",
                )
            ],
            id="typo-option-value",
        ),
        pytest.param(
            {"rules": {"OT503": {"options": {"categories": ["weekly"]}}}},
            [
                (
                    ("checks", "rules", "OT503", "options", "categories", 0),
                    "OT503 option 'categories': unknown value 'weekly'; expected one of 'transactional',"
                    " 'relationship', 'marketing'",
                )
            ],
            id="unknown-option-value",
        ),
        pytest.param(
            {"phrases": {"pressure": {"ja": ["まとめ買い", "(急ぐ|"]}}},
            [
                (
                    ("checks", "phrases", "pressure", "ja", 1),
                    "'(' without ')' in '(急ぐ|'; see docs/checker.md",
                )
            ],
            id="broken-extra-phrase",
        ),
        pytest.param({"rules": {"ot301": {"level": "warning"}, "OT1302": {"level": "info"}}}, [], id="valid"),
    ],
)
def test_validate_checks(policy_with: PolicyWith, checks: dict[str, Any], expected: list[Any]) -> None:
    assert validate_checks(policy_with({"checks": checks})) == expected


def test_every_problem_is_reported_at_once(policy_with: PolicyWith) -> None:
    policy = policy_with({"checks": {"rules": {"OT999": {}, "OT901": {"options": {"a": 1, "b": 2}}}}})
    assert len(validate_checks(policy)) == 3


def test_from_policy_raises_policy_error_with_positions(policy_with: PolicyWith) -> None:
    policy = policy_with({"checks": {"rules": {"OT3O1": {}}}})
    with pytest.raises(PolicyError) as raised:
        LintConfig.from_policy(policy, policy_file="rules.yaml")
    assert raised.value.lines()[0] == "rules.yaml:1:1: checks.rules.OT3O1: unknown rule 'OT3O1'; did you mean 'OT301'?"


def test_from_policy(policy_with: PolicyWith) -> None:
    policy = policy_with(
        {
            "checks": {
                "clients": ["gmail", "outlook"],
                "rules": {
                    "pressure-wording": {
                        "level": "warning",
                        "options": {"categories": ["marketing"]},
                        "ignore": ["site/*"],
                    },
                    "ot1302": {"level": "info"},
                },
                "phrases": {"pressure": {"ja": ["まとめ買い"]}},
            }
        }
    )
    config = LintConfig.from_policy(policy)
    assert config.clients == ("gmail", "outlook")
    assert config.level_for(BY_ID["OT501"]) == "warning"
    assert config.level_for(BY_ID["OT1302"]) == "info"
    assert config.level_for(BY_ID["OT301"]) == "error"
    assert config.options_for(BY_ID["OT501"]).strings("categories") == ("marketing",)
    assert config.ignored(BY_ID["OT501"], "site/faq.html")
    assert not config.ignored(BY_ID["OT501"], "emails/x.html")
    assert config.phrases == {"pressure": {"ja": ("まとめ買い",)}}


def test_rules_off_by_default() -> None:
    assert LintConfig().level_for(BY_ID["OT1302"]) is None


def test_a_mistyped_option_value_and_a_broken_phrase_are_reported_at_their_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (ROOT / "rules.yaml").read_text(encoding="utf-8")
    assert "\nchecks:\n" in source
    source = source.replace(
        "\nchecks:\n",
        "\nchecks:\n  rules:\n    OT501:\n      options: {categories: [relationshp]}\n"
        '  phrases:\n    pressure:\n      ja: [まとめ買い, "(急ぐ|"]\n',
    )
    policy = tmp_path / "rules.yaml"
    policy.write_text(source, encoding="utf-8")
    line = source.splitlines().index("      options: {categories: [relationshp]}") + 1
    code = run(["validate", "--policy", str(policy)])
    err = capsys.readouterr().err
    assert code == 2
    assert (
        f"{policy}:{line}:30: checks.rules.OT501.options.categories[0]: OT501 option 'categories':"
        " unknown value 'relationshp'; did you mean 'relationship'?"
    ) in err
    assert f"{policy}:{line + 3}:19: checks.phrases.pressure.ja[1]: '(' without ')'" in err
