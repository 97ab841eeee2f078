"""Carts without conditionals: MakeShop (``[TAG]``) and futureshop (``$TAG$``).

These carts substitute tags and nothing else, so every variant is its own
file, and ``manifest.json`` says which mail slot and which customer group
each goes to (MakeShop sends ビジター注文確認 on a first order and
リピーター注文確認 from the second). What a slot cannot choose between (a
second repeat tier, a caution notice, a rank) is reported: those files are
sent by hand or from another tool.

The cart writes its own order list (MakeShop's ``[MAIL_ORDER]``: items,
prices and totals), so the order lines and the total rows of otokui's
summary are replaced by that one tag. A row or line whose field has no tag
is left out, and so is an optional part (the requested delivery, the
payment note) the cart cannot fill.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import ClassVar, NamedTuple

from otokui.emails.fields import FIELDS, TOKEN_RE, token
from otokui.emails.fill import CompiledEmail, Piece, parse_html, parse_html_part, parse_text, parse_text_part
from otokui.export.core import (
    Dialect,
    ExportFile,
    ExportProblem,
    ExportResult,
    Merged,
    Pred,
    Shared,
    TargetExport,
    Writer,
    _split,
    html_cuts,
    single,
    text_chunks,
)


class TagCart(Dialect):
    """One cart's tags and slots."""

    #: otokui field → the cart's tag
    tags: ClassVar[dict[str, str]] = {}
    #: the tag standing for the whole order list (lines and totals)
    order_list = ""
    #: (kind, tier position: "first" | "repeat") → slot name; kinds absent have no slot
    slots: ClassVar[dict[tuple[str, str], str]] = {}
    #: how tags are written: ``[{}]`` or ``${}$``
    form = "{}"

    def tag(self, name: str) -> str:
        return self.form.format(name)

    def field(self, name: str, context: str, merged: Merged) -> str:
        tag = self.tags.get(name)
        return self.tag(tag) if tag else self.left_out(name, merged)

    def loop(self, name: str, body: str) -> str:
        raise AssertionError("order lines are replaced by the order-list tag before writing")

    def optional(self, name: str, body_for: dict[str, str] | str, merged: Merged) -> str:
        if name == "order.bank_transfer" and isinstance(body_for, str):
            # no conditionals: each file is one variant, with the account where its order is paid by transfer
            return body_for if all(v.order.payment_method == "bank_transfer" for v in merged.variants) else ""
        if isinstance(body_for, str) and self.tags.get(name):
            return body_for
        return self.left_out(name, merged)

    def branch(self, branches: list[tuple[Pred | None, str]], merged: Merged) -> str:
        raise AssertionError("a tag cart has no branches: one file per variant")

    def slot(self, kind: str, tier_first: bool) -> str:
        return self.slots.get((kind, "first" if tier_first else "repeat"), "")


_MONEY = ("order.subtotal", "order.shipping", "order.total")


def _drop_rows(
    html: str, tokens: re.Pattern[str], replace_first: str, replaced: bool = False
) -> tuple[str, bool, bool]:
    """``html`` without the table rows holding any of ``tokens``; the first such row of a line becomes one row.

    ``tokens``: :func:`_token_pattern` of the tokens (the first at the earliest place is the one found);
    ``replaced``: whether that row was written already. Returns the HTML, whether it has been
    written by then, and whether every token found stands in a row of ``html`` (else the rest is
    left as it is).
    """
    out, pos = [], 0
    while True:
        hit = tokens.search(html, pos)
        if hit is None:
            break
        at, found = hit.start(), hit.group(0)
        start, end = html.rfind("<tr", pos, at), html.find("</tr>", at)
        if start < 0 or end < 0:
            out.append(html[pos:])
            return "".join(out), replaced, False
        end += len("</tr>")
        while end < len(html) and html[end] in " \t\r\n":
            end += 1
        out.append(html[pos:start])
        if replace_first and found.startswith("OTKline__") and not replaced:
            out.append(replace_first)
            replaced = True
        pos = end
    out.append(html[pos:])
    return "".join(out), replaced, True


