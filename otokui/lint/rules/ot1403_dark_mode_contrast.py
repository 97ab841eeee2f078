"""Text stands out from its background in the email's own dark scheme too.

## What it does
When an email has its own dark scheme (`@media (prefers-color-scheme: dark)`
in a `<style>` element, as Apple Mail and iOS Mail apply it), works out each
visible text's colour and background in that scheme: the rules of the dark
block and the style sheet's plain rules (which apply in either scheme) that
match the element or an ancestor, by the cascade (`!important`, specificity,
order; an inline style wins over a rule that is not `!important`), else the
inline colour. Selectors are read as a browser does (`otokui/lint/selectors.py`):
classes, ids, attributes (`[data-ogsc]`, `a[href^="https"]`), the descendant,
child (`>`) and sibling (`+`, `~`) combinators and the pseudo-classes of a mail
at rest (`:first-child`, `:not(…)`…; `:hover` never applies). Text below `min_ratio` (large text `min_ratio_large`)
is reported once per element. A dark background with the light scheme's dark
text left on it, or a button recoloured to 1.7:1, is what this finds.

## Why
Guideline 14: a reader who switches their phone to dark mode gets the dark
scheme the email asked for; if it forgets the text, they get dark grey on
black.

## Options
- `min_ratio` (default `4.5`), `min_ratio_large` (default `3.0`).

## Example
Fail:
```html
<style>@media (prefers-color-scheme: dark) { .surface { background-color: #222222 !important; } }</style>
<div class="surface" style="background-color:#ffffff"><p style="color:#2b2b2b">ご注文ありがとうございます。</p></div>
```
Pass:
```html
<style>@media (prefers-color-scheme: dark) { .surface { background-color: #222222 !important; }
  .surface p { color: #eeeeee !important; } }</style>
<div class="surface" style="background-color:#ffffff"><p style="color:#2b2b2b">ご注文ありがとうございます。</p></div>
```
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import ClassVar, Literal

from otokui import color
from otokui.lint.css import dark_scheme_rules, style_map
from otokui.lint.finding import Hit
from otokui.lint.html import Element, HtmlDoc, displays_none
from otokui.lint.rule import Options, OptionValue, Output, Rule
from otokui.lint.selectors import Context, Selector, compile_selector, fits, matches_around

_SIZE = re.compile(r"([\d.]+)\s*(px|pt)", re.IGNORECASE)
_BOLD_TAGS = ("b", "strong", "h1", "h2", "h3", "h4", "h5", "h6", "th")


class DarkModeContrast(Rule):
    __doc__ = __doc__
    id = "OT1403"
    name = "dark-mode-contrast"
    level = "error"
    surfaces = ("email",)
    options: ClassVar[dict[str, OptionValue]] = {"min_ratio": 4.5, "min_ratio_large": 3.0}

    def applies(self, output: Output, options: Options) -> bool:
        return any("prefers-color-scheme" in block.css for block in output.doc.styles)

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        doc = output.doc
        index = _sheets(tuple(block.css for block in doc.styles))
        if index is None:
            return
        scheme = _Scheme(doc, index)
        seen: set[int] = set()
        decided = index.decided if index.by_chain else None
        for run in doc.runs:
            if not run.visible or run.element is None or run.element in seen or not run.text.strip():
                continue
            element = doc.elements[run.element]
            if decided is not None:
                chain = doc.chain(element)
                found = decided.get(chain)
                if found is None:
                    if len(decided) >= 50_000:
                        decided.clear()
                    found = decided[chain] = scheme.decide(element)
            else:
                found = scheme.decide(element)
            hidden, foreground, background = found
            if hidden:
                continue
            if foreground is False or background is False or background is None:
                continue  # no dark background of its own: the client decides, OT1402 covers the light scheme
            text = foreground or (0.0, 0.0, 0.0)
            ratio = color.contrast(text, background)
            needed = options.number("min_ratio")
            if ratio < needed and _large([element, *doc.ancestors(element)]):
                needed = options.number("min_ratio_large")
            if ratio < needed:
                seen.add(run.element)
                yield Hit(
                    f"in dark mode, text contrast {ratio:.2f}:1 ({color.hex_of(text)} on {color.hex_of(background)})"
                    f" is below {needed:g}:1",
                    "Give the text a light colour in the @media (prefers-color-scheme: dark) block.",
                    run.offsets[len(run.text) - len(run.text.lstrip())],
                )


_COLOR = ("color",)
_BACKGROUND = ("background-color", "background")
Found = color.RGB | Literal[False] | None  # a colour; None: none set; False: one that cannot be judged


@dataclass(frozen=True)
class _Declared:
    selector: Selector
    name: str
    value: str
    important: bool
    order: int
    above: frozenset[str] | None = None  # the one class-only ancestor it asks for (see _class_ancestor)
    #: Classes the element's ancestors must carry between them, when every compound left of the last
    #: is an ancestor (descendant and child combinators only): a cheap test that rules most elements out.
    needs: frozenset[str] = frozenset()

    @cached_property
    def rank(self) -> tuple[int, int, int, int]:
        """What the cascade compares first: ``!important``, then the selector's specificity."""
        return (int(self.important), *self.selector.specificity)


