"""No opt-out is worded to shame the customer for declining.

## What it does
Looks for decline wording that makes saying no feel foolish or costly (phrase
list `confirmshaming`: "No thanks, I'd rather pay full price", "I don't want
to save", 「いいえ、定価で買います」, 「割引はいりません」, 「特典をあきらめる」…)
on member pages and in emails of the categories in `categories`, pop-up and
link texts included. A neutral decline ("No thanks", "Maybe later",
「いいえ」, 「今回は見送る」) is fine.

## Why
Guideline 5: no pressure. A customer who says no is making an ordinary
choice; wording that insults that choice is a dark pattern (confirmshaming)
and makes the shop look small.

## Options
- `categories` (default `[relationship, marketing]`): email categories checked, any of
  `transactional`, `relationship`, `marketing`.

## Example
Fail (a `marketing` email):
```html
<a href="https://example.com/close">No thanks, I'd rather pay full price</a>
```
Pass:
```html
<a href="https://example.com/close">No thanks</a>
```
"""

from __future__ import annotations

from otokui.lint.rules._base import WordingRule


class Confirmshaming(WordingRule):
    __doc__ = __doc__
    id = "OT502"
    name = "confirmshaming"
    level = "error"
    phrase_list = "confirmshaming"
    message = "the opt-out shames the customer for declining: '{phrase}'"
    hint = "Offer a plain choice: 'No thanks' / 「いいえ」 / 「今回は見送る」."
