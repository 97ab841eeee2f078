"""The five report formats, pinned exactly, and the exit code."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from otokui.lint.finding import Finding
from otokui.lint.report import FORMATS, escape_data, escape_property, exit_code, render
from otokui.lint.rules import BY_ID, RULES

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"

FINDINGS = [
    Finding(
        "emails/thanks_review/ja/first.html",
        12,
        5,
        "OT301",
        "error",
        "first-purchase variant presumes past patronage: 'いつも'",
        "Thank the customer for finding the shop.",
    ),
    Finding(
        "emails/shipped/en/first.html",
        3,
        14,
        "OT1301",
        "warning",
        "'display:flex' is not supported in Outlook (windows, windows-mail)",
        "https://www.caniemail.com/features/css-display-flex/",
    ),
    Finding("rules.yaml", 40, 3, "OT802", "warning", "5 ranks; more than 4 is hard for customers to follow, 100%: ok"),
    Finding("site/faq.html", 7, 1, "OT1302", "info", "line one\r\nline two"),
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_snapshot(fmt: str) -> None:
    got = render(FINDINGS, fmt)
    snapshot = SNAPSHOTS / f"report.{fmt}"
    if os.environ.get("OTOKUI_UPDATE_SNAPSHOTS"):
        snapshot.write_text(got, encoding="utf-8")
    assert got == snapshot.read_text(encoding="utf-8")


def test_text_clean() -> None:
    assert render([], "text") == "No problems found.\n"


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render([], "xml")


@pytest.mark.parametrize(
    ("levels", "strict", "code"),
    [
        ((), False, 0),
        (("info",), True, 0),
        (("warning",), False, 0),
        (("warning",), True, 1),
        (("error",), False, 1),
        (("info", "error"), False, 1),
    ],
)
def test_exit_code(levels: tuple[str, ...], strict: bool, code: int) -> None:
    findings = [Finding("a.html", 1, 1, "OT101", level, "m") for level in levels]  # type: ignore[arg-type]
    assert exit_code(findings, strict) == code


def test_github_escaping() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    line = render([Finding("dir,1/a:b.html", 2, 3, "OT101", "error", "x: 50%,\nthen")], "github")
    assert line == "::error file=dir%2C1/a%3Ab.html,line=2,col=3,title=OT101::x: 50%25,%0Athen\n"


def test_github_levels() -> None:
    lines = render(FINDINGS, "github").splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::warning", "::error", "::warning", "::notice"]


def test_json_round_trip() -> None:
    body = json.loads(render(FINDINGS, "json"))
    assert body["summary"] == {"error": 1, "warning": 2, "info": 1}
    assert [Finding(**item) for item in body["findings"]] == sorted(FINDINGS)


def test_sarif_structure() -> None:
    log = json.loads(render(FINDINGS, "sarif"))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "otokui"
    assert [r["id"] for r in driver["rules"]] == [rule.id for rule in RULES]
    for descriptor in driver["rules"]:
        assert descriptor["shortDescription"]["text"]
        assert descriptor["helpUri"].startswith("https://")
        assert descriptor["defaultConfiguration"]["level"] in ("error", "warning", "note")
    levels = {"error": "error", "warning": "warning", "info": "note"}
    assert len(run["results"]) == len(FINDINGS)
    for result, finding in zip(run["results"], sorted(FINDINGS), strict=True):
        assert result["ruleId"] == finding.rule
        assert driver["rules"][result["ruleIndex"]]["id"] == finding.rule
        assert result["level"] == levels[finding.level]
        assert result["message"]["text"].startswith(finding.message)
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == finding.file
        assert physical["region"] == {"startLine": finding.line, "startColumn": finding.column}
    off = driver["rules"][[r.id for r in RULES].index("OT1302")]["defaultConfiguration"]
    assert off == {"enabled": False, "level": "note"}


def test_junit_structure() -> None:
    suite = ET.fromstring(render(FINDINGS, "junit"))
    assert suite.tag == "testsuite"
    cases = suite.findall("testcase")
    assert len(cases) == len(RULES) == int(suite.get("tests", ""))
    failed = [case for case in cases if case.find("failure") is not None]
    assert [case.get("name") for case in failed] == [f"OT301 {BY_ID['OT301'].name}"]
    assert suite.get("failures") == "1"
