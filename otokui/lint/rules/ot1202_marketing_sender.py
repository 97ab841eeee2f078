"""Marketing emails name the sender and give its postal address.

## What it does
In emails of category `marketing`, requires the shop's name (`shop.name` or
`shop.legal_name`) and postal address (`shop.address`) in the visible text, in
the email's locale, whitespace aside.

## Why
Guideline 12: Japan's Act on Specified Electronic Mail and CAN-SPAM require
the sender's name and a postal address in marketing mail; customers also
trust a shop that says where it is.

## Example
Fail (a `marketing` email):
```html
<p>お誕生日おめでとうございます。</p>
```
Pass:
```html
<p>木漏れ日珈琲（株式会社こもれび）〒150-0001 東京都渋谷区神宮前1-2-3 こもれびビル2階</p>
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule
from otokui.lint.rules._base import contains_text


class MarketingSender(Rule):
    __doc__ = __doc__
    id = "OT1202"
    name = "marketing-sender"
    level = "error"
    surfaces = ("email",)
    categories = ("marketing",)
    needs_policy = True
    needs_locale = True

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        policy = output.batch.policy
        assert policy is not None and output.locale
        shop, locale = policy.shop, output.locale
        names = [t.get(locale) for t in (shop.name, shop.legal_name) if not t.missing([locale])]
        if names and not any(contains_text(output.text, name) for name in names):
            yield Hit(
                "marketing email does not name the sender", "Keep the footer with the shop's name.", output.start()
            )
        if not shop.address.missing([locale]) and not contains_text(output.text, shop.address.get(locale)):
            yield Hit(
                "marketing email does not give the shop's postal address",
                "Keep legal.footer.address on and the footer in the email.",
                output.start(),
            )
