"""The rank-up mail lists every benefit of the rank it announces.

## What it does
In each `rank_up` variant, looks for the name of every benefit of the
variant's rank (surprise benefits included: they are told to the members who
receive them).

## Why
Guideline 2: the benefits listed are exactly those in the policy. A member who
is told about a new rank should learn everything it brings.

## Example
Fail (rank `gold` has "送料無料" in the policy):
```html
<h2>ゴールド会員の特典</h2><ul><li>ポイント 2%</li></ul>
```
Pass:
```html
<h2>ゴールド会員の特典</h2><ul><li>ポイント 2%</li><li>送料無料</li></ul>
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule
from otokui.lint.rules._base import contains_text


class RankBenefitsListed(Rule):
    __doc__ = __doc__
    id = "OT202"
    name = "rank-benefits-listed"
    level = "error"
    surfaces = ("email",)
    kinds = ("rank_up",)
    needs_policy = True

    def applies(self, output: Output, options: Options) -> bool:
        return bool(output.context and output.context.rank)

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        policy = output.batch.policy
        assert policy is not None and output.context is not None and output.locale
        rank = next((r for r in policy.membership.ranks if r.id == output.context.rank), None)
        if rank is None:
            return
        for benefit_id in rank.benefits:
            benefit = next((b for b in policy.membership.benefits if b.id == benefit_id), None)
            if benefit is None or benefit.name.missing([output.locale]):
                continue
            name = benefit.name.get(output.locale)
            if not contains_text(output.text, name):
                yield Hit(
                    f"benefit '{name}' of rank '{rank.id}' is not listed",
                    "Keep the benefits block in the rank_up email.",
                    output.start(),
                )
