"""Member pages and relationship or marketing mails put no pressure on the customer.

## What it does
Looks for urgency and nagging wording (phrase list `pressure`: 今すぐ, 急いで,
お見逃しなく, どんどん, 残りわずか, 残り#個, "limited time", "hurry",
"only # left"…) on member pages and in emails of the categories in
`categories`. Transactional mails (order confirmation, shipping…) are exempt.

## Why
Guideline 5: no pressure. Customers come back to shops that treat them as
guests, not as targets.

## Options
- `categories` (default `[relationship, marketing]`): email categories checked.

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

from typing import ClassVar

from otokui.lint.rule import Options, OptionValue, Output
from otokui.lint.rules._base import PhraseRule


class PressureWording(PhraseRule):
    __doc__ = __doc__
    id = "OT501"
    name = "pressure-wording"
    level = "error"
    surfaces = ("email", "page")
    options: ClassVar[dict[str, OptionValue]] = {"categories": ("relationship", "marketing")}
    phrase_list = "pressure"
    message = "pressure wording: '{phrase}'"
    hint = "Let the customer decide in their own time; drop urgency and scarcity wording."

    def applies(self, output: Output, options: Options) -> bool:
        return output.surface == "page" or output.category in options.strings("categories")
