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

from collections.abc import Sequence
from typing import ClassVar

from otokui.emails.fields import FIELDS, TOKEN_RE, token
from otokui.emails.fill import CompiledEmail, parse_html, parse_text
from otokui.export.core import Dialect, ExportFile, ExportProblem, ExportResult, Merged, Pred, Writer, single
from otokui.policy.model import Policy


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


def _drop_rows(html: str, tokens: list[str], replace_first: str) -> str:
    """``html`` without the table rows holding any of ``tokens``; the first such row of a line becomes one row."""
    out, pos = [], 0
    replaced = False
    while True:
        hits = [(html.find(t, pos), t) for t in tokens]
        hits = [(at, t) for at, t in hits if at >= 0]
        if not hits:
            break
        at, found = min(hits)
        start, end = html.rfind("<tr", pos, at), html.find("</tr>", at)
        if start < 0 or end < 0:
            break
        end += len("</tr>")
        while end < len(html) and html[end] in " \t\r\n":
            end += 1
        out.append(html[pos:start])
        if replace_first and found.startswith("OTKline__") and not replaced:
            out.append(replace_first)
            replaced = True
        pos = end
    out.append(html[pos:])
    return "".join(out)


def _flatten(compiled: CompiledEmail, dialect: TagCart) -> tuple[str, str]:
    """HTML and text with the order lines replaced by the cart's list tag and rows without a tag left out."""
    drop = [n for n, f in FIELDS.items() if f.kind != "loop" and not f.optional and n not in dialect.tags]
    list_tag = dialect.tag(dialect.order_list)
    line_fields = [n for n, f in FIELDS.items() if f.loop]
    tokens = [token(n) for n in [*line_fields, *_MONEY, *drop]]
    row = f'<tr><td colspan="2" style="white-space:pre-line;">{list_tag}</td></tr>'
    html = _drop_rows(compiled.html, tokens, row)
    out, listed = [], False
    for line in compiled.text.splitlines(keepends=True):
        names = {m.group(1).replace("__", ".") for m in TOKEN_RE.finditer(line)}
        if names & set(line_fields):
            if not listed:
                out.append(list_tag + "\n")
                listed = True
            continue
        if names & {*_MONEY, *drop}:
            continue
        out.append(line)
    return html, "".join(out)


def export_tagcart(dialect: TagCart, compiled_emails: Sequence[CompiledEmail]) -> ExportResult:
    """One file per variant, in the cart's tags, and where each goes."""
    policy: Policy = dialect.policy
    result = ExportResult(dialect.name)
    writer = Writer(dialect)
    kinds = {kind for kind, _ in dialect.slots}
    unslotted: dict[str, list[str]] = {}
    taken: dict[str, str] = {}
    from otokui.export.syntax import TAG_CARTS

    pattern = TAG_CARTS[dialect.name][0]
    clashing: set[str] = set()
    for compiled in compiled_emails:  # one at a time (see CompiledStore)
        clashing.update(m.group(0) for m in pattern.finditer(compiled.text + compiled.subject))
        variant = compiled.variant
        tier = next(t for t in policy.wording.purchase_count_tiers if t.id == variant.tier)
        html, text = _flatten(compiled, dialect)
        stem = f"{variant.locale}/{variant.kind}/{variant.name}"
        merged = single(compiled)
        merged.parts["html"][0].branches[0] = (None, parse_html(html))
        merged.parts["text"][0].branches[0] = (None, parse_text(text))
        slot = dialect.slot(variant.kind, tier.min_orders <= 1) if variant.kind in kinds else ""
        reason = ""
        if slot and (variant.notices or variant.rank or variant.member):
            reason = "the slot cannot tell this customer apart"
        elif slot and taken.get(f"{variant.locale}/{slot}"):
            reason = f"the slot already takes {taken[f'{variant.locale}/{slot}']}"
        if reason:
            unslotted.setdefault(variant.kind, []).append(f"{stem} ({reason})")
            slot = ""
        elif slot:
            taken[f"{variant.locale}/{slot}"] = variant.name
        elif variant.kind not in kinds:
            unslotted.setdefault(variant.kind, []).append(f"{stem} (no such mail in {dialect.name})")
        group = "member" if variant.member else ("first order" if tier.min_orders <= 1 else "repeat customer")
        for part, suffix in (("html", ".html"), ("text", ".txt"), ("subject", ".subject.txt")):
            data = writer.part(merged, part).encode("utf-8")  # type: ignore[arg-type]
            names = (variant.name,)
            result.files.append(ExportFile(f"{stem}{suffix}", data, variant.kind, variant.locale, names, slot, group))
    clashes = sorted(clashing)
    if clashes:
        result.problems.append(
            ExportProblem(
                ("wording",),
                f"the mails' own text contains {', '.join(clashes)}, which {dialect.name} would replace "
                "as a tag: reword it",
            )
        )
    for kind, files in unslotted.items():
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
