"""Characters the MJML compiler used to mangle come out as written."""

from __future__ import annotations

from otokui.emails.compile import mjml_to_html

MJML = (
    '<mjml><mj-body><mj-section><mj-column><mj-image alt="Komorebi ☕️ 👨‍👩‍👧" src="https://a.example/x.png" />'
    "</mj-column></mj-section></mj-body></mjml>"
)


def test_emoji_in_attribute_values_survive_mjml() -> None:
    html = mjml_to_html(MJML, "probe.mjml")
    assert "\\u{" not in html
    assert 'alt="Komorebi ☕️ 👨‍👩‍👧"' in html
