"""CSS selectors matched against the elements of a parsed document (:class:`~otokui.lint.html.HtmlDoc`).

What email style sheets use is understood: type, universal, ``.class``, ``#id`` and attribute
selectors (``[data-ogsc]``, ``[class~=dark]``, ``[href^="https"]``, ``i`` flag), the descendant,
child (``>``), next-sibling (``+``) and later-sibling (``~``) combinators, and the pseudo-classes
of a mail at rest (``:link``, ``:any-link``, ``:root``, ``:first-child``, ``:last-child``,
``:only-child``, ``:nth-child(…)``, ``:first-of-type``, ``:last-of-type``, ``:not(…)``,
``:is(…)``/``:where(…)``). A selector with a state a reader's mail never rests in (``:hover``,
``:focus``) matches nothing; one with a pseudo-element (``::before``) or anything else is
refused (:func:`compile_selector` returns None), and the caller leaves it out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from otokui.lint.html import Element, HtmlDoc

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comb>[>+~])
  | (?P<id>\#[\w-]+)
  | (?P<cls>\.[\w-]+)
  | (?P<attr>\[\s*(?P<aname>[\w:-]+)\s*
        (?:(?P<op>[~|^$*]?=)\s*(?P<aval>"[^"]*"|'[^']*'|[^\s\]]+)\s*(?P<aflag>[iIsS])?\s*)?\])
  | (?P<pseudo_el>::[\w-]+)
  | (?P<pseudo>:[\w-]+(?:\((?P<arg>(?:[^()]|\([^()]*\))*)\))?)
  | (?P<tag>\*|[a-zA-Z][\w-]*)
    """,
    re.VERBOSE,
)
#: States a mail at rest is never in: a selector needing one matches nothing.
_NEVER = frozenset({"hover", "focus", "active", "focus-within", "focus-visible", "target", "checked", "visited"})

Test = Callable[[Element, "Context"], bool]


@dataclass(frozen=True)
class Compound:
    """One compound selector: the tag, classes and id it needs (for indexing), and every test."""

    tag: str | None
    classes: frozenset[str]
    ident: str | None
    tests: tuple[Test, ...]
    combinator: str  # how it joins the compound to its right: " ", ">", "+", "~" ("" for the last)


@dataclass(frozen=True)
class Selector:
    compounds: tuple[Compound, ...]  # outermost first
    specificity: tuple[int, int, int]  # ids, classes (attributes, pseudo-classes), tags

    @property
    def key(self) -> str:
        """What the element it matches must carry: one of its classes, else its id, else its tag, else ``*``."""
        last = self.compounds[-1]
        return f".{min(last.classes)}" if last.classes else f"#{last.ident}" if last.ident else last.tag or "*"


@dataclass
class Context:
    """What matching needs beyond one element: its document, and children lists worked out once."""

    doc: HtmlDoc
    children: dict[int | None, list[int]] = field(default_factory=dict)
    _ready: bool = False
    _classes: dict[int, frozenset[str]] = field(default_factory=dict)

    def classes(self, element: Element) -> frozenset[str]:
        """The classes of ``element`` (split once per element)."""
        found = self._classes.get(element.index)
        if found is None:
            found = self._classes[element.index] = frozenset((element.get("class") or "").split())
        return found

    def siblings(self, element: Element) -> list[int]:
        if not self._ready:
            for item in self.doc.elements:
                self.children.setdefault(item.parent, []).append(item.index)
            self._ready = True
        return self.children.get(element.parent, [element.index])

    def parent(self, element: Element) -> Element | None:
        return self.doc.elements[element.parent] if element.parent is not None else None


@lru_cache(maxsize=4096)
def compile_selector(text: str) -> Selector | None:
    """The selector ``text`` (one of a comma-separated list), or None when it is not understood."""
    parsed = _parse(text.strip())
    if parsed is None:
        return None
    compounds, specificity = parsed
    return Selector(tuple(compounds), specificity)


def _parse(text: str) -> tuple[list[Compound], tuple[int, int, int]] | None:
    compounds: list[Compound] = []
    ids = classes_count = tags = 0
    tag: str | None = None
    classes: set[str] = set()
    ident: str | None = None
    tests: list[Test] = []
    pending = ""  # the combinator read since the last compound
    started = False
    position = 0

    def close(joiner: str) -> None:
        nonlocal tag, classes, ident, tests, started
        compounds.append(Compound(tag, frozenset(classes), ident, tuple(tests), joiner))
        tag, classes, ident, tests, started = None, set(), None, [], False

    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            return None
        position = match.end()
        kind = match.lastgroup
        if kind == "comb":
            if not started and not compounds:
                return None  # a selector cannot start with a combinator
            pending = match.group()
            continue
        if kind == "space":
            pending = pending or " "
            continue
        if pending and started:
            close(pending)
        pending = ""
        started = True
        if kind == "tag":
            if tag is not None or tests or classes or ident:
                return None
            value = match.group().lower()
            tag = None if value == "*" else value
            tags += value != "*"
        elif kind == "id":
            ident = match.group()[1:]
            ids += 1
        elif kind == "cls":
            classes.add(match.group()[1:])
            classes_count += 1
        elif kind == "attr":
            test = _attribute(match.group("aname"), match.group("op"), match.group("aval"), match.group("aflag"))
            tests.append(test)
            classes_count += 1
        elif kind == "pseudo":
            found = _pseudo(match.group()[1:].split("(", 1)[0].lower(), match.group("arg"))
            if found is None:
                return None
            test, weight = found
            tests.append(test)
            classes_count += weight[1]
            ids += weight[0]
            tags += weight[2]
        else:  # a pseudo-element styles no element's own text
            return None
    if not started or pending.strip():
        return None  # empty, or ending with a combinator
    close("")
    return compounds, (ids, classes_count, tags)


