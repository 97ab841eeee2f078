"""More than four ranks is allowed but hard to follow.

## What it does
Reports a membership with more than `warn_above` ranks (and at most five,
above which OT801 reports it).

## Why
Guideline 8: every rank has to be explained on the ranks page and in the
rank-up mail; with five, the differences between them get thin.

## Options
- `warn_above` (default `4`): more ranks than this gets a warning.

## Example
Fail:
```yaml
membership:
  ranks: [{id: r1}, {id: r2}, {id: r3}, {id: r4}, {id: r5}]
```
Pass:
```yaml
membership:
  ranks: [{id: regular}, {id: silver}, {id: gold}]
```
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, OptionValue, Rule
from otokui.policy.model import Policy

HARD_LIMIT = 5


class ManyRanks(Rule):
    __doc__ = __doc__
    id = "OT802"
    name = "many-ranks"
    level = "warning"
    options: ClassVar[dict[str, OptionValue]] = {"warn_above": 4}

    def check_policy(self, policy: Policy, options: Options) -> Iterable[Hit]:
        count = len(policy.membership.ranks)
        if options.number("warn_above") < count <= HARD_LIMIT:
            yield Hit(
                f"{count} ranks; more than {int(options.number('warn_above'))} is hard for customers to follow",
                "Consider merging two ranks.",
                key=("membership", "ranks"),
            )
