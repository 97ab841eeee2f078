from __future__ import annotations

import pytest

from otokui.emails import PLACEHOLDERS, header_text, substitute, unknown_placeholders
from otokui.emails.placeholders import PLACEHOLDERS_BY_KIND, PlaceholderError, placeholders_in
from otokui.policy.model import EMAIL_KINDS


def test_the_allowed_placeholders_are_a_public_constant() -> None:
    assert PLACEHOLDERS == ("shop", "order_id", "name", "rank")
    assert set(PLACEHOLDERS_BY_KIND) == set(EMAIL_KINDS)
    assert all(set(names) <= set(PLACEHOLDERS) for names in PLACEHOLDERS_BY_KIND.values())


def test_substitutes_known_names_once() -> None:
    values = {"shop": "木漏れ日珈琲", "name": "{shop}", "order_id": "KC-1"}
    assert substitute("【{shop}】{name} 様 {order_id}", values) == "【木漏れ日珈琲】{shop} 様 KC-1"


@pytest.mark.parametrize(
    "text",
    ["{shop.__class__}", "{0}", "{}", "{ shop }", "{shop!r}", "{name:>10}", "{{shop}}x"],
    ids=["attribute", "positional", "empty", "spaced", "conversion", "format-spec", "doubled"],
)
def test_format_syntax_is_never_interpreted(text: str) -> None:
    out = substitute(text, {"shop": "S", "name": "N"})
    assert "__class__" not in out or out == text
    assert "{" in out


def test_a_name_the_kind_cannot_fill_is_an_error() -> None:
    with pytest.raises(PlaceholderError, match=r"\{rank\} cannot be filled here; available: \{shop\}"):
        substitute("{rank}", {"shop": "S"})
    with pytest.raises(PlaceholderError, match="unknown placeholder"):
        substitute("{customer}", {"shop": "S"})


def test_unknown_placeholders_for_the_policy_loader() -> None:
    assert placeholders_in("{shop} {order_id} {oops}") == ["shop", "order_id", "oops"]
    assert unknown_placeholders("{shop} {order_id} {oops} {Rank}") == ["oops", "Rank"]


@pytest.mark.parametrize(
    "raw",
    ["Hello\r\nBcc: evil@example.com", "Hello\nBcc: x", "Hello\rX", "a\x00b\x1bc", "line\u2028sep", "tab\there"],
)
def test_header_text_has_no_line_breaks_or_control_characters(raw: str) -> None:
    out = header_text(raw)
    assert not any(ch in out for ch in "\r\n\x00\x1b\u2028\t")
    assert out == " ".join(out.split())
