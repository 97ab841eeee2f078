"""What a rule is, and what it sees: each output with its context, the whole project, the policy.

A rule is a class with an ``id`` (``OT301``), a ``name`` (``first-tier-presumes-patronage``),
a default ``level``, typed ``options`` (their defaults), and up to three checks:

- :meth:`Rule.check` sees one HTML output at a time (an email, a page, a snippet),
  with its :class:`~otokui.artifacts.Context`;
- :meth:`Rule.check_batch` sees every output at once, for rules that compare
  outputs (two tiers with the same message, a notice missing from its snippet):
  not the parsed documents (each is dropped once its own checks have run, often
  in another process), but the :class:`Summary` each output leaves behind: its
  context, visible text, links, and the plain text of text parts;
- :meth:`Rule.check_policy` sees the policy itself and reports against rules.yaml.

Each yields :class:`~otokui.lint.finding.Hit` values; the engine stamps the
rule id and the configured level. The class docstring is the rule's
documentation, with the sections ``What it does``, ``Why`` and ``Example``
(a ``Fail`` and a ``Pass`` case), and ``Options`` when it has any.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar, Literal, Protocol

from otokui.artifacts import Artifact, Context, Written
from otokui.lint.finding import Hit, Level
from otokui.lint.html import DISABLE_ATTR, HtmlDoc
from otokui.lint.phrases import PhraseBook, PhraseMatch

if TYPE_CHECKING:
    from otokui.lint.config import LintConfig
    from otokui.policy.model import Policy, Tier

OptionValue = bool | int | float | str | tuple[str, ...]
#: The switch attribute in any case, in a source's text or bytes.
_SWITCH = re.compile(re.escape(DISABLE_ATTR), re.IGNORECASE)
_SWITCH_BYTES = re.compile(re.escape(DISABLE_ATTR).encode("ascii"), re.IGNORECASE)
DefaultLevel = Level | Literal["off"]


class Options(Mapping[str, OptionValue]):
    """A rule's options: its defaults, overridden by ``checks.rules.<id>.options``."""

    def __init__(self, values: Mapping[str, OptionValue]) -> None:
        self._values = dict(values)

    def __getitem__(self, key: str) -> OptionValue:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def number(self, key: str) -> float:
        value = self._values[key]
        assert isinstance(value, int | float) and not isinstance(value, bool), key
        return float(value)

    def strings(self, key: str) -> tuple[str, ...]:
        value = self._values[key]
        assert isinstance(value, tuple), key
        return value

    def flag(self, key: str) -> bool:
        return bool(self._values[key])


class _HasContext(Protocol):
    @property
    def context(self) -> Context | None: ...


class InContext:
    """Where an output belongs (surface, locale, kind, tier), read from its context: for outputs and summaries."""

    @property
    def surface(self: _HasContext) -> str | None:
        return self.context.surface if self.context else None

    @property
    def locale(self: _HasContext) -> str | None:
        return self.context.locale if self.context else None

    @property
    def kind(self: _HasContext) -> str | None:
        return self.context.kind if self.context else None

    @property
    def tier(self: _HasContext) -> str | None:
        return self.context.tier if self.context else None


