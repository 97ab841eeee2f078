"""HTML as the checker sees it: elements with source positions, and the text a reader sees.

Built on the standard library's :mod:`html.parser`. Every element keeps the
offsets of its start tag and end in the source, so findings can be reported
at a line and column of the readable HTML, and ``data-otokui-disable``
switches apply to everything inside an element.

Visible text is the text a reader sees: not markup, not attribute values, not
``<head>``, ``<style>``, ``<script>``, ``<template>`` or comments (which also
leaves out Outlook-only ``<!--[if mso]>`` blocks), and not elements hidden with
``display:none`` or the ``hidden`` attribute, except the preheader: the first
hidden element of ``<body>`` before any visible text, which inboxes show next
to the subject. Whitespace runs become one space, and element boundaries such
as paragraphs and table cells become a line break, so a phrase never matches
across two paragraphs.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
INVISIBLE = frozenset({"head", "style", "script", "template", "title", "noscript"})
BLOCK = frozenset(
    """address article aside blockquote br caption center dd details dialog div dl dt fieldset figcaption figure
    footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol option p pre section summary table tbody td tfoot th
    thead tr ul""".split()  # noqa: SIM905
)
# Characters with no width that would otherwise split a phrase (the preheader
# padding MJML and others add is made of these).
ZERO_WIDTH = frozenset("\u00ad\u034f\u200b\u200c\u200d\u2060\ufeff")
DISABLE_ATTR = "data-otokui-disable"
_DISPLAY_NONE = re.compile(r"(?:^|;)\s*display\s*:\s*none\b", re.IGNORECASE)


@dataclass
class Element:
    """One element: tag, attributes (names lower-case, first one wins), and where it is."""

    index: int
    tag: str
    attrs: dict[str, str | None]
    start: int  # offset of "<"
    tag_end: int  # offset just after the start tag's ">"
    end: int  # offset just after the end tag (or the start tag, for void and unclosed elements)
    parent: int | None
    in_head: bool
    hidden: bool  # hidden itself or inside a hidden element (the preheader excepted)

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)

    def has(self, name: str) -> bool:
        return name in self.attrs

    def attr_offset(self, source: str, name: str) -> int:
        """Offset of attribute ``name`` in the start tag, or of the tag itself."""
        match = re.compile(rf"\s({re.escape(name)})\b", re.IGNORECASE).search(source, self.start, self.tag_end)
        return match.start(1) if match else self.start


@dataclass
class TextRun:
    """A piece of text content as written, entity references decoded, with its element."""

    text: str
    offsets: list[int]  # source offset of each character
    element: int | None
    visible: bool


@dataclass
class StyleBlock:
    """The contents of one ``<style>`` element (outside comments)."""

    css: str
    offset: int  # of the first character of the contents
    element: int


@dataclass
class VisibleText:
    """The text a reader sees, with the source offset of every character."""

    text: str = ""
    offsets: list[int] = field(default_factory=list)

    def offset(self, index: int) -> int:
        if not self.offsets:
            return 0
        return self.offsets[min(max(index, 0), len(self.offsets) - 1)]

    def between(self, start: int, end: int) -> str:
        """Visible text whose source offsets fall in ``[start, end)``."""
        lo = bisect.bisect_left(self.offsets, start)
        hi = bisect.bisect_left(self.offsets, end)
        return self.text[lo:hi].strip()


class HtmlDoc:
    """A parsed HTML document (or fragment)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        parser = _Parser(self)
        parser.feed(source)
        parser.close()
        parser.finish()
        self.elements: list[Element] = parser.elements
        self.runs: list[TextRun] = parser.runs
        self.styles: list[StyleBlock] = parser.styles
        self.comments: list[tuple[int, str]] = parser.comments
        self.text: VisibleText = parser.visible
        self.preheader: Element | None = parser.preheader
        # On <html> or <body> a switch covers the whole document, doctype and <head> included.
        self._disabled = [
            (0 if e.tag in ("html", "body") else e.start, len(source) if e.tag in ("html", "body") else e.end, ids)
            for e in self.elements
            if e.has(DISABLE_ATTR) and (ids := _rule_ids(e.get(DISABLE_ATTR) or ""))
        ]

    # ----------------------------------------------------------------- positions

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset``."""
        offset = min(max(offset, 0), len(self.source))
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def disabled(self, rule_id: str, offset: int) -> bool:
        """Whether an element around ``offset`` switches ``rule_id`` off (``data-otokui-disable``)."""
        return any(start <= offset < end and (rule_id in ids or "all" in ids) for start, end, ids in self._disabled)

    # ----------------------------------------------------------------- queries

    def find(self, *tags: str) -> list[Element]:
        return [element for element in self.elements if element.tag in tags]

    def first(self, tag: str) -> Element | None:
        return next((element for element in self.elements if element.tag == tag), None)

    def ancestors(self, element: Element) -> list[Element]:
        out: list[Element] = []
        parent = element.parent
        while parent is not None:
            out.append(self.elements[parent])
            parent = self.elements[parent].parent
        return out

    def text_of(self, element: Element) -> str:
        """The visible text inside ``element``."""
        return self.text.between(element.start, element.end)

    def body_offset(self) -> int:
        body = self.first("body")
        return body.start if body else 0


def _rule_ids(value: str) -> frozenset[str]:
    return frozenset(part.upper() if part.lower() != "all" else "all" for part in re.split(r"[\s,]+", value) if part)


class _Parser(HTMLParser):
    def __init__(self, doc: HtmlDoc) -> None:
        super().__init__(convert_charrefs=False)
        self.doc = doc
        self.elements: list[Element] = []
        self.runs: list[TextRun] = []
        self.styles: list[StyleBlock] = []
        self.comments: list[tuple[int, str]] = []
        self.visible = VisibleText()
        self.preheader: Element | None = None
        self.stack: list[int] = []
        self._chars: list[str] = []
        self._offsets: list[int] = []
        self._seen_text = False
        self._pending_preheader = False

    # position of the current token
    def _offset(self) -> int:
        line, column = self.getpos()
        return self.doc.line_starts[line - 1] + column

    def _current(self) -> Element | None:
        return self.elements[self.stack[-1]] if self.stack else None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, void=tag in VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, void=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], void: bool) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        values: dict[str, str | None] = {}
        for name, value in attrs:
            values.setdefault(name.lower(), value)
        parent = self._current()
        in_head = tag == "head" or (parent is not None and parent.in_head)
        own_hidden = "hidden" in values or bool(_DISPLAY_NONE.search(values.get("style") or ""))
        hidden = parent is not None and parent.hidden
        if own_hidden and not hidden:
            inside_body = any(self.elements[i].tag == "body" for i in self.stack)
            if inside_body and self.preheader is None and not self._seen_text and not in_head:
                own_hidden = False  # the preheader: shown in the inbox
                self._pending_preheader = True
            hidden = own_hidden
        element = Element(
            len(self.elements),
            tag,
            values,
            start,
            start + len(raw),
            start + len(raw),
            parent.index if parent else None,
            in_head,
            hidden,
        )
        self.elements.append(element)
        if self._pending_preheader:
            self.preheader = element
            self._pending_preheader = False
        if tag in BLOCK:
            self._break(start)
        if not void:
            self.stack.append(element.index)

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        close = self.doc.source.find(">", start)
        end = close + 1 if close >= 0 else len(self.doc.source)
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.elements[self.stack[depth]].tag == tag:
                for index in self.stack[depth:]:
                    self.elements[index].end = end
                del self.stack[depth:]
                break
        if tag in BLOCK:
            self._break(start)

    def handle_data(self, data: str) -> None:
        start = self._offset()
        self._text(data, list(range(start, start + len(data))))

    def handle_entityref(self, name: str) -> None:
        self._ref(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._ref(f"&#{name};")

    def _ref(self, ref: str) -> None:
        text = unescape(ref)
        self._text(text, [self._offset()] * len(text))

    def handle_comment(self, data: str) -> None:
        self.comments.append((self._offset(), data))

    def _text(self, text: str, offsets: list[int]) -> None:
        element = self._current()
        tags = {self.elements[i].tag for i in self.stack}
        if element is not None and element.tag == "style" and not (tags & {"svg"}):
            self.styles.append(StyleBlock(text, offsets[0] if offsets else 0, element.index))
        visible = not (tags & INVISIBLE) and not (element is not None and element.hidden)
        self.runs.append(TextRun(text, offsets, element.index if element else None, visible))
        if not visible:
            return
        for char, offset in zip(text, offsets, strict=True):
            if char in ZERO_WIDTH:
                continue
            if char.isspace():
                if self._chars and self._chars[-1] not in " \n":
                    self._chars.append(" ")
                    self._offsets.append(offset)
                continue
            self._chars.append(char)
            self._offsets.append(offset)
            self._seen_text = True

    def _break(self, offset: int) -> None:
        if not self._chars or self._chars[-1] == "\n":
            return
        if self._chars[-1] == " ":
            self._chars[-1] = "\n"
        else:
            self._chars.append("\n")
            self._offsets.append(offset)

    def finish(self) -> None:
        end = len(self.doc.source)
        for index in self.stack:
            self.elements[index].end = end
        while self._chars and self._chars[-1] in " \n":
            self._chars.pop()
            self._offsets.pop()
        self.visible = VisibleText("".join(self._chars), self._offsets)
