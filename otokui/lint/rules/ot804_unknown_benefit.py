"""Every benefit a rank names exists in the policy.

## What it does
Checks that each id in `membership.ranks[].benefits` is the id of one of
`membership.benefits`.

## Why
Guideline 8: a rank promising a benefit the shop never defined cannot be
shown or honoured.

## Example
Fail:
```yaml
membership:
  ranks: [{id: gold, benefits: [free_shiping]}]
  benefits: [{id: free_shipping, type: free_shipping}]
```
Pass:
```yaml
membership:
  ranks: [{id: gold, benefits: [free_shipping]}]
  benefits: [{id: free_shipping, type: free_shipping}]
```
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Rule
from otokui.policy.model import Policy


class UnknownBenefit(Rule):
    __doc__ = __doc__
    id = "OT804"
    name = "unknown-benefit"
    level = "error"

    def check_policy(self, policy: Policy, options: Options) -> Iterable[Hit]:
        known = [benefit.id for benefit in policy.membership.benefits]
        for index, rank in enumerate(policy.membership.ranks):
            for position, benefit_id in enumerate(rank.benefits):
                if benefit_id not in known:
                    close = difflib.get_close_matches(benefit_id, known, n=1)
                    hint = f"Did you mean '{close[0]}'?" if close else "Define it under membership.benefits."
                    yield Hit(
                        f"rank '{rank.id}' names benefit '{benefit_id}', which is not defined",
                        hint,
                        key=("membership", "ranks", index, "benefits", position),
                    )
