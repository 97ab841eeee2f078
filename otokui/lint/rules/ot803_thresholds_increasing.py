"""Rank thresholds increase from each rank to the next.

## What it does
For the qualification metric (`spend`, `order_count`, or both), checks that
each rank's threshold is higher than the previous rank's. (A rank without a
threshold for the metric is refused when the policy is read: it could not be
built.)

## Why
Guideline 8: ranks are listed lowest first; a rank that is easier to reach
than the one before it can never be held.

## Example
Fail:
```yaml
membership:
  qualification: {metric: spend}
  ranks:
    - {id: regular, threshold: {spend: 0}}
    - {id: gold, threshold: {spend: 50000}}
    - {id: silver, threshold: {spend: 20000}}
```
Pass:
```yaml
membership:
  qualification: {metric: spend}
  ranks:
    - {id: regular, threshold: {spend: 0}}
    - {id: silver, threshold: {spend: 20000}}
    - {id: gold, threshold: {spend: 50000}}
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Rule
from otokui.policy.model import Policy

FIELDS = {"spend": ("spend",), "order_count": ("orders",), "spend_and_count": ("spend", "orders")}


class ThresholdsIncreasing(Rule):
    __doc__ = __doc__
    id = "OT803"
    name = "thresholds-increasing"
    level = "error"

    def check_policy(self, policy: Policy, options: Options) -> Iterable[Hit]:
        ranks = policy.membership.ranks
        for field in FIELDS[policy.membership.qualification.metric]:
            previous: int | None = None
            for index, rank in enumerate(ranks):
                value = getattr(rank.threshold, field)
                at = ("membership", "ranks", index, "threshold")
                if value is None:
                    continue  # the loader requires it
                if previous is not None and value <= previous:
                    yield Hit(
                        f"rank '{rank.id}' needs {field} {value:,}, not more than the rank before it ({previous:,})",
                        "List ranks from the lowest threshold to the highest.",
                        key=(*at, field),
                    )
                previous = value if previous is None else max(previous, value)
