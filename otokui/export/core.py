"""What every export target shares: variants merged into one template per kind, and the writer.

Every variant of one kind and locale is compiled with tokens
(:mod:`otokui.emails.fill`). Each compiled part is cut at safe boundaries:

- HTML: between the top-level sections of the email body (each MRML section
  carries its own Outlook ghost-table comments, opened and closed, so a cut
  there never falls inside a conditional comment or directly in a table),
  around ``<title>`` and at the start of ``<body>``;
- plain text: between paragraphs;
- subject and preheader: whole.

The chunks of all variants are aligned (:class:`difflib.SequenceMatcher`);
a chunk that only some variants have is wrapped in a branch whose condition
is the simplest one that selects exactly those variants: a caution notice, a
set of purchase-count tiers, of ranks, guest or member, else the variants
one by one. Rendering the merged template for a variant's customer gives
back that variant's chunks, in order: the reference-engine tests prove it.

A target is a :class:`Dialect`: how it writes a field, a loop, an optional
part, a branch and a condition.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from otokui.emails.fields import FIELDS, TOKEN_RE
from otokui.emails.fill import CompiledEmail, Loop, Optional, Piece, Slot, parse_html, parse_text, variants_of
from otokui.emails.variants import Variant
from otokui.errors import BuildError
from otokui.policy.model import Condition, Policy

Part = Literal["subject", "preheader", "html", "text"]
PARTS: tuple[Part, ...] = ("subject", "preheader", "html", "text")


# --------------------------------------------------------------------------- conditions


@dataclass(frozen=True)
class Pred:
    """A condition on the customer and order that selects some variants.

    ``dim`` is ``notice`` (values: one notice id), ``tier``, ``rank``, ``member``
    (values: ``("yes",)`` or ``("no",)``) or ``variants`` (values: variant names).
    """

    dim: Literal["notice", "tier", "rank", "member", "variants"]
    values: tuple[str, ...]


class _Selector:
    """The simplest condition that selects some of ``variants`` (see :meth:`pred`), worked out once per merge."""

    def __init__(self, variants: Sequence[Variant], notices: Iterable[str]) -> None:
        self.variants = variants
        self.everyone = frozenset(range(len(variants)))
        self.having = {
            notice_id: frozenset(i for i, v in enumerate(variants) if notice_id in v.notices) for notice_id in notices
        }
        self.values: dict[str, list[str]] = {}
        self.selects: dict[str, dict[str, frozenset[int]]] = {}  # by dimension: the variants of each value
        for dim in _DIMS:
            values = self.values[dim] = [_dim_value(v, dim) for v in variants]
            by_value: dict[str, set[int]] = {}
            for index, value in enumerate(values):
                by_value.setdefault(value, set()).add(index)
            self.selects[dim] = {value: frozenset(indices) for value, indices in by_value.items()}

    def pred(self, members: frozenset[int], chunk: str, notices: dict[str, tuple[str, ...]]) -> Pred | None:
        """The condition for a chunk that ``members`` have: a notice whose marker it holds, a set of tiers,
        ranks or guest/member, else the variants by name; None for every variant (or a file of one)."""
        variants = self.variants
        if len(variants) == 1:
            return None  # a file for one variant has no branches
        for notice_id, markers in notices.items():
            if self.having[notice_id] == members and any(marker in chunk for marker in markers):
                return Pred("notice", (notice_id,))
        if members == self.everyone:
            return None
        for dim in _DIMS:
            values, selects = self.values[dim], self.selects[dim]
            chosen = {values[i] for i in members}
            selected = frozenset().union(*(selects[value] for value in chosen))
            if selected == members and len(chosen) < len(selects):
                return Pred(dim, tuple(value for value in selects if value in chosen))  # in the variants' order
        return Pred("variants", tuple(variants[i].name for i in sorted(members)))


_DIMS: tuple[Literal["tier", "rank", "member"], ...] = ("tier", "rank", "member")


def _dim_value(variant: Variant, dim: str) -> str:
    if dim == "tier":
        return variant.tier
    if dim == "rank":
        return variant.rank or ""
    return "yes" if variant.member else "no"


# --------------------------------------------------------------------------- chunks

#: A comment, or a tag: closing slash, name, attributes, self-closing slash. Read as
#: ``<!--.*?-->|<(/?)([A-Za-z][\w:-]*)([^>]*?)(/?)>`` reads, without going back over what it took.
_TAG = re.compile(r"<(?:!--(?:[^-]++|-(?!->))*+-->|(/?)([A-Za-z][\w:-]*+)((?:[^>/]++|/(?!>))*+)(/?)>)", re.DOTALL)
_VOID = {"br", "img", "meta", "link", "hr", "input", "col", "area", "base", "source", "wbr"}
_MSO_OPEN = "<!--[if mso | IE]><table"


@functools.lru_cache(maxsize=8192)  # every target cuts the same emails; export_artifacts clears it
def html_cuts(html: str) -> tuple[int, ...]:
    """Positions where a branch may start or end in compiled HTML (see the module docstring)."""
    cuts: set[int] = set()
    for marker in ("<title>", "</head>"):
        at = html.find(marker)
        if at >= 0:
            cuts.add(at)
    end_title = html.find("</title>")
    if end_title >= 0:
        cuts.add(end_title + len("</title>"))
    depth, article = 0, -1
    for match in _TAG.finditer(html):
        closing, name, attrs, selfclosing = match.groups()
        if name is None:
            if article >= 0 and depth == article + 1 and match.group(0).startswith(_MSO_OPEN):
                cuts.add(match.start())
            continue
        if selfclosing or name.lower() in _VOID:
            continue
        if closing:
            depth -= 1
            if article >= 0 and depth == article:
                cuts.add(match.start())  # the end of the article: after the last section
                article = -1
        else:
            depth += 1
            if article < 0 and 'role="article"' in attrs and name.lower() == "div":
                article = depth - 1
    return tuple(sorted(c for c in cuts if 0 < c < len(html)))


def _split(source: str, cuts: Iterable[int]) -> list[str]:
    points = [0, *cuts, len(source)]
    return [source[a:b] for a, b in itertools.pairwise(points) if b > a]


def text_chunks(text: str) -> list[str]:
    """Paragraphs, each with the blank line after it."""
    return [chunk for chunk in re.split(r"(?<=\n\n)", text) if chunk]


def chunks(compiled: CompiledEmail, part: Part) -> list[str]:
    source: str = getattr(compiled, part)
    if part == "html":
        return _split(source, html_cuts(source))
    if part == "text":
        return text_chunks(source)
    return [source]


@functools.lru_cache(maxsize=8192)  # the targets merge the same chunks; export_artifacts clears it
def parse_chunk(chunk: str, part: Part) -> tuple[Piece, ...]:
    if part == "html":
        return parse_html(chunk)
    if part == "text":
        return parse_text(chunk)
    return tuple(_flat(chunk, "header"))


def _flat(source: str, context: Literal["header", "text"]) -> list[Piece]:
    pieces: list[Piece] = []
    pos = 0
    for match in TOKEN_RE.finditer(source):
        pieces.append(source[pos : match.start()])
        pieces.append(Slot(match.group(1).replace("__", "."), context))
        pos = match.end()
    pieces.append(source[pos:])
    return [p for p in pieces if p != ""]


# --------------------------------------------------------------------------- merging


@dataclass
class Block:
    """One stretch of a merged template: always written (``branches`` of one, no condition) or branched."""

    branches: list[tuple[Pred | None, tuple[Piece, ...]]]


@dataclass
class Merged:
    """One kind in one locale: the variants it covers and each part as blocks."""

    kind: str
    locale: str
    variants: list[Variant]
    parts: dict[str, list[Block]] = field(default_factory=dict)


def merge(compiled: Sequence[CompiledEmail], notice_markers: dict[str, dict[str, tuple[str, ...]]]) -> Merged:
    """One template for ``compiled`` (variants of one kind and locale); see the module docstring.

    ``notice_markers`` gives, per part, the text that shows a notice is in a chunk.
    """
    variants = [c.variant for c in compiled]
    merged = Merged(variants[0].kind, variants[0].locale, variants)
    selector = _Selector(variants, {n for markers in notice_markers.values() for n in markers})
    for part in PARTS:
        aligned: list[tuple[str, set[int]]] = []
        for index, email in enumerate(compiled):
            mine = chunks(email, part)
            if not aligned:
                aligned = [(c, {index}) for c in mine]
                continue
            matcher = difflib.SequenceMatcher(None, [c for c, _ in aligned], mine, autojunk=False)
            out: list[tuple[str, set[int]]] = []
            for op, a1, a2, b1, b2 in matcher.get_opcodes():
                if op == "equal":
                    for entry in aligned[a1:a2]:
                        entry[1].add(index)  # each chunk's own set
                    out.extend(aligned[a1:a2])
                    continue
                out.extend(aligned[a1:a2])
                out.extend((c, {index}) for c in mine[b1:b2])
            aligned = out
        blocks: list[Block] = []
        for chunk, members in aligned:
            pred = selector.pred(frozenset(members), chunk, notice_markers.get(part, {}))
            pieces = parse_chunk(chunk, part)
            last = blocks[-1] if blocks else None
            if last and pred is None and last.branches[0][0] is None:
                last.branches[0] = (None, last.branches[0][1] + pieces)
            elif last and pred is not None and len(last.branches) == 1 and last.branches[0][0] == pred:
                last.branches[0] = (pred, last.branches[0][1] + pieces)
            elif last and pred is not None and _chains(last, pred):
                last.branches.append((pred, pieces))
            else:
                blocks.append(Block([(pred, pieces)]))
        merged.parts[part] = blocks
    return merged


def holds(pred: Pred | None, variant: Variant) -> bool:
    """Whether ``pred`` selects ``variant`` (what the target's condition says for that variant's customer)."""
    if pred is None:
        return True
    if pred.dim == "notice":
        return pred.values[0] in variant.notices
    if pred.dim == "variants":
        return variant.name in pred.values
    return _dim_value(variant, pred.dim) in pred.values


def project(merged: Merged, variant: Variant, part: Part) -> tuple[Piece, ...]:
    """The pieces of ``part`` that ``variant``'s customer gets: the first branch of each block that holds."""
    out: list[Piece] = []
    for block in merged.parts[part]:
        for pred, pieces in block.branches:
            if holds(pred, variant):
                out.extend(pieces)
                break
    return tuple(out)


