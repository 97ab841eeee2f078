"""Compile a variant once, then fill it for any number of real customers.

Public API::

    compile_variant(renderer, variant) -> CompiledEmail   # Jinja → MJML → inline → text, with tokens
    Compiler(renderer).get(variant) -> CompiledEmail      # the same, cached per variant_key(variant)
    variant_key(variant) -> tuple                          # kind, locale, tier, rank, notices, member
    fill(compiled, values: OrderValues) -> FilledEmail     # subject, preheader, html, text
    sample_values(policy, variant) -> OrderValues          # the policy's sample customer and order

Compiling renders every per-order value as an inert token
(:mod:`otokui.emails.fields`) and cuts the result into a :class:`Plan`:
literal text, *slots* (one field, in a context: HTML text, HTML attribute,
plain text or mail header), *loops* (the ``order.lines`` rows, found as the
table row or the text lines holding the ``line.*`` tokens) and *optional*
parts (the element, or text line, holding an optional field; left out when
the field is empty). Filling is then string joins: each value is formatted
once (money and dates for the locale, choice labels) and escaped for where it
lands. Export targets (:mod:`otokui.export`) walk the same plan and write
their own syntax instead of values.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from operator import methodcaller
from pathlib import Path
from typing import BinaryIO, Literal, NamedTuple, overload
from urllib.parse import urlsplit

from otokui.emails.content import transfer_deadline
from otokui.emails.fields import FIELDS, LINE_FIELDS, TOKEN_RE, Field, LineValues, OrderValues, field_of, raw_value
from otokui.emails.render import RenderedEmail, Renderer
from otokui.emails.variants import Variant
from otokui.i18n.format import long_date, money
from otokui.placeholders import header_text
from otokui.policy.model import Policy

Context = Literal["html", "attr", "text", "header"]


class FillError(ValueError):
    """A value cannot be filled in: a required field is empty, a URL is not http(s), an unknown choice."""


class Slot(NamedTuple):
    """One field's value, written for ``context``."""

    field: str
    context: Context


class Loop(NamedTuple):
    """``body`` once per entry of the loop field (``order.lines``)."""

    field: str
    body: tuple[Piece, ...]


class Optional(NamedTuple):
    """``body`` (the element or line holding ``field``) only when ``field`` has a value."""

    field: str
    body: tuple[Piece, ...]


Piece = str | Slot | Loop | Optional


@dataclass(frozen=True)
class Plan:
    """A compiled part cut into literal text, slots, loops and optional parts."""

    pieces: tuple[Piece, ...]

    def __getstate__(self) -> dict[str, object]:
        return _without_caches(self.__dict__)

    def fields(self) -> set[str]:
        """Every field this plan uses."""
        out: set[str] = set()

        def walk(pieces: Iterable[Piece]) -> None:
            for piece in pieces:
                if isinstance(piece, Slot):
                    out.add(piece.field)
                elif isinstance(piece, Loop | Optional):
                    out.add(piece.field)
                    walk(piece.body)

        walk(self.pieces)
        return out


def _without_caches(state: dict[str, object]) -> dict[str, object]:
    """What is pickled of a plan or a compiled email: not what its fills made and kept on it."""
    return {k: v for k, v in state.items() if not k.startswith("_")}


VariantKey = tuple[str, str, str, str | None, tuple[str, ...], bool]


def variant_key(variant: Variant) -> VariantKey:
    """What a compiled variant depends on: kind, locale, tier, rank, notices, member."""
    return (variant.kind, variant.locale, variant.tier, variant.rank, variant.notices, variant.member)


@dataclass(frozen=True)
class CompiledEmail:
    """One variant compiled with tokens: the token strings and their plans."""

    variant: Variant
    currency: str
    subject: str
    preheader: str
    html: str
    text: str
    plans: dict[str, Plan]  # subject, preheader, html, text
    labels: dict[str, str]  # the choice and flag labels of the locale

    def __getstate__(self) -> dict[str, object]:
        return _without_caches(self.__dict__)

    @property
    def locale(self) -> str:
        return self.variant.locale

    @property
    def key(self) -> VariantKey:
        return variant_key(self.variant)


