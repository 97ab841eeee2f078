"""Every thank-you mail carries the thanks line of its purchase-count tier.

## What it does
In each `thanks_review` email variant, looks for the `thanks` text of the
variant's tier (`wording.purchase_count_tiers`) in the variant's locale,
whitespace aside.

## Why
Guideline 7: the thank-you mail thanks a first-time buyer and a regular in
different words. If the tier's line is missing, every customer gets the same
form letter.

## Example
Fail (tier `first`, whose thanks is 初めてのご注文をいただき、心よりお礼申し上げます。):
```html
<p>ご注文ありがとうございました。</p>
```
Pass:
```html
<p>初めてのご注文をいただき、心よりお礼申し上げます。</p>
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule
from otokui.lint.rules._base import contains_text


class ThanksReviewTierMessage(Rule):
    __doc__ = __doc__
    id = "OT703"
    name = "thanks-review-tier-message"
    level = "error"
    surfaces = ("email",)
    kinds = ("thanks_review",)
    needs_locale = True

    def applies(self, output: Output, options: Options) -> bool:
        return output.batch.tier(output.tier) is not None

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        tier = output.batch.tier(output.tier)
        assert tier is not None and output.locale
        if tier.thanks.missing([output.locale]):
            return
        if not contains_text(output.text, tier.thanks.get(output.locale)):
            yield Hit(
                f"the thanks line of tier '{tier.id}' is missing",
                "Keep the tier_message block in emails.thanks_review.blocks.",
                output.start(),
            )
