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
from typing import ClassVar, Literal

from otokui import color
from otokui.lint.css import StyleRule, dark_scheme_rules, style_map
from otokui.lint.finding import Hit
from otokui.lint.html import DISPLAY_NONE, Element, HtmlDoc
from otokui.lint.rule import Options, OptionValue, Output, Rule

_COMPOUND = re.compile(r"^(?P<tag>[a-zA-Z][\w-]*|\*)?(?P<rest>(?:[.#][\w-]+)*)$")
_SIZE = re.compile(r"([\d.]+)\s*(px|pt)", re.IGNORECASE)
_BOLD_TAGS = ("b", "strong", "h1", "h2", "h3", "h4", "h5", "h6", "th")
Specificity = tuple[int, int, int, int]  # important, ids, classes, tags


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
        rules = [rule for block in doc.styles for rule in dark_scheme_rules(block.css)]
        if not rules:
            return
        scheme = _Scheme(doc, rules)
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


class _Scheme:
    """The dark scheme's colours for elements: matching rules first, then inline styles."""

    def __init__(self, doc: HtmlDoc, rules: list[StyleRule]) -> None:
        self.doc = doc
        self.rules = rules
        self.memo: dict[tuple[int, str], color.RGB | Literal[False] | None] = {}

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

    def _own(self, element: Element, properties: tuple[str, ...]) -> color.RGB | Literal[False] | None:
        best: tuple[tuple[int, ...], int, str] | None = None
        order = 0
        for rule in self.rules:
            for selector in rule.selectors:
                specificity = _match(self.doc, element, selector)
                if specificity is None:
                    continue
                for declaration in rule.declarations:
                    order += 1
                    if declaration.name in properties:
                        rank = (int(declaration.important), *specificity[1:])
                        if best is None or (rank, order) >= (best[0], best[1]):
                            best = (rank, order, declaration.value)
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


def _match(doc: HtmlDoc, element: Element, selector: str) -> Specificity | None:
    """The specificity of ``selector`` if it matches ``element`` (tags, classes, ids, descendants), else None."""
    parts = selector.split()
    if not parts or any(not _COMPOUND.match(part) for part in parts):
        return None
    if not _compound(element, parts[-1]):
        return None
    ancestors = doc.ancestors(element)
    index = 0
    for part in reversed(parts[:-1]):
        while index < len(ancestors) and not _compound(ancestors[index], part):
            index += 1
        if index == len(ancestors):
            return None
        index += 1
    ids = selector.count("#")
    classes = selector.count(".")
    tags = sum(1 for part in parts if (m := _COMPOUND.match(part)) and m.group("tag") not in (None, "*"))
    return (0, ids, classes, tags)


def _compound(element: Element, part: str) -> bool:
    match = _COMPOUND.match(part)
    if match is None:
        return False
    tag = match.group("tag")
    if tag not in (None, "*") and element.tag != tag.lower():
        return False
    classes = set((element.get("class") or "").split())
    for item in re.findall(r"[.#][\w-]+", match.group("rest")):
        if item[0] == "." and item[1:] not in classes:
            return False
        if item[0] == "#" and element.get("id") != item[1:]:
            return False
    return bool(tag) or bool(match.group("rest"))


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
