"""No page or email says or implies that buying needs an account.

## What it does
Looks for wording that makes registration sound required to buy (phrase list
`forced_signup`: 会員登録が必要, 会員のみ購入, ログインが必要, "registration required",
"must register", "login required"…) in the visible text of every email, page and snippet.

## Why
Guideline 1: no forced sign-up. Customers who are told they must register
before buying leave; guest checkout must always be possible, and the copy must
not suggest otherwise.

## Example
Fail:
```html
<p>ご購入には会員登録が必要です。</p>
```
Pass:
```html
<p>会員登録なしで、ゲストとしてご購入いただけます。</p>
```
"""

from __future__ import annotations

from otokui.lint.rules._base import PhraseRule


class ForcedSignupWording(PhraseRule):
    __doc__ = __doc__
    id = "OT101"
    name = "forced-signup-wording"
    level = "error"
    phrase_list = "forced_signup"
    message = "'{phrase}' implies that buying needs an account"
    hint = "Say that guest checkout is always possible, and that membership is optional."
