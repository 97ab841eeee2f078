"""Emails declare that they support both light and dark mode.

## What it does
Requires, in each email's `<head>`, `<meta name="color-scheme">` and
`<meta name="supported-color-schemes">`, both with `light` and `dark` in
their content.

## Why
Guideline 14: without them, Apple Mail and Outlook invert the colours on their
own in dark mode, which can turn dark text on a dark background and garble
the brand colours; with them, the email's own dark-mode styles apply.

## Example
Fail:
```html
<head><title>ご注文ありがとうございます</title></head>
```
Pass:
```html
<head><meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark"></head>
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule

NAMES = ("color-scheme", "supported-color-schemes")


class DarkModeMeta(Rule):
    __doc__ = __doc__
    id = "OT1401"
    name = "dark-mode-meta"
    level = "error"
    surfaces = ("email",)

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        doc = output.doc
        metas = {(m.get("name") or "").strip().lower(): m for m in doc.find("meta")}
        head = doc.first("head")
        where = head.tag_end if head else output.start()
        for name in NAMES:
            meta = metas.get(name)
            if meta is None:
                yield Hit(
                    f'no <meta name="{name}"> in <head>', f'Add <meta name="{name}" content="light dark">.', where
                )
                continue
            content = (meta.get("content") or "").lower().split()
            if "light" not in content or "dark" not in content:
                yield Hit(
                    f'<meta name="{name}"> does not list both light and dark',
                    'Use content="light dark".',
                    meta.start,
                )
