"""An email's HTML stays under Gmail's clipping point.

## What it does
Measures each email's HTML as sent (after minifying, in bytes) and reports it
when it is larger than `max_kb` kilobytes (1 KB = 1024 bytes).

## Why
Guideline 9: Gmail cuts messages larger than about 102 KB and shows a
"[Message clipped] View entire message" link; the footer with the shop's
address and unsubscribe link is what disappears.

## Options
- `max_kb` (default `102`): the size from which the email is clipped.

## Example
Fail:
```html
<!-- an email of 110 KB -->
```
Pass:
```html
<!-- an email of 40 KB -->
```
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, OptionValue, Output, Rule


class GmailClipping(Rule):
    __doc__ = __doc__
    id = "OT901"
    name = "gmail-clipping"
    level = "error"
    surfaces = ("email",)
    options: ClassVar[dict[str, OptionValue]] = {"max_kb": 102}

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        size = len(output.artifact.data)
        limit = options.number("max_kb")
        if size > limit * 1024:
            yield Hit(
                f"email is {size / 1024:.1f} KB; Gmail clips messages over {limit:g} KB",
                "Shorten the email: fewer blocks, fewer benefits listed, or smaller inline styles.",
                output.start(),
            )