def _attribute(name: str, op: str | None, raw: str | None, flag: str | None) -> Test:
    name = name.lower()
    value = (raw or "").strip("\"'")
    fold = (flag or "").lower() == "i"

    def test(element: Element, context: Context) -> bool:
        if name not in element.attrs:
            return False
        if op is None:
            return True
        actual = element.attrs.get(name) or ""
        wanted = value
        if fold:
            actual, wanted = actual.lower(), wanted.lower()
        if op == "=":
            return actual == wanted
        if op == "~=":
            return wanted in actual.split()
        if op == "|=":
            return actual == wanted or actual.startswith(wanted + "-")
        if op == "^=":
            return bool(wanted) and actual.startswith(wanted)
        if op == "$=":
            return bool(wanted) and actual.endswith(wanted)
        return bool(wanted) and wanted in actual  # *=

    return test


def _nth(argument: str) -> Callable[[int], bool] | None:
    text = argument.replace(" ", "").lower()
    if text == "odd":
        text = "2n+1"
    elif text == "even":
        text = "2n"
    match = re.fullmatch(r"([+-]?\d*)n([+-]\d+)?|([+-]?\d+)", text)
    if match is None:
        return None
    if match.group(3) is not None:
        exact = int(match.group(3))
        return lambda k: k == exact
    step_text = match.group(1)
    step = -1 if step_text == "-" else 1 if step_text in ("", "+") else int(step_text)
    offset = int(match.group(2) or 0)
    if step == 0:
        return lambda k: k == offset
    return lambda k: (k - offset) % step == 0 and (k - offset) // step >= 0


def _pseudo(name: str, argument: str | None) -> tuple[Test, tuple[int, int, int]] | None:
    """A pseudo-class as a test and its specificity, or None when it is not understood."""
    if name in _NEVER:
        return (lambda element, context: False), (0, 1, 0)
    if name in ("link", "any-link"):
        return (lambda element, context: element.tag in ("a", "area") and element.has("href")), (0, 1, 0)
    if name == "root":
        return (lambda element, context: element.tag == "html"), (0, 1, 0)
    if name in ("first-child", "last-child", "only-child", "first-of-type", "last-of-type"):

        def position(element: Element, context: Context) -> bool:
            siblings = context.siblings(element)
            if name.endswith("of-type"):
                siblings = [i for i in siblings if context.doc.elements[i].tag == element.tag]
            if name.startswith("first"):
                return siblings[0] == element.index
            if name.startswith("last"):
                return siblings[-1] == element.index
            return len(siblings) == 1

        return position, (0, 1, 0)
    if name in ("nth-child", "nth-last-child") and argument:
        formula = _nth(argument)
        if formula is None:
            return None

        def nth(element: Element, context: Context) -> bool:
            siblings = context.siblings(element)
            place = siblings.index(element.index)
            k = place + 1 if name == "nth-child" else len(siblings) - place
            return formula(k)

        return nth, (0, 1, 0)
    if name in ("not", "is", "where", "matches") and argument:
        inner = [compile_selector(part) for part in split_list(argument)]
        if any(sel is None or len(sel.compounds) != 1 for sel in inner):
            return None
        options = [sel for sel in inner if sel is not None]
        weight = max((sel.specificity for sel in options), default=(0, 0, 0)) if name != "where" else (0, 0, 0)
        if name == "not":
            return (lambda element, context: not any(fits(element, s.compounds[0], context) for s in options)), weight
        return (lambda element, context: any(fits(element, s.compounds[0], context) for s in options)), weight
    return None


def split_list(text: str) -> list[str]:
    """``text`` split at its top-level commas."""
    parts: list[str] = []
    depth = 0
    current = ""
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def fits(element: Element, compound: Compound, context: Context) -> bool:
    """Whether ``element`` itself meets ``compound`` (combinators aside)."""
    if compound.tag is not None and element.tag != compound.tag:
        return False
    if compound.ident is not None and element.get("id") != compound.ident:
        return False
    if compound.classes and not compound.classes <= context.classes(element):
        return False
    return all(test(element, context) for test in compound.tests)


def matches(element: Element, selector: Selector, context: Context) -> bool:
    """Whether ``selector`` matches ``element`` in its document."""
    compounds = selector.compounds
    if not fits(element, compounds[-1], context):
        return False
    return _left(element, compounds, len(compounds) - 1, context)


def matches_around(element: Element, selector: Selector, context: Context) -> bool:
    """Whether the compounds of ``selector`` left of its last match around ``element`` (which meets the last)."""
    compounds = selector.compounds
    return _left(element, compounds, len(compounds) - 1, context)


def _left(element: Element, compounds: Sequence[Compound], k: int, context: Context) -> bool:
    """Whether the compounds left of ``k`` match around ``element`` (which matched compound ``k``)."""
    if k == 0:
        return True
    compound = compounds[k - 1]
    joiner = compound.combinator
    if joiner in (" ", ">"):
        parent = context.parent(element)
        while parent is not None:
            if fits(parent, compound, context) and _left(parent, compounds, k - 1, context):
                return True
            if joiner == ">":
                return False
            parent = context.parent(parent)
        return False
    siblings = context.siblings(element)
    place = siblings.index(element.index)
    before = siblings[:place]
    candidates = before[-1:] if joiner == "+" else list(reversed(before))
    for index in candidates:
        sibling = context.doc.elements[index]
        if fits(sibling, compound, context) and _left(sibling, compounds, k - 1, context):
            return True
    return False
