"""The engine: levels, selection, ignore globs, in-content switches, positions, the example shop."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from otokui.artifacts import Artifact, Context
from otokui.lint.config import LintConfig, RuleConfig
from otokui.lint.engine import lint
from otokui.policy.load import parse
from otokui.policy.model import Policy
from otokui.policy.source import read

ROOT = Path(__file__).resolve().parents[2]
FIRST = Context(surface="email", locale="ja", kind="thanks_review", category="relationship", tier="first")


def mail(body: str, path: str = "emails/thanks_review/ja/first.html") -> Artifact:
    return Artifact(path, body.encode("utf-8"), FIRST)


def ids(findings: list) -> list[tuple[str, int, int]]:  # type: ignore[type-arg]
    return [(f.rule, f.line, f.column) for f in findings]


def test_level_is_stamped_from_configuration() -> None:
    config = LintConfig(select=("OT301",), rules={"OT301": RuleConfig(level="warning")})
    (finding,) = lint([mail("<p>いつもありがとう</p>")], None, config)
    assert (finding.rule, finding.level) == ("OT301", "warning")


def test_off_switches_a_rule_off() -> None:
    config = LintConfig(select=("OT301",), rules={"OT301": RuleConfig(level="off")})
    assert lint([mail("<p>いつもありがとう</p>")], None, config) == []


def test_ignore_globs() -> None:
    config = LintConfig(select=("OT301",), rules={"OT301": RuleConfig(ignore=("emails/thanks_review/*",))})
    assert lint([mail("<p>いつもありがとう</p>")], None, config) == []
    other = LintConfig(select=("OT301",), rules={"OT301": RuleConfig(ignore=("emails/shipped/*",))})
    assert len(lint([mail("<p>いつもありがとう</p>")], None, other)) == 1


def test_path_prefix() -> None:
    config = LintConfig(select=("OT301",), path_prefix="dist/")
    (finding,) = lint([mail("<p>いつも</p>")], None, config)
    assert finding.file == "dist/emails/thanks_review/ja/first.html"


def test_data_otokui_disable_on_an_element() -> None:
    html = (
        "<div data-otokui-disable='OT301 OT501'>\n<p>いつもありがとう。今すぐどうぞ。</p>\n</div>\n"
        "<p>いつもの豆です。</p>\n"
    )
    config = LintConfig(select=("OT301", "OT501"))
    assert ids(lint([mail(html)], None, config)) == [("OT301", 4, 4)]


def test_data_otokui_disable_all_on_html_covers_whole_document_findings() -> None:
    html = '<html data-otokui-disable="all"><body><p>x</p></body></html>'
    config = LintConfig(select=("OT1002", "OT1004"))
    assert lint([mail(html)], None, config) == []
    assert len(lint([mail(html.replace(' data-otokui-disable="all"', ""))], None, config)) == 3


def test_data_otokui_disable_on_body_covers_the_document() -> None:
    html = '<!DOCTYPE html><html><head></head><body data-otokui-disable="OT1002, OT1004"><p>x</p></body></html>'
    assert lint([mail(html)], None, LintConfig(select=("OT1002", "OT1004"))) == []


def test_disable_names_other_rule_only() -> None:
    html = '<p data-otokui-disable="OT501">いつも</p>'
    assert ids(lint([mail(html)], None, LintConfig(select=("OT301",)))) == [("OT301", 1, 32)]


def test_positions_in_readable_source_not_minified_data() -> None:
    artifact = Artifact(
        "emails/thanks_review/ja/first.html",
        b"<p>\xe3\x81\x84\xe3\x81\xa4\xe3\x82\x82</p>",
        FIRST,
        source="<html>\n  <body>\n    <p>いつも</p>\n</body></html>",
    )
    assert ids(lint([artifact], None, LintConfig(select=("OT301",)))) == [("OT301", 3, 8)]


def test_policy_findings_carry_rules_yaml_positions() -> None:
    raw = (ROOT / "tests/lint/data/policy.yaml").read_bytes().replace(b"guest_checkout: true", b"guest_checkout: false")
    document = read(raw, "shop/rules.yaml")
    policy = parse(document, "shop/rules.yaml")
    config = dataclasses.replace(
        LintConfig.from_policy(policy, policy_file="shop/rules.yaml", positions=document.positions), select=("OT104",)
    )
    (finding,) = lint([], policy, config)
    line = raw.decode().splitlines().index("    guest_checkout: false") + 1
    assert (finding.file, finding.line, finding.column) == ("shop/rules.yaml", line, 21)


def test_non_html_outputs_are_not_checked_as_html() -> None:
    text = Artifact("emails/x/ja/first.txt", "いつも".encode(), FIRST, "text/plain")
    assert lint([text], None, LintConfig(select=("OT301",))) == []


def test_findings_are_sorted_and_unique() -> None:
    findings = lint(
        [mail("<p>いつも</p>", "b.html"), mail("<p>いつも いつも</p>", "a.html")], None, LintConfig(select=("OT301",))
    )
    assert [(f.file, f.column) for f in findings] == [("a.html", 4), ("a.html", 8), ("b.html", 4)]


def test_example_shop_lints_clean_at_default_levels(policy: Policy) -> None:
    from otokui.emails import render_emails

    artifacts = render_emails(policy, ROOT / "email_templates")
    findings = lint(artifacts, policy, LintConfig.from_policy(policy))
    assert [f for f in findings if f.level != "info"] == []
