"""An email's HTML stays well below Gmail's clipping point.

## What it does
Reports each email whose HTML as sent is larger than `warn_kb` kilobytes
(1 KB = 1024 bytes) but not yet clipped (see OT901).

## Why
Guideline 9: the email grows with each change, and with the data filled in
when it is sent (long names, many items); a margin keeps it from being
clipped later.

## Options
- `warn_kb` (default `80`): the size from which to warn.
- `max_kb` (default `102`): from this size on, OT901 reports it instead.

## Example
Fail:
```html
<!-- an email of 90 KB -->
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


class EmailSize(Rule):
    __doc__ = __doc__
    id = "OT902"
    name = "email-size"
    level = "warning"
    surfaces = ("email",)
    options: ClassVar[dict[str, OptionValue]] = {"warn_kb": 80, "max_kb": 102}

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        size = len(output.artifact.data)
        if options.number("warn_kb") * 1024 < size <= options.number("max_kb") * 1024:
            yield Hit(
                f"email is {size / 1024:.1f} KB; Gmail clips from {options.number('max_kb'):g} KB",
                "Keep a margin for the data filled in when the email is sent.",
                output.start(),
            )
