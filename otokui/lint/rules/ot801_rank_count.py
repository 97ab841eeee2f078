"""The membership has between two and five ranks.

## What it does
Counts `membership.ranks` (hidden ranks included) and reports fewer than
`min` or more than `max`.

## Why
Guideline 8: one rank is no programme at all, and more than five cannot be
told apart or remembered by customers.

## Options
- `min` (default `2`), `max` (default `5`): the allowed number of ranks.

## Example
Fail:
```yaml
membership:
  ranks: [{id: member, name: 会員, threshold: {spend: 0}}]
```
Pass:
```yaml
membership:
  ranks: [{id: regular, name: レギュラー, threshold: {spend: 0}}, {id: gold, name: ゴールド, threshold: {spend: 50000}}]
```
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, OptionValue, Rule
from otokui.policy.model import Policy


class RankCount(Rule):
    __doc__ = __doc__
    id = "OT801"
    name = "rank-count"
    level = "error"
    options: ClassVar[dict[str, OptionValue]] = {"min": 2, "max": 5}

    def check_policy(self, policy: Policy, options: Options) -> Iterable[Hit]:
        count = len(policy.membership.ranks)
        low, high = int(options.number("min")), int(options.number("max"))
        if count < low:
            yield Hit(f"{count} rank(s); a membership needs at least {low}", "", key=("membership", "ranks"))
        elif count > high:
            yield Hit(
                f"{count} ranks; customers cannot tell more than {high} apart",
                "Merge ranks whose benefits differ little.",
                key=("membership", "ranks"),
            )
