"""Property tests for the small functions every customer-facing text passes through."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from otokui.errors import Problem
from otokui.placeholders import PLACEHOLDERS, PlaceholderError, header_text, substitute
from otokui.site.markup import environment, md_escape

hostile = st.text(alphabet=st.characters(codec="utf-8"), max_size=80) | st.sampled_from(
    ["{shop.__class__}", "{0}", "{{ 7*7 }}", "{% raw %}", "\r\nBcc: x@example.com", "\u202eevil", "<script>x</script>"]
)
SETTINGS = settings(max_examples=300, deadline=1000)


@SETTINGS
@given(hostile)
def test_header_text_is_one_clean_line(text: str) -> None:
    header = header_text(text)
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", header)
    assert header == header.strip()


#: A piece of a policy text: a placeholder, or literal text without braces (so pieces never join into one).
pieces = st.lists(
    st.sampled_from(PLACEHOLDERS).map(lambda name: ("slot", name))
    | hostile.map(lambda text: ("text", text.replace("{", "").replace("}", ""))),
    max_size=8,
)


#: Customer-supplied values, some of them spelled like placeholders.
values_like_placeholders = hostile | st.sampled_from(["{" + name + "}" for name in PLACEHOLDERS] + ["{rank}{shop}"])


@SETTINGS
@given(pieces, st.fixed_dictionaries({name: values_like_placeholders for name in PLACEHOLDERS}))
def test_values_are_never_read_again_as_placeholders(parts: list[tuple[str, str]], values: dict[str, str]) -> None:
    """Each slot becomes its value, exactly: a value that looks like a placeholder ({shop}, {0}) stays literal."""
    template = "".join("{" + piece + "}" if kind == "slot" else piece for kind, piece in parts)
    expected = "".join(values[piece] if kind == "slot" else piece for kind, piece in parts)
    assert substitute(template, values) == expected


@SETTINGS
@given(pieces, st.sampled_from(PLACEHOLDERS))
def test_a_missing_value_is_an_error_naming_it(parts: list[tuple[str, str]], missing: str) -> None:
    template = "".join("{" + piece + "}" if kind == "slot" else piece for kind, piece in parts) + "{" + missing + "}"
    values = {name: "x" for name in PLACEHOLDERS if name != missing}
    try:
        substitute(template, values)
    except PlaceholderError as error:
        assert error.name == missing
    else:
        raise AssertionError("a placeholder without a value was filled")


@SETTINGS
@given(hostile)
def test_markdown_values_cannot_make_markup(text: str) -> None:
    page = environment().from_string("{{ value }}").render(value=text)
    assert "<" not in page and ">" not in page
    assert "\n" not in page.rstrip("\n")
    # every Markdown special character arrives backslash-escaped
    bare = re.sub(r"&(#\d+|[a-z]+);", "", page).replace("\\\\", "")
    assert not re.search(r"(?<!\\)[`*_\[\]()#|]", bare)
    assert md_escape(None) is None


@SETTINGS
@given(hostile, hostile, hostile)
def test_a_problem_is_always_one_line(file: str, key: str, message: str) -> None:
    line = str(Problem(file, 3, 7, key, message))
    assert "\n" not in line and "\r" not in line and "\x1b" not in line and "\u202e" not in line
