"""Findings as text for people and machines: text, json, github, sarif and junit.

:func:`render` only formats; :func:`exit_code` is the whole of strictness.
Neither prints: the command line does.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from urllib.parse import quote

from otokui import __version__
from otokui.errors import EXIT_FINDINGS, EXIT_OK, printable
from otokui.lint.finding import LEVELS, Finding, count, sort_key

FORMATS: tuple[str, ...] = ("text", "json", "github", "sarif", "junit")
#: Where the rules reference lives; a rule's anchor is appended (``#ot301-first-tier-presumes-patronage``).
HELP_BASE = "https://github.com/otokui/otokui/blob/main/docs/rules.md"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def exit_code(findings: Sequence[Finding], strict: bool) -> int:
    """1 if there is an error (or, with ``strict``, a warning), else 0. Info never fails a check."""
    failing = {"error", "warning"} if strict else {"error"}
    return EXIT_FINDINGS if any(finding.level in failing for finding in findings) else EXIT_OK


def render(findings: Sequence[Finding], fmt: str) -> str:
    """``findings`` in format ``fmt`` (one of :data:`FORMATS`), ending with a newline."""
    ordered = sorted(findings, key=sort_key)
    renderers = {"text": _text, "json": _json, "github": _github, "sarif": _sarif, "junit": _junit}
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return renderers[fmt](ordered)


def summary(findings: Sequence[Finding]) -> str:
    """'2 errors, 1 warning, 0 info'."""
    parts = []
    for level in LEVELS:
        number = count(list(findings), level)
        noun = level if level == "info" or number == 1 else level + "s"
        parts.append(f"{number} {noun}")
    return ", ".join(parts)


def help_uri(rule_id: str) -> str:
    from otokui.lint.rules import BY_ID

    rule = BY_ID.get(rule_id)
    anchor = f"{rule_id}-{rule.name}".lower() if rule else rule_id.lower()
    return f"{HELP_BASE}#{anchor}"


# --------------------------------------------------------------------------- text


def _text(findings: list[Finding]) -> str:
    lines: list[str] = []
    for f in findings:
        lines.append(f"{_safe(f.file)}:{f.line}:{f.column}: {f.rule} [{f.level}] {_safe(_one_line(f.message))}")
        if f.hint:
            lines.append(f"    hint: {_safe(_one_line(f.hint))}")
    lines.append(summary(findings) if findings else "No problems found.")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- json


def _json(findings: list[Finding]) -> str:
    body = {
        "version": 1,
        "summary": {level: count(findings, level) for level in LEVELS},
        "findings": [_cleaned(f.to_dict()) for f in findings],
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- github


def escape_data(value: str) -> str:
    """Escape a workflow command's message (GitHub: % CR LF)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a workflow command's property value (GitHub: % CR LF : ,)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _github(findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        properties = ",".join(
            f"{key}={escape_property(_safe(str(value)))}"
            for key, value in (("file", f.file), ("line", f.line), ("col", f.column), ("title", f.rule))
        )
        message = _safe_lines(f.message + (f"\n{f.hint}" if f.hint else ""))
        lines.append(f"::{GITHUB_COMMAND[f.level]} {properties}::{escape_data(message)}")
    return "".join(line + "\n" for line in lines)


# --------------------------------------------------------------------------- sarif


def _sarif(findings: list[Finding]) -> str:
    from otokui.lint.rules import RULES

    descriptors = []
    index: dict[str, int] = {}
    for position, rule in enumerate(RULES):
        index[rule.id] = position
        configuration: dict[str, object] = (
            {"enabled": False, "level": "note"} if rule.level == "off" else {"level": SARIF_LEVEL[rule.level]}
        )
        descriptors.append(
            {
                "id": rule.id,
                "name": rule.name,
                "shortDescription": {"text": rule.summary()},
                "helpUri": help_uri(rule.id),
                "defaultConfiguration": configuration,
            }
        )
    results = []
    for f in findings:
        result: dict[str, object] = {"ruleId": f.rule}
        if f.rule in index:
            result["ruleIndex"] = index[f.rule]
        result["level"] = SARIF_LEVEL[f.level]
        result["message"] = {"text": _unsurrogate(f.message + (f" {f.hint}" if f.hint else ""))}
        result["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": quote(f.file.encode("utf-8", "surrogateescape"), safe="/")},
                    "region": {"startLine": f.line, "startColumn": f.column},
                }
            }
        ]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "otokui",
                        "version": __version__,
                        "informationUri": HELP_BASE,
                        "rules": descriptors,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- junit


def _junit(findings: list[Finding]) -> str:
    from otokui.lint.rules import RULES

    names = {rule.id: rule.name for rule in RULES}
    by_rule: dict[str, list[Finding]] = {rule.id: [] for rule in RULES}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    failures = sum(1 for items in by_rule.values() if any(f.level == "error" for f in items))
    suite = ET.Element(
        "testsuite",
        {
            "name": "otokui.lint",
            "tests": str(len(by_rule)),
            "failures": str(failures),
            "errors": "0",
            "skipped": "0",
        },
    )
    for rule_id, items in by_rule.items():
        case = ET.SubElement(
            suite, "testcase", {"classname": "otokui.lint", "name": f"{rule_id} {names.get(rule_id, '')}".strip()}
        )
        errors = [f for f in items if f.level == "error"]
        others = [f for f in items if f.level != "error"]
        if errors:
            noun = "error" if len(errors) == 1 else "errors"
            failure = ET.SubElement(case, "failure", {"message": f"{len(errors)} {noun}", "type": "error"})
            failure.text = "\n".join(_line(f) for f in errors)
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in others)
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"


def _line(f: Finding) -> str:
    return f"{_safe(f.file)}:{f.line}:{f.column}: [{f.level}] {_safe(_one_line(f.message))}"


def _one_line(text: str) -> str:
    """A message's own line breaks made spaces (other control characters are escaped by :func:`_safe`)."""
    return " ".join(text.splitlines())


# --------------------------------------------------------------------------- escaping

_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_XML = re.compile("[\ufffe\uffff]")


def _unsurrogate(text: str) -> str:
    """``text`` with lone surrogates (undecodable bytes of a file name) shown as escapes."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _safe(text: str) -> str:
    """``text`` as one printable line, fit for a terminal and for XML: control, bidi-override and other
    characters XML cannot hold are shown as escapes (``\\x1b``, ``\\n``, ``\\u202e``)."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", _unsurrogate(printable(text)))


def _safe_lines(text: str) -> str:
    """Like :func:`_safe`, but line breaks stay (GitHub escapes them itself)."""
    return "".join(part if part in ("\r\n", "\r", "\n") else _safe(part) for part in _BREAKS.split(text))


_BREAKS = re.compile("(\r\n|\r|\n)")


def _cleaned(value: object) -> object:
    """``value`` (from JSON data) with every text's lone surrogates shown as escapes, so it encodes as UTF-8."""
    if isinstance(value, str):
        return _unsurrogate(value)
    if isinstance(value, dict):
        return {key: _cleaned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    return value
