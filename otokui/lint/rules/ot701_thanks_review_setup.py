"""The shop sends a thank-you mail around delivery, with review and survey links and a tier message.

## What it does
Checks `emails.thanks_review` in the policy: it exists and is enabled, it is
triggered by `delivered` (or by `shipped` at least `min_delay_after_shipping`
days later), it has a `review_url` and a `survey_url`, and its blocks include
`tier_message` and `review_links`. When emails were built, at least one
`thanks_review` variant must be among them.

## Why
Guideline 7: the thank-you mail is where a shop earns the next order. It comes
when the parcel has arrived, thanks the customer in words that fit how often
they have bought, and asks for a review and for feedback.

## Options
- `min_delay_after_shipping` (default `1`): days after shipping a `shipped` trigger must wait.

## Example
Fail:
```yaml
emails:
  thanks_review: {category: relationship, trigger: {event: order_placed}, blocks: [greeting]}
```
Pass:
```yaml
emails:
  thanks_review:
    category: relationship
    trigger: {event: delivered, delay_days: 2}
    blocks: [greeting, tier_message, owner_letter, review_links]
    review_url: https://shop.example.jp/reviews/new
    survey_url: https://shop.example.jp/survey
```
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from otokui.lint.finding import Hit
from otokui.lint.rule import Batch, Options, OptionValue, Rule
from otokui.policy.model import Policy

AT = ("emails", "thanks_review")


class ThanksReviewSetup(Rule):
    __doc__ = __doc__
    id = "OT701"
    name = "thanks-review-setup"
    level = "error"
    options: ClassVar[dict[str, OptionValue]] = {"min_delay_after_shipping": 1}

    def check_policy(self, policy: Policy, options: Options) -> Iterable[Hit]:
        email = policy.emails.thanks_review
        if email is None or not email.enabled:
            yield Hit(
                "there is no thank-you mail (emails.thanks_review)",
                "Add emails.thanks_review, triggered by delivered, with review and survey links.",
                key=AT if email is not None else ("emails",),
            )
            return
        trigger = email.trigger
        shipped_late = trigger.event == "shipped" and trigger.delay_days >= options.number("min_delay_after_shipping")
        if trigger.event != "delivered" and not shipped_late:
            yield Hit(
                f"the thank-you mail is sent on '{trigger.event}', not around delivery",
                "Use trigger: {event: delivered, delay_days: 2}.",
                key=(*AT, "trigger"),
            )
        for field in ("review_url", "survey_url"):
            if getattr(email, field) is None:
                yield Hit(f"the thank-you mail has no {field}", "", key=AT)
        for block in ("tier_message", "review_links"):
            if block not in email.blocks:
                yield Hit(f"the thank-you mail's blocks leave out '{block}'", "", key=(*AT, "blocks"))

    def check_batch(self, batch: Batch, options: Options) -> Iterable[Hit]:
        policy = batch.policy
        emails = batch.html(surface="email")
        if policy is None or not emails or policy.emails.thanks_review is None:
            return
        if policy.emails.thanks_review.enabled and not any(o.kind == "thanks_review" for o in emails):
            yield Hit("emails were built, but no thanks_review variant is among them", "", key=AT)
