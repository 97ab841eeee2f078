"""Customer data is text: escaped in HTML, literal in the text part, harmless in headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from otokui.emails import RenderedEmail
from tests.emails.conftest import policy_data

NASTY = '<script>alert(1)</script> Tom & Jerry\'s "Café"'


def test_names_are_escaped_in_html_and_literal_in_text(
    render_with: Callable[[dict[str, Any]], list[RenderedEmail]],
) -> None:
    data = policy_data()
    data["samples"]["customer"]["name"] = {"ja": NASTY, "en": NASTY}
    data["samples"]["order"]["items"][0]["name"] = {"ja": "A & B <b>", "en": "A & B <b>"}
    emails = render_with(data)
    assert emails
    for email in emails:
        assert "<script>" not in email.html and "alert(1)</script>" not in email.html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Tom &amp; Jerry" in email.html
        assert NASTY in email.text, email.variant.stem
        assert "&amp;" not in email.text and "&lt;" not in email.text and "&#" not in email.text
    confirmation = next(e for e in emails if e.variant.kind == "order_confirmation")
    assert "A & B <b>" in confirmation.text and "A &amp; B &lt;b&gt;" in confirmation.html


def test_crlf_in_subject_is_neutralised(render_with: Callable[[dict[str, Any]], list[RenderedEmail]]) -> None:
    data = policy_data()
    data["samples"]["customer"]["name"] = {"ja": "花子\r\nBcc: evil@example.com", "en": "Hanako\nBcc: evil@example.com"}
    data["emails"]["order_confirmation"]["subject"] = {
        "ja": "{name} 様\r\nX-Extra: 1 {shop}",
        "en": "{name}\u2028{shop}",
    }
    data["emails"]["order_confirmation"]["preheader"] = {"ja": "改行\nあり{name}", "en": "tab\tand\x07bell"}
    for email in render_with(data):
        for header in (email.subject, email.preheader):
            assert not any(ch in header for ch in "\r\n\t\x07\u2028"), (email.variant.stem, header)
    ja = next(e for e in render_with(data) if e.variant.kind == "order_confirmation" and e.variant.locale == "ja")
    assert ja.subject == "花子 Bcc: evil@example.com 様 X-Extra: 1 木漏れ日珈琲"


def test_placeholder_syntax_in_a_customer_name_stays_literal(
    render_with: Callable[[dict[str, Any]], list[RenderedEmail]],
) -> None:
    data = policy_data()
    data["samples"]["customer"]["name"] = {"ja": "{shop}{0.__class__}", "en": "{rank}"}
    data["emails"]["shipped"]["subject"] = {"ja": "{name}へ {shop}", "en": "to {name}"}
    emails = {e.variant.stem: e for e in render_with(data)}
    assert emails["emails/shipped/ja/first"].subject == "{shop}{0.__class__}へ 木漏れ日珈琲"
    assert emails["emails/shipped/en/first"].subject == "to {rank}"