class Output(InContext):
    """One output file as a rule sees it."""

    def __init__(self, artifact: Artifact, batch: Batch) -> None:
        self.artifact = artifact
        self.batch = batch

    @property
    def path(self) -> str:
        return self.artifact.path

    @property
    def context(self) -> Context | None:
        return self.artifact.context

    @property
    def category(self) -> str | None:
        return self.context.category if self.context else None

    @property
    def disclosure(self) -> str | None:
        if self.context and self.context.disclosure:
            return self.context.disclosure
        policy = self.batch.policy
        return policy.membership.disclosure.mode if policy else None

    @property
    def is_html(self) -> bool:
        return self.artifact.media_type == "text/html" or self.path.endswith((".html", ".htm"))

    @cached_property
    def source(self) -> str:
        """The readable text the checker reports positions in."""
        if self.artifact.source is not None:
            return self.artifact.source
        return self.artifact.data.decode("utf-8", errors="replace")

    @cached_property
    def doc(self) -> HtmlDoc:
        return HtmlDoc(self.source if self.is_html else "")

    @cached_property
    def features(self) -> dict[str, int]:
        """The caniemail features this output uses (slug → offset of the first use), found once for all rules."""
        from otokui.lint.caniemail import used_features

        return used_features(self.doc)

    @property
    def text(self) -> str:
        """The visible text (see :mod:`otokui.lint.html`)."""
        return self.doc.text.text

    def phrases(self, name: str) -> list[PhraseMatch]:
        """Matches of phrase list ``name`` (in this output's locale) in the visible text."""
        return self.batch.phrasebook.search(name, self.locale, self.text)

    def at(self, index: int) -> int:
        """The source offset of character ``index`` of the visible text."""
        return self.doc.text.offset(index)

    def start(self) -> int:
        """Offset for problems about the whole document: the ``<html>`` tag, else 0."""
        element = self.doc.first("html")
        return element.start if element else 0

    def position(self, offset: int) -> tuple[int, int]:
        if self.is_html:
            return self.doc.position(offset)
        before = self.source[:offset]
        return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1

    @property
    def links(self) -> list[tuple[str, int]]:
        """``(href, offset)`` of every ``<a>`` with an ``href``, in document order."""
        return [(a.get("href") or "", a.start) for a in self.doc.find("a") if a.has("href")]

    def _has_switch(self) -> bool:
        """Whether the source names ``data-otokui-disable`` anywhere (read without parsing it)."""
        if self.artifact.source is not None:
            return _SWITCH.search(self.artifact.source) is not None
        return _SWITCH_BYTES.search(self.artifact.data) is not None  # no lowered copy of a large file

    def _kept(self) -> str | bytes:
        """The source as a summary keeps it: the artifact's own bytes where it has no text (no copy)."""
        return self.artifact.source if self.artifact.source is not None else self.artifact.data

    @property
    def exported(self) -> bool:
        """Whether this output is a template exported for a platform (``export/…``)."""
        return self.surface == "export" or self.path.startswith("export/")

    @property
    def is_text_part(self) -> bool:
        """Whether this output is a plain-text file (an email's text part, an exported text template)."""
        return not self.is_html and (self.artifact.media_type == "text/plain" or self.path.endswith(".txt"))

    def summary(self, rules: Iterable[Rule] = ()) -> Summary:
        """What this output leaves behind for the batch rules ``rules`` once it is dropped.

        Its whole source is kept only when one of them reads it (:meth:`Rule.reads_source`).
        """
        rules = tuple(rules)
        kept = self._kept() if any(rule.reads_source(self) for rule in rules) else ""
        if not self.is_html:
            return Summary(self.artifact.path, self.context, False, kept)
        if self.exported and not self._has_switch():
            # Only the source of an exported template is compared (OT1105, at its own offsets); without
            # a switch in it, there is nothing the parsed document would add.
            return Summary(self.artifact.path, self.context, True, kept)
        links = self.links
        start = self.start()
        where = {start, *(offset for _, offset in links)}
        ids = tuple(rule.id for rule in rules)
        switches = {o: frozenset(r for r in ids if self.doc.disabled(r, o)) for o in where}
        return Summary(
            self.artifact.path,
            self.context,
            True,
            kept,
            self.text,
            start,
            tuple(links),
            {o: self.doc.position(o) for o in where},
            {o: ids for o, ids in switches.items() if ids},
        )


@dataclass(frozen=True)
class Summary(InContext):
    """What one output leaves for the rules that compare outputs, once its parsed document is dropped.

    Small and picklable (render workers send it back): the context, the visible
    text, the links, the whole text of a plain-text part, and the line, column
    and ``data-otokui-disable`` switches at the offsets batch rules report
    (the document start and each link).
    """

    path: str
    context: Context | None
    is_html: bool
    # plain-text parts and exported templates only (bytes: UTF-8, read as :attr:`source`; a build's
    # exported templates keep the record of their written file, read back when they are compared)
    kept: str | bytes | Written = ""
    text: str = ""  # the visible text of an HTML output
    start_offset: int = 0
    links: tuple[tuple[str, int], ...] = ()
    positions: dict[int, tuple[int, int]] = field(default_factory=dict)
    switches: dict[int, frozenset[str]] = field(default_factory=dict)

    @property
    def source(self) -> str:
        """The whole text of a plain-text part or an exported template (empty for other outputs)."""
        kept = self.kept
        if isinstance(kept, Written):
            kept = kept.data
        return kept.decode("utf-8", errors="replace") if isinstance(kept, bytes) else kept

    def start(self) -> int:
        return self.start_offset

    def position(self, offset: int) -> tuple[int, int]:
        if not self.is_html or (self.kept and offset not in self.positions):
            before = self.source[:offset]
            return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1
        return self.positions.get(offset, (1, 1))

    def disabled(self, rule_id: str, offset: int) -> bool:
        return rule_id in self.switches.get(offset, ())


