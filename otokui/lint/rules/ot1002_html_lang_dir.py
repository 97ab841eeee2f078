"""The `<html>` element of an email states its language and direction.

## What it does
Requires `lang` and `dir` on `<html>`, and a `lang` that matches the locale
the email was rendered for (`ja-JP` matches `ja`).

## Why
Guideline 10: screen readers pick their voice from `lang` (a Japanese email
read with an English voice is unintelligible), and `dir` keeps the layout
right when a client embeds the email in a page of another direction.

## Example
Fail:
```html
<html><body><p>ご注文ありがとうございます。</p></body></html>
```
Pass:
```html
<html lang="ja" dir="ltr"><body><p>ご注文ありがとうございます。</p></body></html>
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule


class HtmlLangDir(Rule):
    __doc__ = __doc__
    id = "OT1002"
    name = "html-lang-dir"
    level = "error"
    surfaces = ("email",)

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        root = output.doc.first("html")
        if root is None:
            yield Hit("no <html> element, so no lang and dir", "Send a whole HTML document.", 0)
            return
        lang = (root.get("lang") or "").strip()
        if not lang:
            yield Hit("<html> has no lang attribute", f'Add lang="{output.locale or "ja"}".', root.start)
        elif output.locale and lang.lower().split("-")[0] != output.locale.lower().split("-")[0]:
            yield Hit(
                f"<html lang=\"{lang}\"> but the email is in '{output.locale}'",
                f'Use lang="{output.locale}".',
                root.attr_offset(output.source, "lang"),
            )
        if not (root.get("dir") or "").strip():
            yield Hit("<html> has no dir attribute", 'Add dir="ltr".', root.start)
