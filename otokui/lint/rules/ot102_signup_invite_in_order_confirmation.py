"""The order confirmation never invites the customer to sign up.

## What it does
Looks for sign-up invitations (phrase list `signup_invite`: 会員登録, 新規登録,
アカウント作成, "sign up", "create an account"…) in order confirmation emails.

## Why
Guideline 1: a sign-up invitation belongs after the purchase has gone well (the
thank-you mail, the membership invite), not in the mail that confirms an order
the customer just placed as a guest.

## Example
Fail (an `order_confirmation` email):
```html
<p>今すぐ会員登録すると、次回から入力が楽になります。</p>
```
Pass:
```html
<p>ご注文内容は以下のとおりです。</p>
```
"""

from __future__ import annotations

from otokui.lint.rules._base import PhraseRule


class SignupInviteInOrderConfirmation(PhraseRule):
    __doc__ = __doc__
    id = "OT102"
    name = "signup-invite-in-order-confirmation"
    level = "error"
    surfaces = ("email",)
    phrase_list = "signup_invite"
    message = "order confirmation invites the customer to sign up ('{phrase}')"
    hint = "Move the invitation to the thank-you mail or the membership invite."
    kinds = ("order_confirmation",)