class Batch:
    """Every output of one check (as summaries), the policy (if any), and the configuration."""

    def __init__(self, summaries: Iterable[Summary], policy: Policy | None, config: LintConfig) -> None:
        self.policy = policy
        self.config = config
        self.outputs = list(summaries)
        self.by_path = {output.path: output for output in self.outputs}

    @cached_property
    def phrasebook(self) -> PhraseBook:
        """The phrase lists, read on first use (a build whose outputs were all checked before needs none)."""
        return PhraseBook(self.config.phrases)

    def html(self, surface: str | None = None, kind: str | None = None) -> list[Summary]:
        return [
            o
            for o in self.outputs
            if o.is_html and (surface is None or o.surface == surface) and (kind is None or o.kind == kind)
        ]

    def tier(self, tier_id: str | None) -> Tier | None:
        if self.policy is None or tier_id is None:
            return None
        return next((t for t in self.policy.wording.purchase_count_tiers if t.id == tier_id), None)

    def is_first_tier(self, tier_id: str | None) -> bool:
        """Whether ``tier_id`` is a first-purchase tier (by the policy, else by the name ``first``)."""
        if tier_id is None:
            return False
        tier = self.tier(tier_id)
        return tier.min_orders <= 1 if tier is not None else tier_id == "first"

    def is_repeat_tier(self, tier_id: str | None) -> bool:
        if tier_id is None:
            return False
        tier = self.tier(tier_id)
        return tier.min_orders > 1 if tier is not None else tier_id != "first"


class Rule:
    """Base class of every rule; see the module documentation."""

    id: ClassVar[str]
    name: ClassVar[str]
    level: ClassVar[DefaultLevel] = "error"
    options: ClassVar[dict[str, OptionValue]] = {}
    #: The values an option (or each item of a list option) may take; options not named here are free.
    choices: ClassVar[dict[str, tuple[str, ...]]] = {}
    # Which HTML outputs :meth:`check` sees; the engine filters, the rule does not.
    #: Surfaces (``email``, ``page``, ``snippet``).
    surfaces: ClassVar[tuple[str, ...]] = ("email", "page", "snippet")
    #: Output kinds (email kinds, page kinds); empty for every kind.
    kinds: ClassVar[tuple[str, ...]] = ()
    #: Email categories (``transactional``, ``relationship``, ``marketing``); empty for any.
    categories: ClassVar[tuple[str, ...]] = ()
    #: Disclosure modes (``published``, ``surprise``, ``hybrid``); empty for any.
    disclosures: ClassVar[tuple[str, ...]] = ()
    #: Purchase-count tiers: ``first`` (a first-purchase tier), ``repeat`` (any later one); empty for any.
    tiers: ClassVar[tuple[Literal["first", "repeat"], ...]] = ()
    #: Whether :meth:`check` needs the policy (outputs checked without one are skipped).
    needs_policy: ClassVar[bool] = False
    #: Whether :meth:`check` needs the output's locale.
    needs_locale: ClassVar[bool] = False

    @classmethod
    def summary(cls) -> str:
        return (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""

    @property
    def guideline(self) -> int:
        """The guideline number: ``OT301`` → 3, ``OT1302`` → 13."""
        return int(self.id[2:-2])

    def runs_on(self, output: Output, options: Options) -> bool:
        """Whether :meth:`check` runs on ``output``: the declared filters, then :meth:`applies`."""
        return (
            output.is_html
            and output.surface in self.surfaces
            and (not self.kinds or output.kind in self.kinds)
            and (not self.categories or output.category in self.categories)
            and (not self.disclosures or output.disclosure in self.disclosures)
            and (not self.tiers or self._in_tiers(output))
            and (not self.needs_policy or output.batch.policy is not None)
            and (not self.needs_locale or bool(output.locale))
            and self.applies(output, options)
        )

    def _in_tiers(self, output: Output) -> bool:
        batch = output.batch
        return ("first" in self.tiers and batch.is_first_tier(output.tier)) or (
            "repeat" in self.tiers and batch.is_repeat_tier(output.tier)
        )

    def applies(self, output: Output, options: Options) -> bool:
        """What the declared filters cannot say (an option, a policy setting); override only for that."""
        return True

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        return ()

    def check_batch(self, batch: Batch, options: Options) -> Iterable[Hit]:
        return ()

    def reads_source(self, output: Output) -> bool:
        """Whether :meth:`check_batch` reads ``output``'s whole source: its summary then keeps it."""
        return False

    def check_policy(self, policy: Policy, options: Options) -> Iterable[Hit]:
        return ()
