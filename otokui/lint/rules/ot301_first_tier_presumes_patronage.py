"""A first-purchase email never presumes past patronage.

## What it does
In email variants of a first-purchase tier (the tier with `min_orders: 1`, or
the tier named `first` when no policy is given), looks for wording that
thanks the customer for coming back (phrase list `presumes_patronage`:
いつも, 毎度, 平素より, 日頃より, 引き続き, 再度のご利用, 前回, "as always",
"welcome back", "again"…).

## Why
Guideline 3: wording fits the purchase count. いつもありがとうございます to a
first-time buyer reads as a form letter and breaks trust at the very start.

## Example
Fail (tier `first`):
```html
<p>いつもご利用いただき、ありがとうございます。</p>
```
Pass:
```html
<p>このたびは当店を見つけてくださり、ありがとうございます。</p>
```
"""

from __future__ import annotations

from otokui.lint.rules._base import PhraseRule


class FirstTierPresumesPatronage(PhraseRule):
    __doc__ = __doc__
    id = "OT301"
    name = "first-tier-presumes-patronage"
    level = "error"
    surfaces = ("email",)
    tiers = ("first",)
    phrase_list = "presumes_patronage"
    message = "first-purchase variant presumes past patronage: '{phrase}'"
    hint = "Thank the customer for finding the shop instead (このたびは…)."
