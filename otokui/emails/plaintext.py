"""The plain-text part, made from the same MJML the HTML is made from.

Reading the rendered MJML (not the final HTML) keeps the text free of layout
tables and hidden preheader text, and guarantees the same content and the same
links: every ``<a>``, ``<mj-button>`` and linked ``<mj-image>`` is written out
as ``label: https://…``. Entities are decoded, so a customer called
``Tom & Jerry`` reads exactly so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from html import unescape

from otokui.i18n.catalogue import catalogue
from otokui.i18n.linebreak import strip_breaks

# Elements whose content is not part of the message.
_SKIP = {"mj-head", "mj-preview", "mj-style", "mj-raw", "mj-attributes", "mj-title", "style", "script", "head"}
# Elements that start and end a paragraph.
_PARAGRAPH = {
    "mj-section", "mj-column", "mj-text", "mj-wrapper", "mj-group", "mj-hero",
    "p", "div", "ul", "ol", "table", "h1", "h2", "h3", "h4", "mj-button", "mj-image",
}  # fmt: skip
_LINE = {"tr", "li", "br"}
_LINKED = {"a", "mj-button", "mj-image"}  # the tags whose attributes matter
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_BREAK = "\x00"  # a line break the writer asked for (kept apart from collapsed whitespace)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospaced mail reader (wide CJK characters count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def link_line(label: str, href: str) -> str:
    """A link written out: ``label: url``, or just the URL when the label is the URL."""
    label = label.strip()
    return href if not label or label == href else f"{label}: {href}"


# The rendered MJML is machine-written, well-formed markup: a regular-expression
# tokenizer reads it several times faster than html.parser.
_TOKEN = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][\w:-]*)([^>]*)>|([^<]+|<)", re.DOTALL)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attrs(text: str) -> list[tuple[str, str | None]]:
    return [
        (m.group(1).lower(), unescape(m.group(2) if m.group(2) is not None else m.group(3)))
        for m in _ATTR.finditer(text)
    ]


class _TextWriter:
    def __init__(self, bullet: str) -> None:
        self.bullet = bullet
        self.parts: list[str] = []
        self.skip = 0
        self.links: list[tuple[str, int]] = []  # (href, index in parts where its label starts)
        self.heading: tuple[str, int] | None = None
        self.after_link = False

    # paragraphs and lines are marked with _BREAK runs: one for a line, two for a paragraph
    def _break(self, count: int) -> None:
        self.parts.append(_BREAK * count)
        self.after_link = False

    def handle_starttag(self, tag: str, raw: str) -> None:
        """A start tag; ``raw`` is its attribute text, read only by the few tags that need it."""
        self.after_link = False
        if self.skip or tag in _SKIP:
            self.skip += tag in _SKIP
            return
        if tag in _PARAGRAPH:
            self._break(2)
        elif tag in _LINE:
            self._break(1)
        if tag == "li":
            self.parts.append(self.bullet)
        elif tag == "td":
            self.parts.append("  ")
        elif tag in ("h1", "h2"):
            self.heading = (tag, len(self.parts))
        elif tag == "mj-divider":
            self._break(2)
            self.parts.append("-" * 40)
            self._break(2)
        if tag in _LINKED and "=" in raw:
            attr = {k: v or "" for k, v in _attrs(raw)}
            if tag in ("a", "mj-button") and attr.get("href"):
                self.links.append((attr["href"], len(self.parts)))
            elif tag == "mj-image" and attr.get("href"):
                self.parts.append(link_line(attr.get("alt", ""), attr["href"]))

    def handle_startendtag(self, tag: str, raw: str) -> None:
        self.handle_starttag(tag, raw)
        if tag not in _LINE:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            self.skip -= tag in _SKIP
            return
        if tag in ("a", "mj-button") and self.links:
            href, start = self.links.pop()
            label = _SPACE.sub(" ", "".join(self.parts[start:]).replace(_BREAK, " "))
            del self.parts[start:]
            self.parts.append(link_line(label, href))
            self.after_link = True
        if self.heading and tag == self.heading[0]:
            _, start = self.heading
            title = _SPACE.sub(" ", "".join(self.parts[start:]).replace(_BREAK, " ")).strip()
            del self.parts[start:]
            rule = ("=" if tag == "h1" else "-") * max(display_width(title), 4)
            self.parts.extend([title, _BREAK, rule])
            self.heading = None
        if tag in _PARAGRAPH:
            self._break(2)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            data = strip_breaks(data)  # phrase breaks are for HTML line wrapping only
            if self.after_link and not data[:1].isspace():
                data = " " + data  # so a mail reader does not take "." or "から" for part of the URL
            self.parts.append(_SPACE.sub(" ", data))
            self.after_link = False

    def text(self) -> str:
        raw = "".join(self.parts)
        lines: list[str] = []
        for chunk in re.split(f"({_BREAK}+)", raw):
            if chunk.startswith(_BREAK):
                if len(chunk) > 1 and lines and lines[-1] != "":
                    lines.append("")
                continue
            line = chunk.strip()
            if line:
                lines.append(line)
        return "\n".join(lines).strip() + "\n"

    def feed(self, source: str) -> None:
        head_end = source.find("</mj-head>")
        for match in _TOKEN.finditer(source, head_end + len("</mj-head>") if head_end >= 0 else 0):
            closing, tag, attrs, data = match.groups()
            if data is not None:
                self.handle_data(unescape(data))
            elif tag is None:
                continue  # a comment
            elif closing:
                self.handle_endtag(tag.lower())
            elif attrs.endswith("/"):
                self.handle_startendtag(tag.lower(), attrs)
            else:
                self.handle_starttag(tag.lower(), attrs)


def plain_text(mjml_source: str, locale: str, labels: Mapping[str, str] | None = None) -> str:
    """The plain-text part of an email from its rendered MJML (list bullets from ``labels``, the shop's words)."""
    writer = _TextWriter((labels or catalogue(locale))["bullet"])
    writer.feed(mjml_source)
    return writer.text()
