from __future__ import annotations

from pathlib import Path

import pytest

from otokui.placeholders import (
    PLACEHOLDERS,
    PLACEHOLDERS_BY_KIND,
    PlaceholderError,
    header_text,
    placeholders_in,
    substitute,
    unknown_placeholders,
)
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


def test_unknown_names_can_be_kept_for_catalogue_sentences() -> None:
    assert substitute("{count} of {total}", {"count": 3}, keep_unknown=True) == "3 of {total}"
    with pytest.raises(PlaceholderError):
        substitute("{count} of {total}", {"count": 3})


def test_site_rank_heading_fills_in_one_pass(shop: Path) -> None:
    """A rank named like a placeholder stays literal on the site, as in the email."""
    from otokui.policy.load import load_policy
    from otokui.site.pages import announcement_heading

    policy = load_policy(shop / "rules.yaml")
    rank = policy.membership.ranks[1]
    named = rank.model_copy(update={"name": rank.name.model_copy(update={"ja": "{shop}"})})
    heading = announcement_heading(policy, named, "ja")
    assert heading == "{shop}会員に選ばれました"
