"""Links and images in emails and snippets use absolute https addresses.

## What it does
Checks `href` of `<a>` and `<area>` and `src` of `<img>`: in emails and
checkout snippets they must be absolute `https://` addresses (or `mailto:`,
`tel:`, `sms:` links); on member pages relative links are fine, but absolute
ones must be `https://`. Values with template syntax are left to OT1102.

## Why
Guideline 11: a relative link in an email points nowhere (the email has no
address of its own), and plain `http://` links are flagged by clients and
lose the reader's trust.

## Example
Fail (an email):
```html
<a href="/account">会員ページ</a> <a href="http://shop.example.jp/">ショップ</a>
```
Pass:
```html
<a href="https://shop.example.jp/account">会員ページ</a> <a href="mailto:support@shop.example.jp">メール</a>
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule
from otokui.lint.rules._base import unsafe_scheme

ALLOWED = ("https://", "mailto:", "tel:", "sms:")
ATTRIBUTES = {"a": "href", "area": "href", "img": "src"}


class LinkHttps(Rule):
    __doc__ = __doc__
    id = "OT1101"
    name = "link-https"
    level = "error"

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        for element in output.doc.find(*ATTRIBUTES):
            attribute = ATTRIBUTES[element.tag]
            value = (element.get(attribute) or "").strip()
            lowered = value.lower()
            if not value or value == "#" or "{" in value or unsafe_scheme(value):
                continue  # OT1102, OT1103 and OT1104 report these
            offset = element.attr_offset(output.source, attribute)
            if lowered.startswith("http://"):
                yield Hit(f"{value} is not https", "Use the https:// address.", offset)
            elif output.surface != "page" and not lowered.startswith(ALLOWED):
                yield Hit(
                    f"{value} is not an absolute address",
                    "Emails and snippets have no address of their own: write https://… in full.",
                    offset,
                )
