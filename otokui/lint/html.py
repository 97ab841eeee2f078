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
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser
from typing import overload

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
INVISIBLE = frozenset({"head", "style", "script", "template", "title", "noscript"})
BLOCK = frozenset(
    """address article aside blockquote br caption center dd details dialog div dl dt fieldset figcaption figure
    footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol option p pre section summary table tbody td tfoot th
    thead tr ul""".split()  # noqa: SIM905
)
_COUNTED = INVISIBLE | {"body", "svg"}  # open elements the builder keeps a count of
# Characters with no width that would otherwise split a phrase (the preheader
# padding MJML and others add is made of these).
ZERO_WIDTH = frozenset("\u00ad\u034f\u200b\u200c\u200d\u2060\ufeff")
DISABLE_ATTR = "data-otokui-disable"
#: An inline style that hides an element.
DISPLAY_NONE = re.compile(r"(?:^|;)\s*display\s*:\s*none\b", re.IGNORECASE)


@dataclass(slots=True)
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
        match = _attribute_pattern(name).search(source, self.start, self.tag_end)
        return match.start(1) if match else self.start


def attribute_offset(start_tag: str, name: str) -> int:
    """Offset of attribute ``name`` in the text of a start tag (0, the tag itself, when it has none)."""
    match = _attribute_pattern(name).search(start_tag)
    return match.start(1) if match else 0


@lru_cache(maxsize=1024)
def _attribute_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"\s({re.escape(name)})\b", re.IGNORECASE)


class OffsetMap(Sequence[int]):
    """The source offset of each character of a text, kept as runs rather than one number per character.

    Text is copied from the source in stretches (offsets rising by one) and
    entity references or inserted breaks (one offset repeated), so a few
    ``(first index, first offset, step)`` triples describe thousands of
    characters. Offsets never decrease.
    """

    __slots__ = ("_index", "_len", "_offset", "_step")

    def __init__(self, offsets: Iterable[int] = ()) -> None:
        self._index: list[int] = []  # where each run starts in the text
        self._offset: list[int] = []  # its first source offset
        self._step: list[int] = []  # 1: rising with each character, 0: the same offset repeated
        self._len = 0
        self.extend(offsets)

    def __len__(self) -> int:
        return self._len

    @property
    def run_count(self) -> int:
        """How many runs hold the offsets (what the map costs in memory)."""
        return len(self._index)

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._len))]
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError(index)
        run = bisect.bisect_right(self._index, index) - 1
        return self._offset[run] + self._step[run] * (index - self._index[run])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return len(other) == self._len and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __iter__(self) -> Iterator[int]:
        ends = [*self._index[1:], self._len] if self._index else []
        for start, end, first, step in zip(self._index, ends, self._offset, self._step, strict=True):
            if step:
                yield from range(first, first + end - start)
            else:
                for _ in range(end - start):
                    yield first

    def __repr__(self) -> str:
        return f"OffsetMap({list(self)!r})"

    def append(self, offset: int) -> None:
        if self._index:
            start, first, step = self._index[-1], self._offset[-1], self._step[-1]
            count = self._len - start
            if offset == first + step * count:
                self._len += 1
                return
            if count == 1 and offset == first + 1:  # the second character decides the step
                self._step[-1] = 1
                self._len += 1
                return
        self._index.append(self._len)
        self._offset.append(offset)
        self._step.append(0)
        self._len += 1

    def extend(self, offsets: Iterable[int]) -> None:
        if isinstance(offsets, range) and offsets.step == 1 and len(offsets) > 2:
            self.append(offsets[0])
            self.append(offsets[1])
            if self._step[-1] == 1 and self._len - self._index[-1] >= 2:
                self._len += len(offsets) - 2  # the run goes on
                return
            for offset in offsets[2:]:  # unreachable for rising offsets; kept exact regardless
                self.append(offset)
            return
        for offset in offsets:
            self.append(offset)

    def pop(self) -> int:
        last = self[self._len - 1]
        self._len -= 1
        if self._index and self._index[-1] == self._len:
            del self._index[-1], self._offset[-1], self._step[-1]
        elif self._index and self._len - self._index[-1] == 1:
            self._step[-1] = 0
        return last

    def bisect_left(self, offset: int) -> int:
        """The first index whose offset is ``offset`` or more (``len`` if none)."""
        run = bisect.bisect_left(self._offset, offset)
        after = self._index[run] if run < len(self._index) else self._len
        if run > 0 and self._step[run - 1]:
            index = self._index[run - 1] + offset - self._offset[run - 1]
            return min(index, after)
        return after


