"""The plain-text part: same content and links as the HTML, no markup."""

from __future__ import annotations

import re
from html import unescape

from otokui.emails import RenderedEmail
from otokui.emails.plaintext import display_width, link_line, plain_text

URL = re.compile(r"https://[^\s<>\"')]+")


def test_text_has_the_same_links_as_html(rendered: list[RenderedEmail]) -> None:
    for email in rendered:
        html_links = {unescape(h) for h in re.findall(r'href="([^"]*)"', email.html)}
        assert html_links
        assert set(URL.findall(email.text)) == html_links, email.variant.stem


def test_text_has_no_markup(rendered: list[RenderedEmail]) -> None:
    for email in rendered:
        assert not re.search(r"</?[a-zA-Z][\w-]*[^>]*>", email.text), email.variant.stem
        assert not re.search(r"&(?:[a-z]+|#\d+|#x[0-9a-f]+);", email.text), email.variant.stem
        assert email.text.endswith("\n") and "\n\n\n" not in email.text


def test_text_carries_the_html_words(rendered: list[RenderedEmail]) -> None:
    """Every paragraph of visible HTML text shows up in the text part."""
    for email in rendered[:20]:
        for paragraph in re.findall(r"<p\b[^>]*>([^<]+)</p>", email.html):
            words = unescape(paragraph).replace("\u200b", "").strip()  # phrase breaks are for HTML only
            if words:
                assert words in email.text, (email.variant.stem, words)


def test_links_and_buttons_are_written_out() -> None:
    source = """<mjml><mj-head><mj-preview>hidden preview</mj-preview><mj-style>p{}</mj-style></mj-head>
    <mj-body><mj-section><mj-column>
      <mj-image src="https://x.example/logo.png" alt="Shop" href="https://x.example/" />
      <mj-image src="https://x.example/photo.png" alt="A photo" />
      <mj-text><h1>Hello &amp; welcome</h1><p>See <a href="https://x.example/a?b=1&amp;c=2">our page</a>.</p>
      <ul><li>one</li><li>two</li></ul><p><a href="https://x.example/u">https://x.example/u</a></p></mj-text>
      <mj-button href="https://x.example/review">Write a review</mj-button>
      <mj-divider />
      <mj-text><table role="presentation"><tr><td>Tea</td><td>¥500</td></tr></table></mj-text>
    </mj-column></mj-section></mj-body></mjml>"""
    text = plain_text(source, "en")
    assert text.splitlines() == [
        "Shop: https://x.example/",
        "",
        "Hello & welcome",
        "===============",
        "",
        "See our page: https://x.example/a?b=1&c=2 .",
        "",
        "- one",
        "- two",
        "",
        "https://x.example/u",
        "",
        "Write a review: https://x.example/review",
        "",
        "----------------------------------------",
        "",
        "Tea  ¥500",
    ]
    assert "hidden preview" not in text and "A photo" not in text


def test_japanese_headings_are_underlined_to_their_width() -> None:
    text = plain_text("<mjml><mj-body><mj-text><h2>ご注文内容</h2></mj-text></mj-body></mjml>", "ja")
    assert text == "ご注文内容\n----------\n"
    assert display_width("ご注文 A") == 8
    assert link_line("https://a.example/", "https://a.example/") == "https://a.example/"
