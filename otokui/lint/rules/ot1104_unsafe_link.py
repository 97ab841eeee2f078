"""No link runs script or embeds data.

## What it does
Reports `href` values (of `<a>`, `<area>`, `<form action>`) starting with
`javascript:`, `vbscript:` or `data:`.

## Why
Guideline 11: clients strip or block such links, and spam filters score them
as phishing. An email link should open a page, a mail or a phone call.

## Example
Fail:
```html
<a href="javascript:void(0)">詳しく見る</a>
```
Pass:
```html
<a href="https://shop.example.jp/benefits">詳しく見る</a>
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule
from otokui.lint.rules._base import unsafe_scheme

ATTRIBUTES = {"a": "href", "area": "href", "form": "action"}


class UnsafeLink(Rule):
    __doc__ = __doc__
    id = "OT1104"
    name = "unsafe-link"
    level = "error"

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        for element in output.doc.find(*ATTRIBUTES):
            attribute = ATTRIBUTES[element.tag]
            scheme = unsafe_scheme(element.get(attribute) or "")
            if scheme is not None:
                yield Hit(
                    f"{attribute} uses '{scheme}:'",
                    "Link to an https:// page instead.",
                    element.attr_offset(output.source, attribute),
                )
