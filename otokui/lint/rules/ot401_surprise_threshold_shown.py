"""In surprise mode, no output shows what it takes to reach a rank.

## What it does
When the disclosure mode is `surprise`, looks in the visible text of every
email, page and snippet for each rank's threshold written as an amount
(¥20,000, 20,000円, 20000, 20,000 yen, 2万円) or, for order-count ranks, as a
count (5回, 5 orders).

## Why
Guideline 4: surprise ranks stay a surprise. A member who is selected for a
rank should feel chosen, not as if they had been counting up to a target.

## Example
Fail (surprise mode, rank `silver` at ¥20,000):
```html
<p>年間20,000円以上のお買い物でシルバー会員になります。</p>
```
Pass:
```html
<p>いつもご愛顧くださる方を、シルバー会員としてお迎えしています。</p>
```
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule
from otokui.lint.rules._base import amount_pattern, count_pattern, digits


class SurpriseThresholdShown(Rule):
    __doc__ = __doc__
    id = "OT401"
    name = "surprise-threshold-shown"
    level = "error"
    disclosures = ("surprise",)
    needs_policy = True

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        policy = output.batch.policy
        assert policy is not None
        text = digits(output.text)
        patterns: list[tuple[str, re.Pattern[str]]] = []
        for rank in policy.membership.ranks:
            if rank.threshold.spend:
                patterns.append((rank.id, amount_pattern(rank.threshold.spend)))
            if rank.threshold.orders and rank.threshold.orders > 1:
                patterns.append((rank.id, count_pattern(rank.threshold.orders)))
        for rank_id, pattern in patterns:
            for match in pattern.finditer(text):
                yield Hit(
                    f"shows the threshold of rank '{rank_id}' ('{match.group(0)}') in surprise mode",
                    "In surprise mode, describe ranks without amounts or counts.",
                    output.at(match.start()),
                )
