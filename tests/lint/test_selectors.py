"""CSS selectors as a browser matches them, on the checker's parsed documents."""

from __future__ import annotations

import pytest

from otokui.lint.html import HtmlDoc
from otokui.lint.selectors import Context, compile_selector, matches

DOC = HtmlDoc(
    '<html><body class="body"><u></u><div class="body" id="main"><table><tr><td class="cell">'
    '<p class="a">one</p><p class="b" data-x="Dark Mode">two</p><a href="https://s.example/">link</a>'
    "</td></tr></table></div></body></html>"
)


def matched(selector: str) -> list[str]:
    compiled = compile_selector(selector)
    assert compiled is not None, selector
    context = Context(DOC)
    return [
        e.get("class") or e.tag
        for e in DOC.elements
        if e.tag in ("p", "a", "td", "div") and matches(e, compiled, context)
    ]


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        (".cell p", ["a", "b"]),
        ("td > p", ["a", "b"]),
        ("div > p", []),
        ("p + p", ["b"]),
        (".a ~ a", ["a"]),
        ("u + .body .a", ["a"]),
        ("[data-x]", ["b"]),
        ('[data-x="dark mode" i]', ["b"]),
        ("[data-x~=Mode]", ["b"]),
        ('a[href^="https"]', ["a"]),
        ("[data-ogsc] p", []),
        ("p:first-child", ["a"]),
        ("p:last-of-type", ["b"]),
        ("td :nth-child(2)", ["b"]),
        ("p:not(.a)", ["b"]),
        (":is(.a, .b)", ["a", "b"]),
        ("a:link", ["a"]),
        ("p:hover", []),
        ("#main td", ["cell"]),
        (":root .cell", ["cell"]),
    ],
)
def test_selectors_match_as_in_a_browser(selector: str, expected: list[str]) -> None:
    assert matched(selector) == expected


@pytest.mark.parametrize("selector", ["p::before", "> p", "p >", "p:unknown-thing", ""])
def test_what_is_not_understood_is_refused(selector: str) -> None:
    assert compile_selector(selector) is None


def test_specificity_counts_ids_classes_and_tags() -> None:
    compiled = compile_selector("#main td.cell > p[data-x]:first-child")
    assert compiled is not None and compiled.specificity == (1, 3, 2)