def _token_pattern(tokens: Iterable[str]) -> re.Pattern[str]:
    """One pattern for ``tokens``: its leftmost match is the first token at the earliest place, by name."""
    return re.compile("|".join(re.escape(t) for t in sorted(set(tokens))))


class _Flattening(NamedTuple):
    """What :func:`_flatten` leaves out for one cart."""

    line_fields: frozenset[str]
    dropped: frozenset[str]  # the money rows and the fields the cart has no tag for
    tokens: re.Pattern[str]
    list_tag: str
    row: str


def _flattening(dialect: TagCart) -> _Flattening:
    """The cart's :class:`_Flattening`, worked out on first use and kept on it."""
    known: _Flattening | None = dialect.__dict__.get("_flattening")
    if known is not None:
        return known
    drop = [n for n, f in FIELDS.items() if f.kind != "loop" and not f.optional and n not in dialect.tags]
    list_tag = dialect.tag(dialect.order_list)
    line_fields = [n for n, f in FIELDS.items() if f.loop]
    tokens = _token_pattern(token(n) for n in [*line_fields, *_MONEY, *drop])
    row = f'<tr><td colspan="2" style="white-space:pre-line;">{list_tag}</td></tr>'
    known = dialect.__dict__["_flattening"] = _Flattening(
        frozenset(line_fields), frozenset([*_MONEY, *drop]), tokens, list_tag, row
    )
    return known


def _flatten(compiled: CompiledEmail, dialect: TagCart) -> tuple[str, str]:
    """HTML and text with the order lines replaced by the cart's list tag and rows without a tag left out."""
    how = _flattening(dialect)
    html = _drop_rows(compiled.html, how.tokens, how.row)[0]
    return html, _flatten_text(compiled.text, how)[0]


def _flatten_text(text: str, how: _Flattening, listed: bool = False) -> tuple[str, bool]:
    """``text`` without the lines of the order and its totals, the first order line replaced by the list tag.

    ``listed``: whether the list tag was written already; returned as it is after ``text``.
    """
    out = []
    for line in text.splitlines(keepends=True):
        names = {m.group(1).replace("__", ".") for m in TOKEN_RE.finditer(line)}
        if names & how.line_fields:
            if not listed:
                out.append(how.list_tag + "\n")
                listed = True
            continue
        if names & how.dropped:
            continue
        out.append(line)
    return "".join(out), listed


def _by_parts(cart: type[TagCart]) -> bool:
    """Whether ``cart`` writes a file as its parts one after another (see :class:`_Pieces`)."""
    return (
        cart.literal is Dialect.literal
        and cart.prelude is Dialect.prelude
        and cart.finish is Dialect.finish
        and cart.field is TagCart.field
        and cart.optional is TagCart.optional
        and cart.left_out is Dialect.left_out
    )


#: What one part gives: its text in the cart's tags, the state after it, the fields left out of it.
_Written = tuple[str, bool, dict[str, set[str]]]


def _parts_of(compiled: CompiledEmail) -> tuple[list[str], list[str]]:
    """``compiled``'s HTML cut where a section starts and its text where a paragraph starts."""
    html = compiled.html
    return _split(html, [c for c in html_cuts(html) if html[c] == "<"]), text_chunks(compiled.text)