def verify(merged: Merged, compiled: Sequence[CompiledEmail], policy: Policy) -> None:
    """Each variant's branches, filled with the sample customer, are that variant's email, byte for byte.

    The checker checks every variant under ``emails/``; this makes sure each branch of an exported
    template is one of those emails. A difference is a fault in otokui, never in the shop's policy.
    """
    from otokui.emails.fill import Plan, fill, sample_values

    for email in compiled:
        variant = email.variant
        plans: dict[str, Plan] = {part: Plan(project(merged, variant, part)) for part in PARTS}
        if all(_plain(plans[part].pieces) == _plain(email.plans[part].pieces) for part in PARTS):
            continue  # the same text, fields, loops and optional parts in the same order: the same email
        projected = CompiledEmail(
            email.variant, email.currency, email.subject, email.preheader, email.html, email.text, plans, email.labels
        )
        values = sample_values(policy, variant)
        if fill(projected, values) != fill(email, values):
            raise BuildError(f"export of {variant.stem}: the branches do not give the variant back (an otokui fault)")


def _plain(pieces: Iterable[Piece]) -> list[object]:
    """``pieces`` with adjacent text joined (and no empty text): two plans alike so fill alike."""
    out: list[object] = []
    for piece in pieces:
        if isinstance(piece, str):
            if not piece:
                continue
            if out and isinstance(out[-1], str):
                out[-1] += piece
                continue
            out.append(piece)
        elif isinstance(piece, Slot):
            out.append(piece)
        else:
            out.append((type(piece).__name__, piece.field, _plain(piece.body)))
    return out


