"""Text stands out from its background in the email's own dark scheme too.

## What it does
When an email has its own dark scheme (`@media (prefers-color-scheme: dark)`
in a `<style>` element, as Apple Mail and iOS Mail apply it), works out each
visible text's colour and background in that scheme: a dark rule that matches
the element or an ancestor (simple selectors: tag, `.class`, `#id` and
descendants of them; `!important` where an inline style would otherwise win),
else the inline colour. Text below `min_ratio` (large text `min_ratio_large`)
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
from functools import lru_cache
from typing import ClassVar, Literal

from otokui import color
from otokui.lint.css import dark_scheme_rules, style_map
from otokui.lint.finding import Hit
from otokui.lint.html import DISPLAY_NONE, Element, HtmlDoc
from otokui.lint.rule import Options, OptionValue, Output, Rule

_COMPOUND = re.compile(r"^(?P<tag>[a-zA-Z][\w-]*|\*)?(?P<rest>(?:[.#][\w-]+)*)$")
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
        declared = tuple(item for block in doc.styles for item in _compile(block.css))
        if not declared:
            return
        scheme = _Scheme(doc, declared)
        seen: set[int] = set()
        for run in doc.runs:
            if not run.visible or run.element is None or run.element in seen or not run.text.strip():
                continue
            element = doc.elements[run.element]
            chain = [element, *doc.ancestors(element)]
            if any(DISPLAY_NONE.search(e.get("style") or "") for e in chain):
                continue
            foreground = scheme.nearest(chain, ("color",))
            background = scheme.nearest(chain, ("background-color", "background"))
            if foreground is False or background is False or background is None:
                continue  # no dark background of its own: the client decides, OT1402 covers the light scheme
            text = foreground or (0.0, 0.0, 0.0)
            ratio = color.contrast(text, background)
            needed = options.number("min_ratio")
            if ratio < needed and _large(chain):
                needed = options.number("min_ratio_large")
            if ratio < needed:
                seen.add(run.element)
                yield Hit(
                    f"in dark mode, text contrast {ratio:.2f}:1 ({color.hex_of(text)} on {color.hex_of(background)})"
                    f" is below {needed:g}:1",
                    "Give the text a light colour in the @media (prefers-color-scheme: dark) block.",
                    run.offsets[len(run.text) - len(run.text.lstrip())],
                )


Compound = tuple[str | None, frozenset[str], str | None]  # tag, classes, id


@dataclass(frozen=True)
class _Selector:
    compounds: tuple[Compound, ...]  # outermost first
    specificity: tuple[int, int, int]  # ids, classes, tags


@dataclass(frozen=True)
class _Declared:
    selector: _Selector
    name: str
    value: str
    important: bool
    order: int


@lru_cache(maxsize=64)
def _compile(css: str) -> tuple[_Declared, ...]:
    """The colour declarations of the dark scheme in ``css``, with their selectors compiled (once per sheet)."""
    out: list[_Declared] = []
    order = 0
    for rule in dark_scheme_rules(css):
        selectors = [sel for sel in (_selector(text) for text in rule.selectors) if sel is not None]
        for declaration in rule.declarations:
            order += 1
            if declaration.name in ("color", "background-color", "background"):
                for selector in selectors:
                    out.append(_Declared(selector, declaration.name, declaration.value, declaration.important, order))
    return tuple(out)


def _selector(text: str) -> _Selector | None:
    """A selector of tags, classes, ids and descendant combinators; None for anything else."""
    compounds: list[Compound] = []
    for part in text.split():
        match = _COMPOUND.match(part)
        if match is None or not part:
            return None
        tag = match.group("tag")
        items = re.findall(r"[.#][\w-]+", match.group("rest"))
        ids = [item[1:] for item in items if item[0] == "#"]
        compounds.append(
            (
                tag.lower() if tag and tag != "*" else None,
                frozenset(i[1:] for i in items if i[0] == "."),
                ids[0] if ids else None,
            )
        )
    if not compounds:
        return None
    specificity = (
        sum(1 for c in compounds if c[2]),
        sum(len(c[1]) for c in compounds),
        sum(1 for c in compounds if c[0]),
    )
    return _Selector(tuple(compounds), specificity)


def _fits(element: Element, compound: Compound) -> bool:
    tag, classes, ident = compound
    if tag is not None and element.tag != tag:
        return False
    if ident is not None and element.get("id") != ident:
        return False
    return not classes or classes <= set((element.get("class") or "").split())


class _Scheme:
    """The dark scheme's colours for elements: matching rules first, then inline styles."""

    def __init__(self, doc: HtmlDoc, declared: tuple[_Declared, ...]) -> None:
        self.doc = doc
        self.memo: dict[tuple[int, str], color.RGB | Literal[False] | None] = {}
        self.ancestors: dict[int, list[Element]] = {}
        self.classes_above: dict[int, frozenset[str]] = {}
        # Indexed by what the last compound needs: one of its classes, else its id, else its tag.
        self.index: dict[str, list[_Declared]] = {}
        for item in declared:
            tag, classes, ident = item.selector.compounds[-1]
            key = f".{min(classes)}" if classes else f"#{ident}" if ident else tag or "*"
            self.index.setdefault(key, []).append(item)

    def nearest(self, chain: list[Element], properties: tuple[str, ...]) -> color.RGB | Literal[False] | None:
        """The nearest colour set on ``chain`` (None if none, False if it cannot be judged)."""
        for element in chain:
            found = self.own(element, properties)
            if found is not None:
                return found
        return None

    def own(self, element: Element, properties: tuple[str, ...]) -> color.RGB | Literal[False] | None:
        key = (element.index, properties[0])
        if key not in self.memo:
            self.memo[key] = self._own(element, properties)
        return self.memo[key]

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

    def _matches(self, element: Element, selector: _Selector) -> bool:
        *outer, last = selector.compounds
        if not _fits(element, last):
            return False
        if not outer:
            return True
        if len(outer) == 1 and outer[0][0] is None and outer[0][2] is None:  # ".surface td": one class-only ancestor
            return outer[0][1] <= self._classes_above(element)
        ancestors = self.ancestors.get(element.index)
        if ancestors is None:
            ancestors = self.ancestors[element.index] = self.doc.ancestors(element)
        index = 0
        for compound in reversed(outer):
            while index < len(ancestors) and not _fits(ancestors[index], compound):
                index += 1
            if index == len(ancestors):
                return False
            index += 1
        return True

    def _own(self, element: Element, properties: tuple[str, ...]) -> color.RGB | Literal[False] | None:
        best: tuple[tuple[int, int, int, int], int, str] | None = None
        keys = [element.tag, "*", *(f".{c}" for c in (element.get("class") or "").split())]
        if element.get("id"):
            keys.append(f"#{element.get('id')}")
        for item in (item for key in keys for item in self.index.get(key, ())):
            if item.name not in properties or not self._matches(element, item.selector):
                continue
            rank = (int(item.important), *item.selector.specificity)
            if best is None or (rank, item.order) >= (best[0], best[1]):
                best = (rank, item.order, item.value)
        inline = style_map(element.get("style") or "")
        inline_value = next((inline[p] for p in properties if p in inline), None)
        if element.tag == "font" and properties[0] == "color" and inline_value is None:
            inline_value = element.get("color")
        if properties[0] != "color" and inline_value is None:
            inline_value = element.get("bgcolor")
        value = best[2] if best is not None and (best[0][0] or inline_value is None) else inline_value
        if value is None:
            return None
        if value.strip().lower() in ("transparent", "inherit", "initial", "unset", "currentcolor", "none"):
            return None
        parsed = color.parse(value)
        if parsed is None:
            return False if ("url(" in value or "gradient" in value or properties[0] == "color") else None
        return parsed


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