@dataclass
class TextRun:
    """A piece of text content as written, entity references decoded, with its element."""

    text: str
    offsets: Sequence[int]  # source offset of each character (a range for text copied as written)
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
    offsets: OffsetMap = field(default_factory=OffsetMap)

    def offset(self, index: int) -> int:
        if not self.offsets:
            return 0
        return self.offsets[min(max(index, 0), len(self.offsets) - 1)]

    def between(self, start: int, end: int) -> str:
        """Visible text whose source offsets fall in ``[start, end)``."""
        lo = self.offsets.bisect_left(start)
        hi = self.offsets.bisect_left(end)
        return self.text[lo:hi].strip()


class HtmlDoc:
    """A parsed HTML document (or fragment)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        parser = _Builder(source)
        try:
            _fast_parse(source, parser)
        except _Fallback:
            parser = _Builder(source)
            tokenizer = _Parser(parser, self.line_starts)
            tokenizer.feed(source)
            tokenizer.close()
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
        self._switched_off: dict[str, tuple[list[int], list[int]]] = {}
        self._chains: list[int] = []

    # ----------------------------------------------------------------- positions

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset``."""
        offset = min(max(offset, 0), len(self.source))
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def disabled(self, rule_id: str, offset: int) -> bool:
        """Whether an element around ``offset`` switches ``rule_id`` off (``data-otokui-disable``).

        Answered by bisection over the merged ranges that switch the rule off
        (built once per rule), so many switches and many questions stay linear.
        """
        if not self._disabled:
            return False
        ranges = self._switched_off.get(rule_id)
        if ranges is None:
            ranges = self._switched_off[rule_id] = _merged(
                (start, end) for start, end, ids in self._disabled if rule_id in ids or "all" in ids
            )
        starts, ends = ranges
        at = bisect.bisect_right(starts, offset) - 1
        return at >= 0 and offset < ends[at]

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

    def chain(self, element: Element) -> int:
        """A number for the tag and attributes of ``element`` and of each of its ancestors: elements of
        any documents with the same number have the same tags and attributes all the way up (what a
        rule that reads only those may decide once for all of them)."""
        chains = self._chains
        if not chains:
            chains.extend([-1] * len(self.elements))
        climbed: list[Element] = []
        current: Element | None = element
        while current is not None and chains[current.index] < 0:
            climbed.append(current)
            current = self.elements[current.parent] if current.parent is not None else None
        above = chains[current.index] if current is not None else -1
        for item in reversed(climbed):
            key = (above, item.tag, tuple(item.attrs.items()))
            above = _CHAINS.get(key, -1)
            if above < 0:
                if len(_CHAINS) >= _MAX_CHAINS:
                    _CHAINS.clear()  # numbers are never given twice: a chain met again gets a new one
                above = _CHAINS[key] = next(_NUMBERS)
            chains[item.index] = above
        return chains[element.index]

    def text_of(self, element: Element) -> str:
        """The visible text inside ``element``."""
        return self.text.between(element.start, element.end)

    def body_offset(self) -> int:
        body = self.first("body")
        return body.start if body else 0