@dataclass(frozen=True)
class FilledEmail:
    """One email for one customer: ready to send."""

    subject: str
    preheader: str
    html: str
    text: str


# --------------------------------------------------------------------------- compiling

_LABEL_PREFIXES = ("pm_", "pay_note_", "region_", "pre_order_note", "date_long", "month_names")


def compile_variant(renderer: Renderer, variant: Variant) -> CompiledEmail:
    """Compile ``variant`` with tokens (Jinja, MJML, inliner and plain text run once)."""
    return _compile(renderer, variant)[0]


def _compile(renderer: Renderer, variant: Variant) -> tuple[CompiledEmail, str]:
    """The compiled variant and the rendered MJML it came from (tokens in it)."""
    email = renderer.render(variant, tokens=True)
    labels = renderer.content.labels(variant.locale)
    compiled = CompiledEmail(
        variant=variant,
        currency=renderer.policy.shop.currency,
        subject=email.subject,
        preheader=email.preheader,
        html=email.html,
        text=email.text,
        plans={
            "subject": Plan(_parse_flat(email.subject, "header")),
            "preheader": Plan(_parse_flat(email.preheader, "header")),
            "html": Plan(parse_html(email.html)),
            "text": Plan(parse_text(email.text)),
        },
        labels={k: v for k, v in labels.items() if k.startswith(_LABEL_PREFIXES)},
    )
    return compiled, email.mjml


def compile_and_fill(renderer: Renderer, variant: Variant) -> tuple[RenderedEmail, CompiledEmail]:
    """``variant`` compiled with tokens, and the sample customer's email filled from it.

    One compile serves both the build's ``dist/emails/`` (the filled sample is byte for
    byte the direct render) and the export targets. The email's ``mjml`` is the
    rendered MJML with the field tokens in it.
    """
    compiled, mjml = _compile(renderer, variant)
    filled = fill(compiled, sample_values(renderer.policy, variant))
    email = RenderedEmail(
        variant=variant,
        subject=filled.subject,
        preheader=filled.preheader,
        html=filled.html,
        text=filled.text,
        context=renderer.context(variant),
        mjml=mjml,
    )
    return email, compiled


