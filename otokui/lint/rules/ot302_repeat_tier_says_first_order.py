"""A repeat-purchase email never calls the order a first one.

## What it does
In email variants of a tier for returning customers (`min_orders` above 1),
looks for first-order wording (phrase list `first_order`: 初めて, はじめまして,
初回, "first order", "first purchase"…).

## Why
Guideline 3: wording fits the purchase count. はじめまして to a customer on
their fifth order tells them the shop does not know them.

## Example
Fail (tier `repeat`):
```html
<p>初めてのご注文ありがとうございます。</p>
```
Pass:
```html
<p>また選んでくださり、ありがとうございます。</p>
```
"""

from __future__ import annotations

from otokui.lint.rules._base import PhraseRule


class RepeatTierSaysFirstOrder(PhraseRule):
    __doc__ = __doc__
    id = "OT302"
    name = "repeat-tier-says-first-order"
    level = "error"
    surfaces = ("email",)
    tiers = ("repeat",)
    phrase_list = "first_order"
    message = "repeat-purchase variant calls this a first order: '{phrase}'"
    hint = "Use the tier's own greeting; first-order wording belongs to the first tier only."
