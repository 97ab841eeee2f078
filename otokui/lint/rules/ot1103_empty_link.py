"""No link goes nowhere.

## What it does
Reports `<a>` elements whose `href` is empty or just `#`; in emails, `<a>`
elements with text but no `href` at all; and links whose only content is
images with an empty (or no) `alt`, which a screen reader announces as a bare
address and an image-blocking inbox shows as nothing.

## Why
Guideline 11: a link that goes nowhere is a button that does nothing; it
usually means a URL was missing from the policy when the email was built. A
link with no text says nowhere where it goes.

## Example
Fail:
```html
<a href="#">レビューを書く</a>
```
Pass:
```html
<a href="https://shop.example.jp/reviews/new">レビューを書く</a>
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule


class EmptyLink(Rule):
    __doc__ = __doc__
    id = "OT1103"
    name = "empty-link"
    level = "error"

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        doc = output.doc
        for link in doc.find("a"):
            href = link.get("href")
            label = doc.text_of(link)[:40] or "link"
            if href is None:
                if output.surface == "email" and doc.text_of(link):
                    yield Hit(f"'{label}' looks like a link but has no href", "", link.start)
            elif href.strip() in ("", "#"):
                yield Hit(
                    f"link '{label}' goes nowhere (href=\"{href.strip()}\")",
                    "Set the URL in rules.yaml, or remove the link.",
                    link.attr_offset(output.source, "href"),
                )
            elif not doc.text_of(link):
                images = [i for i in doc.find("img") if link.start < i.start < link.end]
                if images and not any((i.get("alt") or "").strip() for i in images):
                    yield Hit(
                        f"image link to {href.strip()[:60]} has no text: its image's alt is empty",
                        "Give the image an alt saying where the link goes (e.g. the shop's name for a logo).",
                        images[0].start,
                    )