@lru_cache(maxsize=64)
def _compile(css: str) -> tuple[_Declared, ...]:
    """The colour declarations that apply in the dark scheme of ``css`` (its own dark rules and the
    rules outside any at-rule), with their selectors compiled, once per sheet."""
    out: list[_Declared] = []
    order = 0
    for rule in dark_scheme_rules(css, with_plain=True):
        selectors = [sel for sel in (compile_selector(text) for text in rule.selectors) if sel is not None]
        for declaration in rule.declarations:
            order += 1
            if declaration.name in ("color", "background-color", "background"):
                for selector in selectors:
                    out.append(
                        _Declared(
                            selector,
                            declaration.name,
                            declaration.value,
                            declaration.important,
                            order,
                            _class_ancestor(selector),
                            _ancestor_classes(selector),
                        )
                    )
    return tuple(out)


class _Index:
    """A document's colour declarations, by the property they set (the first of the properties asked
    for), then by what the last compound needs: one of its classes, else its id, else its tag."""

    def __init__(self, declared: list[_Declared]) -> None:
        self.by_property: dict[str, dict[str, list[_Declared]]] = {_COLOR[0]: {}, _BACKGROUND[0]: {}}
        for item in declared:
            for properties in (_COLOR, _BACKGROUND):
                if item.name in properties:
                    self.by_property[properties[0]].setdefault(item.selector.key, []).append(item)
        #: Whether every selector reads only tags, classes and ids of the element and its ancestors (no
        #: sibling, position or attribute test): then what an element gets follows from its chain.
        self.by_chain = all(_reads_ancestors_only(item.selector) for item in declared)
        #: :meth:`_Scheme.decide` by :meth:`~otokui.lint.html.HtmlDoc.chain`, for every document.
        self.decided: dict[int, tuple[bool, Found, Found]] = {}


@lru_cache(maxsize=64)
def _sheets(sheets: tuple[str, ...]) -> _Index | None:
    """The colour declarations of a document's style sheets, indexed (None if there are none): once
    per distinct set of sheets, which the emails of one build share."""
    declared = [item for css in sheets for item in _compile(css)]
    return _Index(declared) if declared else None


def _reads_ancestors_only(selector: Selector) -> bool:
    """Whether ``selector`` tests nothing but tags, classes and ids of the element and its ancestors."""
    return all(not c.tests and c.combinator in ("", " ", ">") for c in selector.compounds)


