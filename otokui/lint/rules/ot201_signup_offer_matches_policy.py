"""A sign-up offer promises exactly the sign-up benefits of the policy.

## What it does
In the emails that invite a guest to join (`membership_invite`, and the
`thanks_review` variants for guests), compares the offer with
`membership.enrollment.signup_benefits`:

- the first-order coupon, when there is one, is shown with its amount
  (500円, ¥500, 10%…) and said to be for the next order (phrase list `next_order`);
- saved addresses and the newsletter are mentioned only when the policy offers
  them (phrase lists `saved_address`, `newsletter`);
- a coupon is not mentioned when the policy has none.

## Why
Guideline 2: honest sign-up benefits. A coupon the customer cannot use on the
order they just placed must say it is for the next one, and an offer must not
promise what the shop does not give.

## Example
Fail (policy: a ¥500 coupon for the next order; a guest's `membership_invite`):
```html
<p>会員登録で1,000円引きクーポンをプレゼント!</p>
```
Pass:
```html
<p>次のご注文で使える500円引きクーポンを差し上げます。</p>
```
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule
from otokui.lint.rules._base import amount_pattern, digits, member_variant

OFFER_KINDS = ("membership_invite", "thanks_review")


class SignupOfferMatchesPolicy(Rule):
    __doc__ = __doc__
    id = "OT201"
    name = "signup-offer-matches-policy"
    level = "error"
    surfaces = ("email",)
    kinds = OFFER_KINDS
    needs_policy = True

    def applies(self, output: Output, options: Options) -> bool:
        return not member_variant(output)

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        policy = output.batch.policy
        assert policy is not None
        benefits = policy.membership.enrollment.signup_benefits
        start = output.start()
        text = digits(output.text)
        coupon = benefits.first_order_coupon
        mentions_coupon = any(word in text.casefold() for word in ("クーポン", "coupon"))
        if output.kind == "thanks_review" and not mentions_coupon and not output.phrases("newsletter"):
            return  # this thank-you mail carries no sign-up offer at all
        if coupon is not None:
            if coupon.kind == "fixed":
                shown = amount_pattern(coupon.amount).search(text)
                wanted = f"{coupon.amount:,}円 / ¥{coupon.amount:,}"
            else:
                shown = re.search(rf"(?<!\d){coupon.amount}\s?(?:%|％|パーセント)", text)
                wanted = f"{coupon.amount}%"
            if not shown:
                yield Hit(f"the sign-up offer does not show the coupon amount of the policy ({wanted})", "", start)
            if coupon.usable_on == "next_order" and not output.phrases("next_order"):
                yield Hit(
                    "the sign-up coupon is not said to be for the next order",
                    "Write it as 次のご注文で使える… / for your next order.",
                    start,
                )
        elif mentions_coupon:
            yield Hit("the sign-up offer mentions a coupon, but the policy has no first-order coupon", "", start)
        for flag, phrase_list, label in (
            (benefits.saved_address, "saved_address", "saved addresses"),
            (benefits.newsletter_opt_in, "newsletter", "a newsletter"),
        ):
            found = output.phrases(phrase_list)
            if found and not flag:
                yield Hit(
                    f"the sign-up offer mentions {label}, which the policy does not offer",
                    "",
                    output.at(found[0].start),
                )