def single(compiled: CompiledEmail) -> Merged:
    """A template for one variant alone: its compiled plans, no branches."""
    variant = compiled.variant
    parts: dict[str, list[Block]] = {part: [Block([(None, compiled.plans[part].pieces)])] for part in PARTS}
    return Merged(variant.kind, variant.locale, [variant], parts)


def _chains(block: Block, pred: Pred) -> bool:
    """Whether ``pred`` can follow ``block``'s branches as an ``else if``: same dimension, disjoint values."""
    first = block.branches[0][0]
    if first is None or first.dim != pred.dim or pred.dim in ("notice", "variants"):
        return False
    taken = {v for p, _ in block.branches if p for v in p.values}
    return not taken & set(pred.values)


def notice_markers(policy: Policy, locale: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """What shows each notice is in a chunk: its ``data-notice`` attribute, its title or message in the text."""
    return {
        "html": {n.id: (f'data-notice="{n.id}"',) for n in policy.notices},
        "text": {n.id: (n.title.get(locale), n.message.get(locale)) for n in policy.notices},
    }


# --------------------------------------------------------------------------- writing


class Dialect:
    """How one target writes fields, loops, optional parts and branches. Subclasses fill these in."""

    #: the target's name, as on the command line
    name = ""

    def __init__(self, policy: Policy, labels: dict[str, dict[str, str]]) -> None:
        self.policy = policy
        self.labels = labels  # per locale
        self.unavailable: dict[str, set[str]] = {}  # field → kinds it was left out of

    def left_out(self, name: str, merged: Merged) -> str:
        """Note that the target has nothing for field ``name`` (its line is left out); write nothing."""
        self.unavailable.setdefault(name, set()).add(merged.kind)
        return ""

    def field(self, name: str, context: str, compiled: Merged) -> str:
        raise NotImplementedError

    def loop(self, name: str, body: str) -> str:
        raise NotImplementedError

    def optional(self, name: str, body_for: dict[str, str] | str, merged: Merged) -> str:
        """``body_for``: one body, or (for choice fields) a body per choice value."""
        raise NotImplementedError

    def branch(self, branches: list[tuple[Pred | None, str]], merged: Merged) -> str:
        raise NotImplementedError

    def prelude(self, merged: Merged, part: Part) -> str:
        return ""

    def finish(self, text: str, part: Part) -> str:
        """The whole part, for a target that wraps it (EC-CUBE's text autoescape)."""
        return text

    def literal(self, text: str) -> str:
        """Policy text and markup, kept from being read as the target's own syntax."""
        return text


class Writer:
    """Writes a :class:`Merged` template in a :class:`Dialect`."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.labels = dialect.labels  # per locale: the choice labels (pm_*, pay_note_*, region_*…)

    def part(self, merged: Merged, part: Part) -> str:
        out = [self.dialect.prelude(merged, part)]
        for block in merged.parts[part]:
            if len(block.branches) == 1 and block.branches[0][0] is None:
                out.append(self.pieces(block.branches[0][1], merged))
            else:
                out.append(self.dialect.branch([(p, self.pieces(b, merged)) for p, b in block.branches], merged))
        return self.dialect.finish("".join(out), part)

    def pieces(self, pieces: Iterable[Piece], merged: Merged, choice: tuple[str, str] | None = None) -> str:
        out: list[str] = []
        for piece in pieces:
            if isinstance(piece, str):
                out.append(self.dialect.literal(piece))
            elif isinstance(piece, Slot):
                if choice and piece.field == choice[0]:
                    out.append(choice[1])
                elif FIELDS[piece.field].kind == "flag" and not FIELDS[piece.field].labels:
                    out.append("")  # a marker (order.bank_transfer) writes nothing where it stands
                else:
                    out.append(self.dialect.field(piece.field, piece.context, merged))
            elif isinstance(piece, Loop):
                out.append(self.dialect.loop(piece.field, self.pieces(piece.body, merged)))
            elif isinstance(piece, Optional):
                out.append(self._optional(piece, merged))
        return "".join(out)

    def _optional(self, piece: Optional, merged: Merged) -> str:
        f = FIELDS[piece.field]
        labels = self.labels[merged.locale]
        if f.kind == "choice":
            prefix = f.labels.replace("{}", "")
            bodies = {
                key[len(prefix) :]: self.pieces(piece.body, merged, (piece.field, _escape_label(label, piece)))
                for key, label in labels.items()
                if key.startswith(prefix) and label
            }
            return self.dialect.optional(piece.field, bodies, merged)
        if f.kind == "flag":
            label = _escape_label(labels[f.labels], piece) if f.labels else ""
            body = self.pieces(piece.body, merged, (piece.field, label))
            return self.dialect.optional(piece.field, body, merged)
        return self.dialect.optional(piece.field, self.pieces(piece.body, merged), merged)


def _escape_label(label: str, piece: Optional) -> str:
    """A label written literally into an optional part: HTML-escaped unless the part is plain text."""
    from otokui.emails.fill import ESCAPE

    contexts = [p.context for p in piece.body if isinstance(p, Slot) and p.field == piece.field]
    context = contexts[0] if contexts else "text"
    return ESCAPE[context](label)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ExportFile:
    """One file of a target, relative to ``dist/export/<target>/``."""

    path: str
    data: bytes
    kind: str = ""
    locale: str = ""
    variants: tuple[str, ...] = ()  # the variant names this file serves
    slot: str = ""  # where it goes in the platform's admin
    group: str = ""  # which customers it is for, where the platform sends one file to a group


@dataclass(frozen=True)
class ExportProblem:
    """Something the target cannot say the way the policy does; ``path`` is the policy key at fault."""

    path: tuple[str | int, ...]
    message: str


def unmapped(
    where: tuple[str | int, ...], key: str, values: Iterable[str], mapping: Mapping[str, object], missing: str
) -> list[ExportProblem]:
    """A problem at ``where.key`` for each of ``values`` the export settings' ``mapping`` gives nothing for."""
    return [ExportProblem((*where, key), f"{missing} for {value}") for value in values if not mapping.get(value)]


@dataclass
class ExportResult:
    target: str
    files: list[ExportFile] = field(default_factory=list)
    problems: list[ExportProblem] = field(default_factory=list)
    merged: dict[tuple[str, str], Merged] = field(default_factory=dict)  # by kind and locale


class ConditionalDialect(Dialect):
    """A target with conditionals: one template per kind, fallback files for notices it cannot express."""

    #: email kind → the platform's name for that mail (its slot in the admin)
    kinds: ClassVar[dict[str, str]] = {}
    #: file name suffix for each part
    suffixes: ClassVar[dict[str, str]] = {}

    def condition_problems(self, condition: Condition, where: tuple[str | int, ...]) -> list[ExportProblem]:
        """Why this target cannot test ``condition`` (empty: it can)."""
        raise NotImplementedError

    def notice_problems(self, notice_index: int) -> tuple[list[ExportProblem], list[ExportProblem]]:
        """Why a notice cannot be shown by condition (first list), and conditions of its ``any`` left out.

        A notice is blocked when one of its ``all`` conditions, or every one of its
        ``any`` conditions, cannot be tested; an ``any`` condition that cannot be
        tested is left out (and reported) when another one can. Worked out once per
        notice (every part of every file asks).
        """
        known: dict[int, tuple[list[ExportProblem], list[ExportProblem]]] = self.__dict__.setdefault(
            "_known_notice_problems", {}
        )
        if notice_index not in known:
            known[notice_index] = self._notice_problems(notice_index)
        blocking, partial = known[notice_index]
        return list(blocking), list(partial)

    def _notice_problems(self, notice_index: int) -> tuple[list[ExportProblem], list[ExportProblem]]:
        notice = self.policy.notices[notice_index]
        where: tuple[str | int, ...] = ("notices", notice_index, "when")
        blocking = [
            p for i, c in enumerate(notice.when.all or []) for p in self.condition_problems(c, (*where, "all", i))
        ]
        any_problems = [self.condition_problems(c, (*where, "any", i)) for i, c in enumerate(notice.when.any or [])]
        partial = [p for problems in any_problems for p in problems]
        if any_problems and all(any_problems):
            return blocking + partial, []
        suffix = ": left out here, the notice shows on its other conditions"
        return blocking, [ExportProblem(p.path, p.message + suffix) for p in partial]

    def file_stem(self, kind: str, locale: str) -> str:
        return f"{locale}/{kind}"

    def extra_problems(self, kinds: list[str]) -> list[ExportProblem]:
        """What else the shop has to know about the exported ``kinds``."""
        return []


def groups_of(variants: Sequence[Variant]) -> dict[tuple[str, str], list[int]]:
    """The positions of ``variants`` by kind and locale, in the order each first appears."""
    groups: dict[tuple[str, str], list[int]] = {}
    for index, variant in enumerate(variants):
        groups.setdefault((variant.kind, variant.locale), []).append(index)
    return groups


@dataclass
class Shared:
    """What the targets reading one kind and locale share (see :class:`TargetExport`)."""

    #: merged templates by the positions (in the group) of the variants they cover: the conditional
    #: targets that leave out the same variants share one merge
    merges: dict[tuple[int, ...], Merged] = field(default_factory=dict)
    #: each email's HTML sections and text paragraphs, by its position in the group (the tag carts
    #: cut them alike)
    parts: dict[int, tuple[list[str], list[str]]] = field(default_factory=dict)


class TargetExport:
    """One target's export, fed the compiled variants one kind and locale at a time.

    Every target of a build reads each group once (:func:`otokui.export.export_artifacts`):
    :meth:`add` takes the group's compiled variants, :meth:`finish` returns the result.
    """

    def wants(self, kind: str) -> bool:
        """Whether the target writes anything for ``kind`` (else its group is not read for it)."""
        raise NotImplementedError

    def add(self, group: Sequence[CompiledEmail], shared: Shared) -> None:
        """The files of one kind and locale; ``shared`` by the targets reading the same group."""
        raise NotImplementedError

    def finish(self) -> ExportResult:
        raise NotImplementedError


class ConditionalExport(TargetExport):
    """A conditional target: one merged template per kind and locale, plus fallback files."""

    def __init__(self, dialect: ConditionalDialect, variants: Sequence[Variant]) -> None:
        policy = dialect.policy
        self.dialect = dialect
        self.result = result = ExportResult(dialect.name)
        self.unsayable: dict[str, list[ExportProblem]] = {}
        for index, notice in enumerate(policy.notices):
            problems, partial = dialect.notice_problems(index)
            if problems:
                self.unsayable[notice.id] = problems
            result.problems.extend(partial)
        self.writer = Writer(dialect)
        missing = [kind for kind, _email in policy.emails.items() if kind not in dialect.kinds]
        if missing:
            result.problems.append(
                ExportProblem(
                    ("emails", missing[0]), f"{', '.join(missing)}: not mails {dialect.name} sends; not exported"
                )
            )
        kinds = sorted({v.kind for v in variants if v.kind in dialect.kinds})
        result.problems.extend(dialect.extra_problems(kinds))
        self.reported: set[str] = set()
        self.fallbacks: dict[str, list[str]] = {}

    def wants(self, kind: str) -> bool:
        return kind in self.dialect.kinds

    def add(self, group: Sequence[CompiledEmail], shared: Shared) -> None:
        dialect, result, unsayable = self.dialect, self.result, self.unsayable
        policy = dialect.policy
        kind, locale = group[0].variant.kind, group[0].variant.locale
        apart = [bool(set(c.variant.notices) & set(unsayable)) for c in group]  # written to files of their own
        chosen = tuple(i for i, alone in enumerate(apart) if not alone)
        stem = dialect.file_stem(kind, locale)
        if chosen:
            merged = shared.merges.get(chosen)
            if merged is None:
                main = [group[i] for i in chosen]
                merged = shared.merges[chosen] = merge(main, notice_markers(policy, locale))
                verify(merged, main, policy)
            result.merged[(kind, locale)] = merged
            _write(result, self.writer, merged, stem, dialect, kind, locale, dialect.kinds[kind])
        for compiled, alone in zip(group, apart, strict=True):
            if not alone:
                continue
            variant = compiled.variant
            fallback = f"{stem}--{variant.name}"
            _write(result, self.writer, single(compiled), fallback, dialect, kind, locale, dialect.kinds[kind])
            for notice_id in dict.fromkeys(n for n in variant.notices if n in unsayable):  # the same order every run
                for problem in unsayable[notice_id]:
                    key = f"{problem.path}{problem.message}"
                    if key not in self.reported:
                        self.reported.add(key)
                        result.problems.append(problem)
                self.fallbacks.setdefault(notice_id, []).append(fallback + dialect.suffixes["html"])

    def finish(self) -> ExportResult:
        dialect, result, policy = self.dialect, self.result, self.dialect.policy
        for name, kinds in sorted(dialect.unavailable.items()):
            result.problems.append(
                ExportProblem(
                    ("export",),
                    f"{name}: {dialect.name} has no field for it; left out of {', '.join(sorted(kinds))}",
                )
            )
        for notice_id, files in self.fallbacks.items():
            index = next(i for i, n in enumerate(policy.notices) if n.id == notice_id)
            result.problems.append(
                ExportProblem(
                    ("notices", index),
                    f"the {len(files)} mails with this notice are written to files of their own ({files[0]}…, "
                    "listed in manifest.json): send them by hand, or give the platform the field",
                )
            )
        return result


def run_export(export: TargetExport, compiled: Sequence[CompiledEmail]) -> ExportResult:
    """``export`` fed every kind and locale of ``compiled``, one group at a time (see CompiledStore)."""
    for (kind, _locale), chosen in groups_of(variants_of(compiled)).items():
        if export.wants(kind):
            export.add([compiled[i] for i in chosen], Shared())
    return export.finish()


def export_conditional(dialect: ConditionalDialect, compiled_by_variant: Sequence[CompiledEmail]) -> ExportResult:
    """Every kind the dialect knows: one merged template per kind and locale, plus fallback files."""
    return run_export(ConditionalExport(dialect, variants_of(compiled_by_variant)), compiled_by_variant)


def _write(
    result: ExportResult,
    writer: Writer,
    merged: Merged,
    stem: str,
    dialect: ConditionalDialect,
    kind: str,
    locale: str,
    slot: str,
) -> None:
    names = tuple(v.name for v in merged.variants)
    for part, suffix in dialect.suffixes.items():
        text = writer.part(merged, part)  # type: ignore[arg-type]
        result.files.append(ExportFile(f"{stem}{suffix}", text.encode("utf-8"), kind, locale, names, slot))
