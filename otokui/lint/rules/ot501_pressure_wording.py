"""Member pages and relationship or marketing mails put no pressure on the customer.

## What it does
Looks for urgency, scarcity and countdowns (phrase list `pressure`: 今すぐ,
急いで/お急ぎください, お見逃しなく, 残りわずか, 残り3点, ラスト1点, 00:57:19,
"limited time", "hurry", "only 3 left", "ends in 15hrs"…) on member pages and
in emails of the categories in `categories`. Transactional mails (order
confirmation, shipping…) are exempt.

It reads the way a person does: words are compared by dictionary form, so
every inflection counts (急ぐ, 急いで, お急ぎください); a negated phrase is
not a finding (「急がなくて大丈夫です」, "no need to hurry"); other senses are
not either (お急ぎ便 is a delivery option, 「お早めにお召し上がりください」 a care
instruction, "In a hurry? Choose express delivery" a help); and a plain call
to action on its own ("Buy now", 「今すぐ購入」 as a button) is never pressure.

## Why
Guideline 5: no pressure. Customers come back to shops that treat them as
guests, not as targets.

## Options
- `categories` (default `[relationship, marketing]`): email categories checked, any of
  `transactional`, `relationship`, `marketing`.

## Example
Fail (a `relationship` email):
```html
<p>残りわずか!今すぐご注文ください。</p>
```
Pass:
```html
<p>お時間のあるときに、ゆっくりご覧ください。</p>
```
"""

from __future__ import annotations

from otokui.lint.rules._base import WordingRule


class PressureWording(WordingRule):
    __doc__ = __doc__
    id = "OT501"
    name = "pressure-wording"
    level = "error"
    phrase_list = "pressure"
    message = "pressure wording: '{phrase}'"
    hint = "Let the customer decide in their own time; drop urgency and scarcity wording."
