"""No email or page rushes the customer with live counts of other shoppers.

## What it does
Looks for social-proof pressure (phrase list `social_proof`: "12 people have
this in their cart", "23 people are viewing this", "Someone in Osaka just
bought this", 「現在23人が閲覧中」, 「過去24時間で37個売れました」, 「注文が殺到
しています」…) on member pages and in emails of the categories in
`categories`. Reviews, ratings and plain popularity ("Our most popular blend",
「人気の商品です」) are not pressure and are not reported; a negated claim is
not either.

## Why
Guideline 5: no pressure. Counts of other shoppers are there to make the
reader fear losing out, not to inform; they are often invented, and they
turn a calm choice into a race.

## Options
- `categories` (default `[relationship, marketing]`): email categories checked, any of
  `transactional`, `relationship`, `marketing`.

## Example
Fail (a `marketing` email):
```html
<p>12人がカートに入れています。</p>
```
Pass:
```html
<p>多くのお客様にご好評いただいています。</p>
```
"""

from __future__ import annotations

from otokui.lint.rules._base import WordingRule


class SocialProofPressure(WordingRule):
    __doc__ = __doc__
    id = "OT503"
    name = "social-proof-pressure"
    level = "error"
    phrase_list = "social_proof"
    message = "social-proof pressure: '{phrase}'"
    hint = "Drop live counts of other shoppers; describe the product instead."
