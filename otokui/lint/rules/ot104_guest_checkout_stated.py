"""The membership page says that guest checkout is possible, and the policy allows it.

## What it does
On member pages of the kinds in `pages` (default: `benefits`), looks for a
statement that buying works without an account (phrase list `guest_checkout`:
ゲスト, 会員登録なし, 登録しなくても, "guest", "without an account"…). On the
policy, reports `membership.enrollment.guest_checkout: false`.

## Why
Guideline 1: the page that explains membership is where a hesitant customer
looks to see whether they have to join. Say plainly that they do not.

## Options
- `pages` (default `[benefits]`): the page kinds that must state it.

## Example
Fail (the `benefits` page):
```html
<h1>会員特典</h1><p>会員になると、ポイントがたまります。</p>
```
Pass:
```html
<h1>会員特典</h1><p>会員登録は任意です。登録しなくても、ゲストとしてご購入いただけます。</p>
```
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, OptionValue, Output, Rule
from otokui.policy.model import Policy


class GuestCheckoutStated(Rule):
    __doc__ = __doc__
    id = "OT104"
    name = "guest-checkout-stated"
    level = "error"
    surfaces = ("page",)
    options: ClassVar[dict[str, OptionValue]] = {"pages": ("benefits",)}

    def applies(self, output: Output, options: Options) -> bool:
        return output.kind in options.strings("pages")

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        if not output.phrases("guest_checkout"):
            heading = output.doc.first("h1")
            yield Hit(
                "the membership page does not say that buying works without an account",
                "Add a sentence such as 会員登録は任意です。ゲストとしてもご購入いただけます。",
                heading.start if heading else output.start(),
            )

    def check_policy(self, policy: Policy, options: Options) -> Iterable[Hit]:
        if not policy.membership.enrollment.guest_checkout:
            yield Hit(
                "guest checkout is switched off: customers would have to register to buy",
                "Set membership.enrollment.guest_checkout: true.",
                key=("membership", "enrollment", "guest_checkout"),
            )
