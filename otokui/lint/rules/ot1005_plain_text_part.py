"""Every email has a plain-text part with the same links.

## What it does
For each email `x.html`, requires its plain-text part `x.txt` among the
outputs, and every `http(s):`, `mailto:` and `tel:` link of the HTML to appear
in it.

## Why
Guideline 10: some readers and clients show only the text part, and spam
filters distrust HTML-only mail. A text part that lost a link (the tracking
page, the unsubscribe page) leaves its readers stuck.

## Example
Fail (`x.txt` lacks the survey link):
```html
<a href="https://shop.example.jp/survey">アンケートに答える</a>
```
Pass (`x.txt` contains `アンケートに答える: https://shop.example.jp/survey`):
```html
<a href="https://shop.example.jp/survey">アンケートに答える</a>
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Batch, Options, Output, Rule

SCHEMES = ("http://", "https://", "mailto:", "tel:")


class PlainTextPart(Rule):
    __doc__ = __doc__
    id = "OT1005"
    name = "plain-text-part"
    level = "error"

    def reads_source(self, output: Output) -> bool:
        return output.is_text_part and not output.exported  # an exported text template is OT1105's

    def check_batch(self, batch: Batch, options: Options) -> Iterable[Hit]:
        for output in batch.html(surface="email"):
            stem = output.path.rsplit(".", 1)[0]
            text_part = batch.by_path.get(stem + ".txt")
            if text_part is None:
                yield Hit(f"no plain-text part ({stem.rsplit('/', 1)[-1]}.txt)", "", output.start(), path=output.path)
                continue
            text = text_part.source
            reported: set[str] = set()
            for raw, offset in output.links:
                href = raw.strip()
                if not href.lower().startswith(SCHEMES) or href in reported:
                    continue
                target = (
                    href.split(":", 1)[1].split("?", 1)[0] if href.lower().startswith(("mailto:", "tel:")) else href
                )
                if target not in text:
                    reported.add(href)
                    yield Hit(f"link {href} is missing from the plain-text part", "", offset, path=output.path)