class _Pieces:
    """A cart's HTML and text files written part by part, each part flattened, read and written once.

    Variants of one kind share most of their sections (HTML) and paragraphs (text): each is cut
    where a section or paragraph starts, and each part is flattened (:func:`_drop_rows`,
    :func:`_flatten_text`), read (:func:`~otokui.emails.fill.parse_html_part`) and written once for
    every variant that has it. Where flattening or reading a part on its own could differ from the
    whole (a row across a cut, an element around a field that closes in another part…) the whole
    variant is written as one (``None``). A cart writes no prelude, no branch and literal text as
    it is, so the parts' files, one after the other, are the whole's file.
    """

    def __init__(self, dialect: TagCart, writer: Writer) -> None:
        self.dialect, self.writer = dialect, writer
        self.how = _flattening(dialect)
        self.written: dict[tuple[object, ...], _Written | None] = {}

    def email(
        self, compiled: CompiledEmail, merged: Merged, parts: tuple[list[str], list[str]] | None = None
    ) -> dict[str, str] | None:
        """The HTML and text files of ``compiled`` (``merged``: its template; ``parts``: its
        :func:`_parts_of`, if cut already), or None."""
        html_parts, text_parts = parts if parts is not None else _parts_of(compiled)
        found: dict[str, str] = {}
        for part, sources in (("html", html_parts), ("text", text_parts)):
            out: list[str] = []
            state = False
            left_out: list[dict[str, set[str]]] = []
            for index, source in enumerate(sources):
                written = self._part(part, source, state, index == 0, index == len(sources) - 1, merged)
                if written is None:
                    return None
                text, state, unavailable = written
                out.append(text)
                if unavailable:
                    left_out.append(unavailable)
            found[part] = "".join(out)
            for unavailable in left_out:
                for name, kinds in unavailable.items():
                    self.dialect.unavailable.setdefault(name, set()).update(kinds)
        return found

    def _part(self, part: str, source: str, state: bool, first: bool, last: bool, merged: Merged) -> _Written | None:
        variant = merged.variants[0]
        # what the cart's fields and optional parts depend on: the mail, its language, the order's payment
        key = (part, source, state, first, last, variant.kind, variant.locale, variant.order.payment_method)
        if key in self.written:
            return self.written[key]
        written = self.written[key] = self._write(part, source, state, first, last, merged)
        return written

    def _write(self, part: str, source: str, state: bool, first: bool, last: bool, merged: Merged) -> _Written | None:
        pieces: tuple[Piece, ...] | None
        if part == "html":
            flat, state, whole = _drop_rows(source, self.how.tokens, self.how.row, state)
            pieces = parse_html_part(flat, first=first, last=last) if whole else None
        else:
            flat, state = _flatten_text(source, self.how, state)
            pieces = parse_text_part(flat, last=last)
        if pieces is None:
            return None
        dialect = self.dialect
        kept, dialect.unavailable = dialect.unavailable, {}
        try:
            text = self.writer.pieces(pieces, merged)
            unavailable = dialect.unavailable
        finally:
            dialect.unavailable = kept
        return text, state, unavailable


