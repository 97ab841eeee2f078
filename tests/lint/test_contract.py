"""Every registered rule is documented and tested, and the rules reference is up to date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from otokui.lint.docs import REQUIRED_SECTIONS, render_markdown, sections
from otokui.lint.rule import Rule
from otokui.lint.rules import BY_ID, BY_NAME, RULES
from tests.lint.conftest import CASES

ROOT = Path(__file__).resolve().parents[2]


def test_ids_and_names_are_unique_and_well_formed() -> None:
    assert len(BY_ID) == len(RULES) and len(BY_NAME) == len(RULES)
    for rule in RULES:
        assert re.fullmatch(r"OT(1[0-5]|[1-9])\d\d", rule.id), rule.id
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", rule.name), rule.name
        assert rule.level in ("error", "warning", "info", "off")


def test_rules_are_listed_in_id_order() -> None:
    numbers = [(int(rule.id[2:-2]), int(rule.id[-2:])) for rule in RULES]
    assert numbers == sorted(numbers)


def test_one_module_per_rule() -> None:
    modules = [rule.__module__ for rule in RULES]
    assert len(set(modules)) == len(modules)
    for rule in RULES:
        assert rule.__module__.rsplit(".", 1)[1].startswith(rule.id.lower() + "_")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_docstring_has_required_sections(rule: type[Rule]) -> None:
    found = sections(rule)
    assert rule.summary().endswith("."), "the summary line is a sentence"
    for title in REQUIRED_SECTIONS:
        assert found.get(title), f"{rule.id}: missing or empty section {title!r}"
    example = found["Example"]
    assert "Fail" in example and "Pass" in example and example.count("```") >= 4
    if rule.options:
        assert found.get("Options"), f"{rule.id} has options but no Options section"
        for option in rule.options:
            assert f"`{option}`" in found["Options"], f"{rule.id}: option {option} is not documented"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_has_pass_and_fail_cases(rule: type[Rule]) -> None:
    folder = CASES / rule.id
    names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    assert any(n.startswith("pass_") for n in names), f"{rule.id}: no pass_ case in {folder}"
    fails = [n for n in names if n.startswith("fail_") and not n.endswith(".expected")]
    assert fails, f"{rule.id}: no fail_ case in {folder}"


def test_case_folders_name_registered_rules() -> None:
    assert {p.name for p in CASES.iterdir() if p.is_dir()} <= set(BY_ID)


def test_rules_reference_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == render_markdown(), "run: python -m otokui.lint.docs > docs/rules.md"
