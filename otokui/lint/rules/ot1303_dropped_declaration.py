"""No style declaration is one a browser drops.

## What it does
Reads every inline `style` attribute as a browser does (CSS Syntax Level 3,
tinycss2) and reports what it would ignore: a declaration it cannot read
(a literal `\\n` left in the attribute by a template or a JSON export, a
missing `:`, a stray brace), and everything the mistake takes with it up to
the next `;`.

## Why
Guideline 13: a dropped declaration fails silently. A literal `\\n` before
`font-size` leaves the text at the client's default size, and the one email
client that shows the layout as designed is the editor it was written in.

## Example
Fail:
```html
<p style="color:#333;\\n font-size:14px">ご注文ありがとうございます。</p>
```
Pass:
```html
<p style="color:#333; font-size:14px">ご注文ありがとうございます。</p>
```
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from otokui.lint.css import Dropped, dropped
from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule


class DroppedDeclaration(Rule):
    __doc__ = __doc__
    id = "OT1303"
    name = "dropped-declaration"
    level = "error"
    surfaces = ("email",)

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        source = output.source
        for element in output.doc.elements:
            style = element.get("style")
            if not style:
                continue
            problems = _dropped(style)
            if not problems:
                continue
            attribute = element.attr_offset(source, "style")
            value = source.find("=", attribute, element.tag_end)
            base = value + 2 if value != -1 else attribute  # after ="
            for item in problems:
                yield Hit(item.message, "Fix the style attribute (a real line break, or none).", base + item.offset)


@lru_cache(maxsize=8192)
def _dropped(style: str) -> tuple[Dropped, ...]:
    return tuple(dropped(style))