class _Scheme:
    """The dark scheme's colours for elements: matching rules first, then inline styles."""

    def __init__(self, doc: HtmlDoc, index: _Index) -> None:
        self.doc = doc
        self.context = Context(doc)
        self.memo: dict[str, dict[int, Found]] = {_COLOR[0]: {}, _BACKGROUND[0]: {}}
        self.classes_above: dict[int, frozenset[str]] = {}
        self.display_none: dict[int, bool] = {}
        self.index = index

    def decide(self, element: Element) -> tuple[bool, Found, Found]:
        """Whether ``element`` is hidden, and its text and background colours in the dark scheme."""
        return self.hidden(element), self.nearest(element, _COLOR), self.nearest(element, _BACKGROUND)

    def hidden(self, element: Element) -> bool:
        """Whether ``element`` or an ancestor has ``display: none`` inline (remembered per element)."""
        climbed: list[Element] = []
        current: Element | None = element
        found = False
        while current is not None:
            known = self.display_none.get(current.index)
            if known is not None:
                found = known
                break
            if displays_none(current.get("style")):
                found = True
                climbed.append(current)
                break
            climbed.append(current)
            current = self.doc.elements[current.parent] if current.parent is not None else None
        for item in climbed:
            self.display_none[item.index] = found
        return found

    def nearest(self, element: Element, properties: tuple[str, ...]) -> Found:
        """The nearest colour set on ``element`` or an ancestor (None if none, False if it cannot be
        judged), remembered per element."""
        memo = self.memo[properties[0]]
        climbed: list[int] = []
        current: Element | None = element
        found: Found = None
        elements = self.doc.elements
        while current is not None:
            index = current.index
            if index in memo:
                found = memo[index]
                break
            climbed.append(index)
            found = self._own(current, properties)
            if found is not None:
                break
            current = elements[current.parent] if current.parent is not None else None
        for index in climbed:
            memo[index] = found
        return found

    def _classes_above(self, element: Element) -> frozenset[str]:
        """Every class of every ancestor of ``element`` (remembered per element)."""
        key = -1 - element.index
        found = self.classes_above.get(key)
        if found is None:
            parent = self.doc.elements[element.parent] if element.parent is not None else None
            found = (
                self._classes_above(parent) | frozenset((parent.get("class") or "").split())
                if parent is not None
                else frozenset()
            )
            self.classes_above[key] = found
        return found

    def _own(self, element: Element, properties: tuple[str, ...]) -> Found:
        best: _Declared | None = None
        index = self.index.by_property[properties[0]]
        context = self.context
        above: frozenset[str] | None = None  # the classes of the element's ancestors, once a selector asks
        for key in _keys(element.tag, element.get("class"), element.get("id")):
            for item in index.get(key, ()):
                selector = item.selector
                if not fits(element, selector.compounds[-1], context):
                    continue
                if len(selector.compounds) > 1:
                    if above is None:
                        above = self._classes_above(element)
                    if item.above is not None:  # ".surface td", the commonest: one class-only ancestor
                        if not item.above <= above:
                            continue
                    elif not item.needs <= above or not matches_around(element, selector, context):
                        continue
                if best is None or (item.rank, item.order) >= (best.rank, best.order):
                    best = item
        inline = style_map(element.get("style") or "")
        inline_value = next((inline[p] for p in properties if p in inline), None)
        if element.tag == "font" and properties[0] == "color" and inline_value is None:
            inline_value = element.get("color")
        if properties[0] != "color" and inline_value is None:
            inline_value = element.get("bgcolor")
        value = best.value if best is not None and (best.important or inline_value is None) else inline_value
        if value is None:
            return None
        if value.strip().lower() in ("transparent", "inherit", "initial", "unset", "currentcolor", "none"):
            return None
        parsed = color.parse(value)
        if parsed is None:
            return False if ("url(" in value or "gradient" in value or properties[0] == "color") else None
        return parsed


@lru_cache(maxsize=4096)
def _keys(tag: str, classes: str | None, ident: str | None) -> tuple[str, ...]:
    """The index keys an element may match: its tag, ``*``, each class, its id."""
    keys = [tag, "*", *(f".{c}" for c in (classes or "").split())]
    if ident:
        keys.append(f"#{ident}")
    return tuple(keys)


@lru_cache(maxsize=4096)
def _class_ancestor(selector: Selector) -> frozenset[str] | None:
    """The classes of the one ancestor ``selector`` asks for, when that is all it asks (".surface td")."""
    compounds = selector.compounds
    if len(compounds) != 2 or compounds[0].combinator != " ":
        return None
    first = compounds[0]
    return first.classes if first.classes and not (first.tag or first.ident or first.tests) else None


@lru_cache(maxsize=4096)
def _ancestor_classes(selector: Selector) -> frozenset[str]:
    """The classes the compounds left of the last ask for, when each of them is an ancestor (else none)."""
    left = selector.compounds[:-1]
    if any(compound.combinator not in (" ", ">") for compound in left):
        return frozenset()
    return frozenset().union(*(compound.classes for compound in left))


def _large(chain: list[Element]) -> bool:
    size: float | None = None
    bold = False
    for element in chain:
        styles = style_map(element.get("style") or "")
        if size is None and (found := _SIZE.search(styles.get("font-size", ""))):
            size = float(found.group(1)) * (4 / 3 if found.group(2).lower() == "pt" else 1)
        weight = styles.get("font-weight", "")
        if weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 700) or element.tag in _BOLD_TAGS:
            bold = True
    return size is not None and (size >= 24 or (size >= 18.66 and bold))
