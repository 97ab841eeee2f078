"""CSS read as a browser reads it (tinycss2): strings and data URLs never swallow rules; what a browser drops."""

from __future__ import annotations

from otokui.lint.css import declarations, dropped, scan, style_map


def test_a_comment_opener_inside_a_string_does_not_swallow_the_next_rule() -> None:
    sheet = scan('a::before{content:"/*"} b{color:red}')
    assert [(d.name, d.value) for d in sheet.declarations] == [("content", '"/*"'), ("color", "red")]


def test_a_data_url_with_semicolons_is_one_declaration() -> None:
    style = "background:url(data:image/png;base64,iVBORw0KGgo=) no-repeat; color:#333"
    assert dict(style_map(style)) == {
        "background": "url(data:image/png;base64,iVBORw0KGgo=) no-repeat",
        "color": "#333",
    }


def test_media_features_and_nested_declarations_keep_their_offsets() -> None:
    css = "@media (prefers-color-scheme: dark) { .x { color: #fff !important } }"
    sheet = scan(css, base=100)
    assert [(a.name, [f for f, _ in a.media_features]) for a in sheet.at_rules] == [("media", ["prefers-color-scheme"])]
    (decl,) = sheet.declarations
    assert (decl.name, decl.value, decl.important) == ("color", "#fff", True)
    assert css[decl.offset - 100 :].startswith("color")


def test_what_a_browser_drops() -> None:
    assert dropped("color:#333; font-size:14px") == []
    literal = dropped("color:#333;\\n font-size:14px")
    assert len(literal) == 1 and "literal '\\n'" in literal[0].message
    (missing,) = dropped("color #333; margin:0")
    assert "'color #333' cannot be read" in missing.message and missing.offset == 0
    assert [d.name for d in declarations("color:#333;\\n font-size:14px")] == ["color"]