class CompiledStore(Sequence[CompiledEmail]):
    """Compiled variants kept as pickled bytes in an unnamed temporary file, each read back when it is asked for.

    A compiled email's HTML is held as text several times (the string and its
    plan's pieces), at two to four bytes a character; pickled it is UTF-8, a
    quarter of that, and in a file it is not in the process's memory at all. A
    build keeps every variant's compile here until the export has read them (each
    export target reads them one kind and locale at a time). The file has no name:
    it is gone once the store is closed, or its process ends however it ends.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder  # where the file is made (on the output's disk); None: the system's temporary folder
        self._kept: dict[int, tuple[Variant, int, int]] = {}  # index → variant, offset, size
        self._file: BinaryIO | None = None
        self._end = 0

    def add(self, variant: Variant, blob: bytes) -> None:
        """Keep ``blob``, a compiled email of ``variant`` pickled by :func:`pack`, after the others."""
        self.put(len(self._kept), variant, blob)

    def put(self, index: int, variant: Variant, blob: bytes) -> None:
        """Keep ``blob`` as the compile at ``index`` (put in any order; read once every index up to the last is)."""
        if self._file is None:  # made on first use: render workers forked before it do not hold it open
            self._file = tempfile.TemporaryFile(prefix=".otokui-compiled-", dir=self.folder)  # noqa: SIM115 - closed by close()
        handle = self._file.fileno()
        view = memoryview(blob)
        offset = self._end
        while view:
            view = view[os.pwrite(handle, view, offset + len(blob) - len(view)) :]
        self._end += len(blob)
        self._kept[index] = (variant, offset, len(blob))

    @property
    def variants(self) -> list[Variant]:
        return [self._kept[index][0] for index in range(len(self._kept))]

    def shared(self) -> tuple[int | None, dict[int, tuple[Variant, int, int]]]:
        """What another process needs to read these compiles: the file's descriptor (None: none kept), where each is."""
        return (self._file.fileno() if self._file is not None else None), dict(self._kept)

    @classmethod
    def over(cls, handle: int | None, kept: dict[int, tuple[Variant, int, int]]) -> CompiledStore:
        """The compiles another process kept (see :meth:`shared`), read from ``handle``, which the store now owns."""
        store = cls()
        store._file = os.fdopen(handle, "rb") if handle is not None else None
        store._kept = kept
        return store

    def close(self) -> None:
        """Drop every compile (the file goes with them)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self._kept.clear()
        self._end = 0

    def __len__(self) -> int:
        return len(self._kept)

    def _blob(self, index: int) -> bytes:
        _, offset, size = self._kept[index]
        assert self._file is not None
        return os.pread(self._file.fileno(), size, offset)

    @overload
    def __getitem__(self, index: int) -> CompiledEmail: ...

    @overload
    def __getitem__(self, index: slice) -> list[CompiledEmail]: ...

    def __getitem__(self, index: int | slice) -> CompiledEmail | list[CompiledEmail]:
        if isinstance(index, slice):
            return [unpack(self._blob(i)) for i in range(len(self))[index]]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("compiled email index out of range")
        return unpack(self._blob(index))


def pack(compiled: CompiledEmail) -> bytes:
    """``compiled`` pickled, without what filling kept on it and its plans (made again on a first fill)."""
    return pickle.dumps(compiled, protocol=pickle.HIGHEST_PROTOCOL)


def unpack(blob: bytes) -> CompiledEmail:
    compiled = pickle.loads(blob)
    if not isinstance(compiled, CompiledEmail):
        raise TypeError("not a compiled email")
    return compiled


def variants_of(compiled: Sequence[CompiledEmail]) -> list[Variant]:
    """The variant of each compiled email (without reading a :class:`CompiledStore`'s emails back)."""
    if isinstance(compiled, CompiledStore):
        return list(compiled.variants)
    return [c.variant for c in compiled]


class Compiler:
    """Compiled variants of one renderer, each compiled once (by :func:`variant_key`)."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self._cache: dict[VariantKey, CompiledEmail] = {}

    def get(self, variant: Variant) -> CompiledEmail:
        """``variant`` compiled; variants that differ only by name share one compile, each keeps its own."""
        key = variant_key(variant)
        compiled = self._cache.get(key)
        if compiled is None:
            compiled = self._cache[key] = compile_variant(self.renderer, variant)
        elif compiled.variant != variant:
            compiled = replace(compiled, variant=variant)
        return compiled


def _parse_flat(source: str, context: Context) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    pos = 0
    for match in TOKEN_RE.finditer(source):
        if match.start() > pos:
            pieces.append(source[pos : match.start()])
        pieces.append(Slot(field_of(match).name, context))
        pos = match.end()
    if pos < len(source):
        pieces.append(source[pos:])
    return tuple(pieces)


#: A comment, or a tag: closing slash, name, self-closing slash. Read as
#: ``<!--.*?-->|<(/?)([A-Za-z][\w:-]*)[^>]*?(/?)>`` reads, without going back over what it took.
_TAG = re.compile(r"<(?:!--(?:[^-]++|-(?!->))*+-->|(/?)([A-Za-z][\w:-]*+)(?:[^>/]++|/(?!>))*+(/?)>)", re.DOTALL)
_VOID = {"br", "img", "meta", "link", "hr", "input", "col", "area", "base", "source", "wbr"}


def _open_at(html: str, positions: list[int]) -> dict[int, tuple[str, int] | None]:
    """The innermost open element (name, start) at each of ``positions`` (ascending), in one pass.

    A position inside a comment or tag is left out (:func:`_enclosing` reads the
    markup before it on its own, as the regular expression sees it there).
    """
    found: dict[int, tuple[str, int] | None] = {}
    stack: list[tuple[str, int]] = []
    todo = iter(positions)
    pos = next(todo, None)
    for match in _TAG.finditer(html):
        while pos is not None and pos <= match.start():  # before this tag: what is open now
            found[pos] = stack[-1] if stack else None
            pos = next(todo, None)
        while pos is not None and pos < match.end():  # inside this tag or comment: left to _enclosing
            pos = next(todo, None)
        if pos is None:
            break  # what is open after the last position does not matter
        _step(stack, match)
    while pos is not None:
        found[pos] = stack[-1] if stack else None
        pos = next(todo, None)
    return found


def _step(stack: list[tuple[str, int]], match: re.Match[str]) -> None:
    """The elements open after the tag ``match``: an opening tag is pushed, a closing one pops to its own."""
    closing, name, selfclosing = match.groups()
    if name is None or selfclosing or name.lower() in _VOID:
        return
    name = name.lower()
    if closing:
        while stack and stack.pop()[0] != name:
            pass
    else:
        stack.append((name, match.start()))


def _enclosing(html: str, pos: int, opened: tuple[str, int] | bool | None = False) -> tuple[int, int]:
    """Start and end of the innermost element around ``pos`` (``opened``: that element, found already)."""
    if opened is False:
        stack: list[tuple[str, int]] = []
        for match in _TAG.finditer(html, 0, pos):
            _step(stack, match)
        opened = stack[-1] if stack else None
    if opened is None or opened is True:
        raise ValueError("a field outside any element")
    name, start = opened
    depth = 1
    for match in _TAG.finditer(html, pos):
        closing, tag, selfclosing = match.groups()
        if tag is None or tag.lower() != name or selfclosing:
            continue
        depth += -1 if closing else 1
        if depth == 0:
            return start, match.end()
    raise ValueError(f"<{name}> around a field is not closed")


def _loop_region(html: str, first: int, last: int) -> tuple[int, int]:
    """The table rows holding the loop tokens between ``first`` and ``last``, with the white space after."""
    start = html.rfind("<tr", 0, first)
    end = html.find("</tr>", last)
    if start < 0 or end < 0:
        raise ValueError("order lines outside a table row")
    end += len("</tr>")
    while end < len(html) and html[end] in " \t\r\n":
        end += 1
    return start, end


def parse_html(html: str, inside: frozenset[str] = frozenset()) -> tuple[Piece, ...]:
    """Cut compiled HTML into pieces (``inside``: the loops and optional fields already entered)."""
    matches = list(TOKEN_RE.finditer(html))
    regions: list[tuple[int, int, str, str]] = []  # start, end, "loop" | "optional", field
    loop_tokens = [m for m in matches if field_of(m).loop and field_of(m).loop not in inside]
    if loop_tokens:
        loop = field_of(loop_tokens[0]).loop or ""
        start, end = _loop_region(html, loop_tokens[0].start(), loop_tokens[-1].start())
        regions.append((start, end, "loop", loop))
    optional = [
        match
        for match in matches
        if (f := field_of(match)).optional and f.name not in inside and not f.loop and not _in_tag(html, match.start())
    ]
    opened = _open_at(html, [match.start() for match in optional]) if optional else {}
    for match in optional:
        start, end = _enclosing(html, match.start(), opened.get(match.start(), False))
        regions.append((start, end, "optional", field_of(match).name))
    regions.sort()
    pieces: list[Piece] = []
    pos = 0
    for start, end, kind, name in regions:
        if start < pos:
            continue  # inside a region already taken: handled when its body is cut
        pieces.extend(_slots(html[pos:start]))
        body = parse_html(html[start:end], inside | {name})
        pieces.append(Loop(name, body) if kind == "loop" else Optional(name, body))
        pos = end
    pieces.extend(_slots(html[pos:]))
    return tuple(pieces)


def _in_tag(html: str, pos: int) -> bool:
    return html.rfind("<", 0, pos) > html.rfind(">", 0, pos)


def _slots(html: str) -> list[Piece]:
    pieces: list[Piece] = []
    pos = 0
    for match in TOKEN_RE.finditer(html):
        if match.start() > pos:
            pieces.append(html[pos : match.start()])
        pieces.append(Slot(field_of(match).name, "attr" if _in_tag(html, match.start()) else "html"))
        pos = match.end()
    if pos < len(html):
        pieces.append(html[pos:])
    return pieces


def parse_html_part(html: str, *, first: bool, last: bool) -> tuple[Piece, ...] | None:
    """The pieces of ``html``, one of the consecutive parts a compiled HTML is cut into, as
    :func:`parse_html` cuts the whole; None where they could differ there.

    They are the same (save that text may be cut in two where parts meet) when:

    - a part after the first starts with ``<`` (no token runs across the cut), and a part before
      the last ends outside any tag or comment: its last ``<`` is before its last ``>`` and its last
      ``<!--`` is closed. Tags and comments are then read the same in the part and in the whole,
      and so is whether a field stands in a tag;
    - it holds no loop field;
    - each optional field stands in an element the part opens and closes (else :func:`parse_html`
      refuses it). The elements open in the whole are always those open before the part (less
      those a closing tag of the part took with it) and then the part's own, so the innermost is
      the part's, and its end is found the same way.
    """
    if html and not first and not html.startswith("<"):
        return None
    if not last and (html.rfind("<") > html.rfind(">") or _open_comment(html)):
        return None
    if any(field_of(m).loop for m in TOKEN_RE.finditer(html)):
        return None
    try:
        return parse_html(html)
    except ValueError:  # a field outside any element of the part, or in one that does not close in it
        return None


def _open_comment(html: str) -> bool:
    start = html.rfind("<!--")
    return start >= 0 and html.find("-->", start + 4) < 0


def parse_text_part(text: str, *, last: bool) -> tuple[Piece, ...] | None:
    """The pieces of ``text``, one of the consecutive parts a compiled plain text is cut into at line
    ends, as :func:`parse_text` cuts the whole; None where they could differ there.

    They are the same (save that text may be cut in two where parts meet) when no part holds a
    loop field and every part before the last ends with a blank line: an optional field's lines
    then end in its part, and the first line of the next part follows a blank line.
    """
    if not last and text and text.splitlines()[-1].strip():
        return None
    if any(field_of(m).loop for m in TOKEN_RE.finditer(text)):
        return None
    return parse_text(text)


def parse_text(text: str) -> tuple[Piece, ...]:
    """Cut the compiled plain text into pieces: loops and optional parts are whole lines."""
    lines = text.splitlines(keepends=True)
    fields = [[field_of(m) for m in TOKEN_RE.finditer(line)] for line in lines]
    loop_rows = [i for i, fs in enumerate(fields) if any(f.loop for f in fs)]
    pieces: list[Piece] = []
    i = 0
    while i < len(lines):
        if loop_rows and i == loop_rows[0]:
            last = loop_rows[-1]
            name = next(f.loop for f in fields[i] if f.loop) or ""
            pieces.append(Loop(name, tuple(_parse_flat("".join(lines[i : last + 1]), "text"))))
            i = last + 1
            continue
        optional = next((f for f in fields[i] if f.optional and not f.loop), None)
        if optional is not None:
            end = i + 1
            while end < len(lines) and optional in fields[end]:
                end += 1  # the lines of one paragraph that all hold the field (the account's lines)
            blank_before = i == 0 or not lines[i - 1].strip()
            if blank_before and end < len(lines) and not lines[end].strip():
                end += 1  # the paragraph and the blank line after it
            pieces.append(Optional(optional.name, tuple(_parse_flat("".join(lines[i:end]), "text"))))
            i = end
            continue
        pieces.extend(_parse_flat(lines[i], "text"))
        i += 1
    return _merge(pieces)


def _merge(pieces: list[Piece]) -> tuple[Piece, ...]:
    out: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, str) and out and isinstance(out[-1], str):
            out[-1] += piece
        else:
            out.append(piece)
    return tuple(out)


# --------------------------------------------------------------------------- filling

_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_HTML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\xa0": "&nbsp;"})
_HTML_ATTR = str.maketrans({"&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;", "\xa0": "&nbsp;"})


#: How a value is escaped in each context. HTML escaping matches what the inliner writes for
#: text the templates escaped, so a filled sample is byte-identical to a direct render.
def _text(value: str) -> str:
    """White space collapsed to one space (a value with none of it to collapse is returned as it is)."""
    if value.isprintable() and "  " not in value:  # no tab, line break or other control character
        return value
    return _SPACE.sub(" ", value)


ESCAPE: dict[Context, Callable[[str], str]] = {
    "html": methodcaller("translate", _HTML_TEXT),
    "attr": methodcaller("translate", _HTML_ATTR),
    "text": _text,
    "header": header_text,
}


def format_value(f: Field, raw: object, compiled: CompiledEmail) -> str | None:
    """The text of field ``f`` with value ``raw`` in ``compiled``'s locale; None when empty."""
    if raw is None or raw == "":
        if f.optional:
            return None
        raise FillError(f"{f.name}: a value is needed in {compiled.variant.kind}")
    locale = compiled.locale
    if f.kind == "money":
        return money(float(raw), compiled.currency, locale)  # type: ignore[arg-type]
    if f.kind == "date":
        return long_date(raw.isoformat() if isinstance(raw, dt.date) else str(raw), locale, labels=compiled.labels)
    if f.kind == "number":
        return str(int(raw))  # type: ignore[call-overload]
    if f.kind == "url":
        url = str(raw).strip()
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            raise FillError(f"{f.name}: only http and https links can be sent (got {url[:40]!r})")
        return url
    if f.kind == "choice":
        label = compiled.labels.get(f.labels.format(raw))
        if label is None and not f.optional:
            raise FillError(f"{f.name}: unknown value {raw!r}")
        return label or None
    if f.kind == "flag":
        return (compiled.labels[f.labels] if f.labels else "") if raw else None
    return str(raw)


#: A text not formatted yet (None is a value: the field is empty).
_UNSET = object()


class _Program(NamedTuple):
    """A plan as a list of strings with holes: the slots, loops and optional parts, by position."""

    literal: list[str]  # the pieces, with "" where a value goes
    slots: tuple[tuple[int, str, bool, Callable[[str], str]], ...]  # position, field, a line's field, escape
    loops: tuple[tuple[int, _Program], ...]
    optionals: tuple[tuple[int, str, bool, _Program], ...]  # position, field, a line's field, body


def _program(pieces: tuple[Piece, ...]) -> _Program:
    literal: list[str] = []
    slots: list[tuple[int, str, bool, Callable[[str], str]]] = []
    loops: list[tuple[int, _Program]] = []
    optionals: list[tuple[int, str, bool, _Program]] = []
    for piece in pieces:
        at = len(literal)
        if isinstance(piece, str):
            literal.append(piece)
            continue
        literal.append("")
        if isinstance(piece, Slot):
            slots.append((at, piece.field, piece.field in LINE_FIELDS, ESCAPE[piece.context]))
        elif isinstance(piece, Loop):
            loops.append((at, _program(piece.body)))
        else:
            optionals.append((at, piece.field, piece.field in LINE_FIELDS, _program(piece.body)))
    return _Program(literal, tuple(slots), tuple(loops), tuple(optionals))


def _program_of(plan: Plan) -> _Program:
    """``plan``'s program, made on its first fill and kept on it (a compiled email is filled many times)."""
    program: _Program | None = plan.__dict__.get("_program")
    if program is None:
        program = _program(plan.pieces)
        object.__setattr__(plan, "_program", program)
    return program


#: How many formatted values each compiled email keeps (prices and dates repeat from one order to the next).
FORMATTED_KEPT = 4096
#: The kinds of field whose formatted text is kept: amounts, dates, numbers and labels, never a
#: customer's own text (a name, an address, a link), which stays only in the one fill it is for.
KEPT_KINDS = frozenset({"money", "date", "number", "choice", "flag"})


def _formatted(compiled: CompiledEmail) -> dict[tuple[str, object], str | None]:
    """The texts formatted for ``compiled`` so far, by field and raw value (they depend on nothing else)."""
    memo: dict[tuple[str, object], str | None] | None = compiled.__dict__.get("_formatted")
    if memo is None:
        memo = {}
        object.__setattr__(compiled, "_formatted", memo)
    return memo


class _Filler:
    """One fill: each field's text formatted on first use, once per order (and once per line for ``line.*``)."""

    def __init__(self, compiled: CompiledEmail, values: OrderValues) -> None:
        self.compiled, self.values = compiled, values
        self.texts: dict[str, str | None] = {}  # the order's fields
        self.line_texts: list[dict[str, str | None]] = [{} for _ in values.lines]  # each line's own fields
        self.formatted = _formatted(compiled)

    def _format(self, name: str, line: int, texts: dict[str, str | None]) -> str | None:
        raw = raw_value(name, self.values, None if line < 0 else self.values.lines[line])
        field = FIELDS[name]
        if field.kind not in KEPT_KINDS:
            text = texts[name] = format_value(field, raw, self.compiled)
            return text
        key = (name, raw)
        try:
            text = self.formatted[key]
        except KeyError:
            text = format_value(field, raw, self.compiled)
            if len(self.formatted) < FORMATTED_KEPT:
                self.formatted[key] = text
        texts[name] = text
        return text

    def run(self, program: _Program, line: int) -> str:
        """``program`` filled, for the order (``line`` -1) or inside the loop for order line ``line``."""
        out = program.literal.copy()
        order = self.texts
        own = order if line < 0 else self.line_texts[line]
        for at, name, per_line, escape in program.slots:  # :meth:`text`, written out: the fill's hot loop
            texts = own if per_line else order
            text = texts.get(name, _UNSET)
            if text is _UNSET:
                text = self._format(name, line, texts)
            if text is not None:
                out[at] = escape(text)  # type: ignore[arg-type]
        for at, body in program.loops:
            out[at] = "".join([self.run(body, index) for index in range(len(self.line_texts))])
        for at, name, per_line, body in program.optionals:
            if self.text(name, line, own if per_line else order) is not None:
                out[at] = self.run(body, line)
        return "".join(out)

    def text(self, name: str, line: int, texts: dict[str, str | None]) -> str | None:
        """Field ``name``'s text, from ``texts`` (the order's or a line's) or formatted into it."""
        text = texts.get(name, _UNSET)
        return self._format(name, line, texts) if text is _UNSET else text  # type: ignore[return-value]

    def part(self, name: str) -> str:
        return self.run(_program_of(self.compiled.plans[name]), -1)


def fill(compiled: CompiledEmail, values: OrderValues) -> FilledEmail:
    """``compiled`` for one real customer and order; every value escaped for where it lands.

    Subject and preheader: the policy text was made header-safe when compiled; each value is
    made header-safe as it is written (no line breaks, no control characters).
    """
    if not values.lines:
        raise FillError("order.lines: an order needs at least one line")
    filler = _Filler(compiled, values)
    return FilledEmail(
        subject=filler.part("subject"),
        preheader=filler.part("preheader"),
        html=filler.part("html"),
        text=filler.part("text"),
    )


def sample_values(policy: Policy, variant: Variant) -> OrderValues:
    """The policy's sample customer with ``variant``'s sample order (as ``dist/emails/`` shows them)."""
    order, locale = variant.order, variant.locale
    return OrderValues(
        customer_name=policy.samples.customer.name.get(locale),
        order_id=order.id,
        lines=tuple(
            LineValues(item.name.get(locale), item.quantity, item.price, tuple(item.tags)) for item in order.items
        ),
        shipping_fee=order.shipping_fee,
        payment_method=order.payment_method,
        region=order.region,
        desired_delivery_within_days=order.desired_delivery_within_days,
        pre_order=order.pre_order,
        estimated_delivery=order.estimated_delivery or None,
        tracking_url=str(order.tracking_url) if order.tracking_url else "",
        tracking_number=order.tracking_number or "",
        carrier=order.carrier or "",
        payment_deadline=transfer_deadline(policy, order, locale),
        coupon_code=order.coupon_code or "",
        tags=tuple(tag for item in order.items for tag in item.tags),
    )
