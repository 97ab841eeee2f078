"""An email's `<style>` elements add up to less than 16 KB.

## What it does
Adds up the contents of every `<style>` element (outside comments) of an
email, in bytes, and reports the total when it is above `max_kb` kilobytes.

## Why
Guideline 9: Gmail drops the styles of a message whose `<style>` content is
larger than 16 KB, so dark mode and small-screen rules silently disappear.

## Options
- `max_kb` (default `16`).

## Example
Fail:
```html
<style>/* 20 KB of rules */</style>
```
Pass:
```html
<style>@media (max-width: 479px) { h1 { font-size: 20px !important; } }</style>
```
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, OptionValue, Output, Rule


class StyleSize(Rule):
    __doc__ = __doc__
    id = "OT903"
    name = "style-size"
    level = "error"
    surfaces = ("email",)
    options: ClassVar[dict[str, OptionValue]] = {"max_kb": 16}

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        blocks = output.doc.styles
        total = sum(len(block.css.encode("utf-8")) for block in blocks)
        if blocks and total > options.number("max_kb") * 1024:
            limit = options.number("max_kb")
            yield Hit(
                f"<style> contents add up to {total / 1024:.1f} KB; Gmail ignores them above {limit:g} KB",
                "Move rules that can be inlined into the inline stylesheet.",
                blocks[0].offset,
            )