class TagCartExport(TargetExport):
    """One file per variant, in the cart's tags, and where each goes."""

    def __init__(self, dialect: TagCart) -> None:
        from otokui.export.syntax import TAG_CARTS

        self.dialect = dialect
        self.result = ExportResult(dialect.name)
        self.writer = Writer(dialect)
        self.kinds = {kind for kind, _ in dialect.slots}
        self.unslotted: dict[str, list[str]] = {}
        self.taken: dict[str, str] = {}
        self.pattern = TAG_CARTS[dialect.name][0]
        self.clashing: set[str] = set()
        self.pieces = _Pieces(dialect, self.writer) if _by_parts(type(dialect)) else None

    def wants(self, kind: str) -> bool:
        return True  # every variant is a file, in a slot or sent by hand

    def add(self, group: Sequence[CompiledEmail], shared: Shared) -> None:
        if self.pieces is not None:
            self.pieces.written.clear()  # what one kind and locale's parts give is not asked again
        for index, compiled in enumerate(group):
            parts = shared.parts.get(index)
            if parts is None and self.pieces is not None:
                parts = shared.parts[index] = _parts_of(compiled)
            self.add_one(compiled, parts)

    def add_one(self, compiled: CompiledEmail, parts: tuple[list[str], list[str]] | None = None) -> None:
        """The files of ``compiled``; ``parts``: its :func:`_parts_of`, if cut already."""
        dialect, policy, result = self.dialect, self.dialect.policy, self.result
        self.clashing.update(m.group(0) for m in self.pattern.finditer(compiled.text + compiled.subject))
        variant = compiled.variant
        tier = next(t for t in policy.wording.purchase_count_tiers if t.id == variant.tier)
        stem = f"{variant.locale}/{variant.kind}/{variant.name}"
        merged = single(compiled)
        written = self.pieces.email(compiled, merged, parts) if self.pieces is not None else None
        if written is None:
            html, text = _flatten(compiled, dialect)
            merged.parts["html"][0].branches[0] = (None, parse_html(html))
            merged.parts["text"][0].branches[0] = (None, parse_text(text))
        slot = dialect.slot(variant.kind, tier.min_orders <= 1) if variant.kind in self.kinds else ""
        reason = ""
        if slot and (variant.notices or variant.rank or variant.member):
            reason = "the slot cannot tell this customer apart"
        elif slot and self.taken.get(f"{variant.locale}/{slot}"):
            reason = f"the slot already takes {self.taken[f'{variant.locale}/{slot}']}"
        if reason:
            self.unslotted.setdefault(variant.kind, []).append(f"{stem} ({reason})")
            slot = ""
        elif slot:
            self.taken[f"{variant.locale}/{slot}"] = variant.name
        elif variant.kind not in self.kinds:
            self.unslotted.setdefault(variant.kind, []).append(f"{stem} (no such mail in {dialect.name})")
        group = "member" if variant.member else ("first order" if tier.min_orders <= 1 else "repeat customer")
        for part, suffix in (("html", ".html"), ("text", ".txt"), ("subject", ".subject.txt")):
            if written is not None and part in written:
                data = written[part].encode("utf-8")
            else:
                data = self.writer.part(merged, part).encode("utf-8")  # type: ignore[arg-type]
            names = (variant.name,)
            result.files.append(ExportFile(f"{stem}{suffix}", data, variant.kind, variant.locale, names, slot, group))

    def finish(self) -> ExportResult:
        dialect, result = self.dialect, self.result
        clashes = sorted(self.clashing)
        if clashes:
            result.problems.append(
                ExportProblem(
                    ("wording",),
                    f"the mails' own text contains {', '.join(clashes)}, which {dialect.name} would replace "
                    "as a tag: reword it",
                )
            )
        for kind, files in self.unslotted.items():
            result.problems.append(
                ExportProblem(
                    ("emails", kind),
                    f"{len(files)} {kind} files have no {dialect.name} slot to go to "
                    f"(e.g. {files[0]}): send them by hand; manifest.json lists them",
                )
            )
        for name, used_in in sorted(dialect.unavailable.items()):
            result.problems.append(
                ExportProblem(
                    ("export",), f"{name}: {dialect.name} has no tag for it; left out of {', '.join(sorted(used_in))}"
                )
            )
        return result


def export_tagcart(dialect: TagCart, compiled_emails: Sequence[CompiledEmail]) -> ExportResult:
    """One file per variant, in the cart's tags, and where each goes."""
    export = TagCartExport(dialect)
    for compiled in compiled_emails:  # one at a time (see CompiledStore)
        export.add_one(compiled)
    return export.finish()


class MakeShop(TagCart):
    """MakeShop's 自動返信メール変数タグ (ms-manual.makeshop.jp/mai_tag/)."""

    name = "makeshop"
    form = "[{}]"
    tags: ClassVar[dict[str, str]] = {
        "customer.name": "SENDER_NAME",
        "order.id": "MAIL_ORDERNUM2",
        "order.payment_method": "PAYMETHOD",
        "order.region": "RECEIVER_AREA",
    }
    order_list = "MAIL_ORDER"
    slots: ClassVar[dict[tuple[str, str], str]] = {
        ("order_confirmation", "first"): "ビジター注文確認",
        ("order_confirmation", "repeat"): "リピーター注文確認",
        ("payment_received", "first"): "入金確認",
        ("payment_received", "repeat"): "入金確認",
    }


class FutureShop(TagCart):
    """futureshop's 置換文字 (``$TAG$``): one mail per slot for every customer (tag names: see the doc page)."""

    name = "futureshop"
    form = "${}$"
    tags: ClassVar[dict[str, str]] = {
        "customer.name": "ORDER_NAME",
        "order.id": "ORDER_NO",
        "order.payment_method": "PAYMENT_METHOD",
    }
    order_list = "ORDER_DETAIL"
    slots: ClassVar[dict[tuple[str, str], str]] = {
        (kind, tier): slot
        for kind, slot in (
            ("order_confirmation", "受注確認メール"),
            ("payment_received", "ご入金確認メール"),
            ("shipped", "出荷完了メール"),
        )
        for tier in ("first", "repeat")
    }
