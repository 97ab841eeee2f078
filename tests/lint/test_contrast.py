"""The contrast rules judge each email on its own markup, however many emails share a style sheet."""

from __future__ import annotations

from otokui.artifacts import Artifact, Context
from otokui.policy.model import Policy
from tests.lint.conftest import run_rule

_SHEET = """<style>@media (prefers-color-scheme: dark) {
  .surface { background-color: #1e1e1e !important; }
  .surface p, .surface h3 { color: #eeeeee !important; }
  h3 + p.lead { color: #444444 !important; }
}</style>"""


def _email(name: str, body: str) -> Artifact:
    html = f'<html lang="ja"><head>{_SHEET}</head><body><div class="surface">{body}</div></body></html>'
    return Artifact(f"{name}.html", html.encode(), Context(surface="email", locale="ja", kind="thanks_review"))


def test_a_sibling_rule_is_read_in_each_email(policy: Policy) -> None:
    lead = '<p class="lead">次回のご注文に使えるクーポンです。</p>'
    with_heading = _email("with_heading", f"<h3>ご案内</h3>{lead}")
    without = _email("without", f"<div></div>{lead}")  # the same paragraph, the same ancestors
    for order in ([with_heading, without], [without, with_heading]):
        found = run_rule("OT1403", order, policy)
        assert [f.file for f in found] == ["with_heading.html"]


def test_an_inline_colour_is_read_in_each_email(policy: Policy) -> None:
    light = Artifact(
        "light.html",
        b'<html lang="ja"><body><div><p style="color:#999999">a</p><p>b</p></div></body></html>',
        Context(surface="email", locale="ja", kind="thanks_review"),
    )
    dark = Artifact(
        "dark.html",
        b'<html lang="ja"><body><div><p>a</p><p style="color:#999999">b</p></div></body></html>',
        Context(surface="email", locale="ja", kind="thanks_review"),
    )
    found = run_rule("OT1402", [light, dark], policy)
    assert [(f.file, f.line, f.column) for f in found] == [("dark.html", 1, 61), ("light.html", 1, 53)]
