"""Text stands out from its background: a contrast of at least 4.5:1.

## What it does
For each piece of visible text, takes its colour (the nearest inline `color`,
or `<font color>`; default black) and its background (the nearest inline
`background-color` or `background`, or `bgcolor`; default `background`,
white) and computes the WCAG 2 contrast ratio. Text below `min_ratio` is
reported, once per element; large text (24px, or 18.66px bold) needs only
`min_ratio_large`. Colours set only in `<style>` (dark mode) and semi-transparent
colours are not judged; hidden text (the preheader) is skipped.

## Why
Guideline 14: pale grey on white is unreadable on a phone in sunlight and for
many older customers. WCAG AA asks 4.5:1 for body text.

## Options
- `min_ratio` (default `4.5`), `min_ratio_large` (default `3.0`).
- `background` (default `#ffffff`): the background assumed when none is set.

## Example
Fail:
```html
<p style="color:#aaaaaa">配送状況はこちらからご確認いただけます。</p>
```
Pass:
```html
<p style="color:#555555">配送状況はこちらからご確認いただけます。</p>
```
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import ClassVar, Literal

from otokui import color
from otokui.lint.css import style_map
from otokui.lint.finding import Hit
from otokui.lint.html import Element, HtmlDoc, displays_none
from otokui.lint.rule import Options, OptionValue, Output, Rule

_SIZE = re.compile(r"([\d.]+)\s*(px|pt)", re.IGNORECASE)
BOLD_TAGS = ("b", "strong", "h1", "h2", "h3", "h4", "h5", "h6", "th")


def _chain(doc: HtmlDoc, element: Element) -> list[Element]:
    return [element, *doc.ancestors(element)]


def _large(chain: list[Element]) -> bool:
    size: float | None = None
    bold = False
    for element in chain:
        styles = style_map(element.get("style") or "")
        if size is None and (match := _SIZE.search(styles.get("font-size", ""))):
            size = float(match.group(1)) * (4 / 3 if match.group(2).lower() == "pt" else 1)
        weight = styles.get("font-weight", "")
        if weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 700) or element.tag in BOLD_TAGS:
            bold = True
    return size is not None and (size >= 24 or (size >= 18.66 and bold))


class TextContrast(Rule):
    __doc__ = __doc__
    id = "OT1402"
    name = "text-contrast"
    level = "error"
    options: ClassVar[dict[str, OptionValue]] = {"min_ratio": 4.5, "min_ratio_large": 3.0, "background": "#ffffff"}

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        doc = output.doc
        default_background = color.parse(str(options["background"])) or (1.0, 1.0, 1.0)
        seen: set[int] = set()
        # Decided once per element, then shared by its text runs and its descendants.
        hidden: dict[int, bool] = {}
        colours: dict[tuple[int, str], color.RGB | Literal[False] | None] = {}
        for run in doc.runs:
            if not run.visible or run.element is None or run.element in seen or not run.text.strip():
                continue
            element = doc.elements[run.element]
            chain = doc.chain(element)
            decided = _DECIDED.get(chain)
            if decided is None:
                if len(_DECIDED) >= 50_000:
                    _DECIDED.clear()
                decided = _DECIDED[chain] = (
                    _hidden(doc, element, hidden),
                    _nearest(doc, element, colours, ("color",), "color"),
                    _nearest(doc, element, colours, ("background-color", "background"), "bgcolor"),
                )
            is_hidden, found_fg, found_bg = decided
            if is_hidden:
                continue
            if found_fg is False or found_bg is False:
                continue  # an image or a colour that cannot be judged
            foreground = found_fg or (0.0, 0.0, 0.0)
            background = found_bg or default_background
            ratio = color.contrast(foreground, background)
            needed = options.number("min_ratio")
            if ratio < needed and _large(_chain(doc, element)):
                needed = options.number("min_ratio_large")
            if ratio < needed:
                seen.add(run.element)
                fg, bg = color.hex_of(foreground), color.hex_of(background)
                yield Hit(
                    f"text contrast {ratio:.2f}:1 ({fg} on {bg}) is below {needed:g}:1",
                    "Darken the text or lighten the background.",
                    run.offsets[len(run.text) - len(run.text.lstrip())],
                )


#: Whether an element is hidden, and its text and background colours (None: none set, False: one that
#: cannot be judged), by :meth:`~otokui.lint.html.HtmlDoc.chain`: they follow from the tags and
#: attributes of the element and its ancestors alone, so are decided once for every document.
_DECIDED: dict[int, tuple[bool, color.RGB | Literal[False] | None, color.RGB | Literal[False] | None]] = {}


@lru_cache(maxsize=8192)
def _own(style: str | None, attribute: str | None, properties: tuple[str, ...]) -> color.RGB | Literal[False] | None:
    """The colour an element's inline ``style`` (its ``properties``), else its colour attribute's value
    ``attribute``, sets; None if none is set, False if one is set but cannot be judged. Decided once per
    style and value."""
    styles = style_map(style or "")
    for name in properties:
        value = styles.get(name)
        if value is None or value.strip().lower() in ("inherit", "initial", "unset", "currentcolor"):
            continue
        if value.strip().lower() == "transparent" or (name == "background" and color.parse(value) is None):
            if "url(" in value.lower() or "gradient" in value.lower():
                return False
            continue
        parsed = color.parse(value)
        return parsed if parsed is not None else False
    if attribute:
        parsed = color.parse(attribute)
        return parsed if parsed is not None else False
    return None


def _hidden(doc: HtmlDoc, element: Element, memo: dict[int, bool]) -> bool:
    """Whether ``element`` or an ancestor has ``display: none`` inline (remembered per element)."""
    path: list[int] = []
    current: Element | None = element
    found = False
    while current is not None:
        if current.index in memo:
            found = memo[current.index]
            break
        path.append(current.index)
        if displays_none(current.get("style")):
            found = True
            break
        current = doc.elements[current.parent] if current.parent is not None else None
    for index in path:
        memo[index] = found
    return found


def _nearest(
    doc: HtmlDoc,
    element: Element,
    memo: dict[tuple[int, str], color.RGB | Literal[False] | None],
    properties: tuple[str, ...],
    attribute: str,
) -> color.RGB | Literal[False] | None:
    """The colour :func:`_own` finds nearest on ``element`` or its ancestors, remembered per element."""
    path: list[tuple[int, str]] = []
    current: Element | None = element
    found: color.RGB | Literal[False] | None = None
    while current is not None:
        key = (current.index, attribute)
        if key in memo:
            found = memo[key]
            break
        path.append(key)
        value = current.get(attribute) if attribute == "bgcolor" or current.tag == "font" else None
        found = _own(current.get("style"), value, properties)
        if found is not None:
            break
        current = doc.elements[current.parent] if current.parent is not None else None
    for key in path:
        memo[key] = found
    return found
