"""checks: in rules.yaml: validation with suggestions, and the configuration it gives."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from otokui.errors import PolicyError
from otokui.lint.config import LintConfig, validate_checks
from otokui.lint.rules import BY_ID
from otokui.policy.model import Policy

PolicyWith = Callable[[dict[str, Any]], Policy]


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
