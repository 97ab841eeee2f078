"""Every image has an `alt` attribute.

## What it does
Reports each `<img>` without an `alt` attribute. An empty `alt=""` is fine:
it marks a decorative image that screen readers skip.

## Why
Guideline 10: many inboxes block images until the reader allows them, and
screen readers read `alt` aloud; without it they read the file name.

## Example
Fail:
```html
<img src="https://shop.example.jp/logo.png" width="160">
```
Pass:
```html
<img src="https://shop.example.jp/logo.png" width="160" alt="木漏れ日珈琲">
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule


class ImgAlt(Rule):
    __doc__ = __doc__
    id = "OT1001"
    name = "img-alt"
    level = "error"

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        for image in output.doc.find("img"):
            if not image.has("alt"):
                source = (image.get("src") or "").rsplit("/", 1)[-1] or "image"
                yield Hit(
                    f"image '{source}' has no alt attribute",
                    'Describe the image in alt, or use alt="" if it is only decoration.',
                    image.start,
                )