#: The number of each chain of tags and attributes met in this process (see :meth:`HtmlDoc.chain`).
_CHAINS: dict[tuple[int, str, tuple[tuple[str, str | None], ...]], int] = {}
_MAX_CHAINS = 100_000
_NUMBERS = itertools.count()


def _merged(ranges: Iterable[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Half-open ranges merged into disjoint ones, as sorted starts and their ends."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(ranges):
        if end <= start:
            continue
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _rule_ids(value: str) -> frozenset[str]:
    return frozenset(part.upper() if part.lower() != "all" else "all" for part in re.split(r"[\s,]+", value) if part)


class _Builder:
    """Builds elements, text runs and the visible text from tokens with their source offsets."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.elements: list[Element] = []
        self.runs: list[TextRun] = []
        self.styles: list[StyleBlock] = []
        self.comments: list[tuple[int, str]] = []
        self.visible = VisibleText()
        self.preheader: Element | None = None
        self.stack: list[int] = []
        self._chars: list[str] = []
        self._offsets = OffsetMap()
        self._seen_text = False
        self._pending_preheader = False
        self._has_body = 0  # open <body> elements on the stack
        self._invisible = 0  # open elements of INVISIBLE on the stack
        self._svg = 0  # open <svg> elements on the stack
        self._open: dict[str, int] = {}  # open elements on the stack, by tag: a stray end tag is skipped at once

    def _current(self) -> Element | None:
        return self.elements[self.stack[-1]] if self.stack else None

    def _count(self, tag: str, step: int) -> None:
        self._open[tag] = self._open.get(tag, 0) + step
        if tag in _COUNTED:
            if tag == "body":
                self._has_body += step
            elif tag == "svg":
                self._svg += step
            if tag in INVISIBLE:
                self._invisible += step

    def start(self, tag: str, attrs: list[tuple[str, str | None]], void: bool, start: int, length: int) -> None:
        values: dict[str, str | None] = {}
        for name, value in attrs:
            values.setdefault(name.lower(), value)
        self.open(tag, values, _hides(values), void, start, length)

    def open(
        self, tag: str, values: dict[str, str | None], own_hidden: bool, void: bool, start: int, length: int
    ) -> None:
        """A start tag with its attributes read (``own_hidden``: whether they hide the element)."""
        stack = self.stack
        parent = self.elements[stack[-1]] if stack else None
        in_head = tag == "head" or (parent is not None and parent.in_head)
        hidden = parent is not None and parent.hidden
        if own_hidden and not hidden:
            inside_body = self._has_body > 0
            if inside_body and self.preheader is None and not self._seen_text and not in_head:
                own_hidden = False  # the preheader: shown in the inbox
                self._pending_preheader = True
            hidden = own_hidden
        element = Element(
            len(self.elements),
            tag,
            values,
            start,
            start + length,
            start + length,
            parent.index if parent is not None else None,
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
            stack.append(element.index)
            self._count(tag, 1)

    def end(self, tag: str, start: int, end: int | None = None) -> None:
        if end is None:
            close = self.source.find(">", start)
            end = close + 1 if close >= 0 else len(self.source)
        stack = self.stack
        if stack:
            top = self.elements[stack[-1]]
            if top.tag == tag:  # the commonest: closing the innermost element
                top.end = end
                stack.pop()
                self._count(tag, -1)
                if tag in BLOCK:
                    self._break(start)
                return
        if not self._open.get(tag):  # nothing to close: no scan of the stack (linear in stray end tags)
            if tag in BLOCK:
                self._break(start)
            return
        for depth in range(len(stack) - 1, -1, -1):
            if self.elements[stack[depth]].tag == tag:
                for index in stack[depth:]:
                    self.elements[index].end = end
                    self._count(self.elements[index].tag, -1)
                del stack[depth:]
                break
        if tag in BLOCK:
            self._break(start)

    def data(self, data: str, start: int) -> None:
        self._text(data, range(start, start + len(data)))

    def ref(self, ref: str, offset: int) -> None:
        text = unescape(ref)
        self._text(text, [offset] * len(text))

    def comment(self, offset: int, data: str) -> None:
        self.comments.append((offset, data))

    def _text(self, text: str, where: range | list[int]) -> None:
        element = self._current()
        offsets = where
        if element is not None and element.tag == "style" and not self._svg:
            self.styles.append(StyleBlock(text, offsets[0] if offsets else 0, element.index))
        visible = not self._invisible and not (element is not None and element.hidden)
        self.runs.append(TextRun(text, offsets, element.index if element else None, visible))
        if not visible:
            return
        chars, kept = self._chars, self._offsets
        for begin, stop in _pieces(text):
            if stop < 0:  # a run of whitespace: one space, unless at a line start
                if chars and chars[-1] not in " \n":
                    chars.append(" ")
                    kept.append(offsets[begin])
                continue
            chars.extend(text[begin:stop])
            kept.extend(offsets[begin:stop])
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
        end = len(self.source)
        for index in self.stack:
            self.elements[index].end = end
        while self._chars and self._chars[-1] in " \n":
            self._chars.pop()
            self._offsets.pop()
        self.visible = VisibleText("".join(self._chars), self._offsets)


# Whitespace runs (group 1) and runs of characters that show (group 2); zero-width
# characters match neither, so they are skipped without ending a whitespace run.
_WORDS = re.compile("(\\s+)|([^\\s" + "".join(sorted(ZERO_WIDTH)) + "]+)")


@lru_cache(maxsize=4096)
def _pieces(text: str) -> tuple[tuple[int, int], ...]:
    """The runs of ``text`` that show, as (start, end), and its whitespace runs as (start, -1):
    split once per distinct text (the emails of one build repeat most of theirs)."""
    return tuple((m.start(), -1) if m.lastindex == 1 else m.span() for m in _WORDS.finditer(text))


def _hides(values: dict[str, str | None]) -> bool:
    """Whether an element's own attributes hide it (``hidden``, or ``display: none`` inline)."""
    return "hidden" in values or displays_none(values.get("style"))


@lru_cache(maxsize=8192)
def displays_none(style: str | None) -> bool:
    """Whether an inline ``style`` hides its element (``display: none``)."""
    return style is not None and DISPLAY_NONE.search(style) is not None


class _Parser(HTMLParser):
    """The standard library's tokenizer, for documents the fast path does not take."""

    def __init__(self, builder: _Builder, line_starts: list[int]) -> None:
        super().__init__(convert_charrefs=False)
        self.builder = builder
        self.line_starts = line_starts

    # position of the current token
    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.builder.start(tag, attrs, tag in VOID, self._offset(), len(self.get_starttag_text() or ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.builder.start(tag, attrs, True, self._offset(), len(self.get_starttag_text() or ""))

    def handle_endtag(self, tag: str) -> None:
        self.builder.end(tag, self._offset())

    def handle_data(self, data: str) -> None:
        self.builder.data(data, self._offset())

    def handle_entityref(self, name: str) -> None:
        self.builder.ref(f"&{name};", self._offset())

    def handle_charref(self, name: str) -> None:
        self.builder.ref(f"&#{name};", self._offset())

    def handle_comment(self, data: str) -> None:
        self.builder.comment(self._offset(), data)


# The fast path: a tokenizer for the markup builders and email frameworks write
# (complete start tags with quoted or plain attribute values, plain end tags,
# comments, a doctype, entity and character references). It gives exactly the
# tokens html.parser gives for such markup; anything else (a stray "<", an
# unterminated construct, a marked section, odd attribute syntax) sends the
# whole document to html.parser instead.
_SPACE = "[ \\t\\n\\r\\f]"
_ATTRIBUTES = (
    rf"""(?:{_SPACE}+[a-zA-Z_:@][-a-zA-Z0-9_:.@]*"""
    rf"""(?:{_SPACE}*={_SPACE}*(?:"[^"]*"|'[^']*'|[^\s"'=<>`/]+(?={_SPACE}|>)))?)*"""
)
_TOKEN = re.compile(
    r"(?P<text>[^&<]+)"
    rf"|(?P<start><([a-zA-Z][-a-zA-Z0-9_:.]*)({_ATTRIBUTES}){_SPACE}*(/?)>)"
    r"|(?P<end></\s*([a-zA-Z][-.a-zA-Z0-9:_]*)\s*>)"
    r"|(?P<entity>&([a-zA-Z][-.a-zA-Z0-9]*)(?:;|(?=[^a-zA-Z0-9])))"
    r"|(?P<char>&#([0-9]+|[xX][0-9a-fA-F]+)(?:;|(?=[^0-9a-fA-F])))"
    r"|(?P<comment><!--(.*?)--\s*>)"
    r"|(?P<doctype><![dD][oO][cC][tT][yY][pP][eE][^>]*>)",
    re.DOTALL,
)
_ATTRIBUTE = re.compile(
    rf"""{_SPACE}+([a-zA-Z_:@][-a-zA-Z0-9_:.@]*)(?:{_SPACE}*={_SPACE}*("[^"]*"|'[^']*'|[^\s"'=<>`/]+))?"""
)
_RAW_TEXT = {name: re.compile(rf"</{name}", re.IGNORECASE) for name in ("script", "style")}
_RAW_TEXT_END = {name: re.compile(rf"</\s*{name}\s*>", re.IGNORECASE) for name in ("script", "style")}


class _Fallback(Exception):
    """The fast path met markup it leaves to html.parser."""


def _fast_parse(source: str, builder: _Builder) -> None:
    pos, n = 0, len(source)
    token = _TOKEN.match
    while pos < n:
        match = token(source, pos)
        if match is None:
            raise _Fallback
        kind = match.lastgroup
        end = match.end()
        if kind == "start":
            name = match.group(3).lower()
            values, hides = _attributes(match.group(4))
            closed = bool(match.group(5))
            builder.open(name, dict(values), hides, closed or name in VOID, pos, end - pos)
            if not closed and name in _RAW_TEXT:
                end = _raw_text(source, name, end, builder)
        elif kind == "end":
            builder.end(match.group(7).lower(), pos, end)
        elif kind == "text":
            builder.data(match.group(), pos)
        elif kind == "entity":
            builder.ref(f"&{match.group(9)};", pos)
        elif kind == "char":
            builder.ref(f"&#{match.group(11)};", pos)
        elif kind == "comment":
            body = match.group(13)
            if end - match.end(13) != 3 or body.startswith((">", "->")) or "--!>" in body or "<!--" in body:
                raise _Fallback  # comment edge cases that Python versions read differently
            builder.comment(pos, body)
        pos = end


@lru_cache(maxsize=4096)
def _attributes(text: str) -> tuple[dict[str, str | None], bool]:
    """The attributes of a start tag (names lower-case, the first of a name wins, values unquoted and
    unescaped) and whether they hide the element: read once per distinct text (each caller copies)."""
    values: dict[str, str | None] = {}
    for attr in _ATTRIBUTE.finditer(text):
        value = attr.group(2)
        if value is not None and value[:1] in "\"'" and value[:1] == value[-1:] and len(value) >= 2:
            value = value[1:-1]
        values.setdefault(attr.group(1).lower(), unescape(value) if value else value)
    return values, _hides(values)


def _raw_text(source: str, name: str, start: int, builder: _Builder) -> int:
    """<style> and <script> hold raw text up to their end tag; the offset after it."""
    close = _RAW_TEXT_END[name].search(source, start)
    first = _RAW_TEXT[name].search(source, start)
    if close is None or first is None or first.start() != close.start() or close.end() - close.start() != len(name) + 3:
        raise _Fallback
    if start < close.start():
        builder.data(source[start : close.start()], start)
    builder.end(name, close.start())
    return close.end()
