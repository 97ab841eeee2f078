"""In surprise mode, the rank-up mail says the member was selected, not that they reached a target.

## What it does
In `rank_up` emails in surprise mode, requires wording of selection (phrase
list `selected`: 選ばれ, 選出, ご招待, "selected", "chosen", "invited") and
reports wording of achievement (phrase list `reached`: 到達, 達成,
"you reached", "you spent"…).

## Why
Guideline 4: in surprise mode the rank is a thank-you, not a prize for
spending. "You have been selected" keeps it personal.

## Example
Fail (surprise mode, `rank_up`):
```html
<h1>ゴールド会員に到達しました</h1>
```
Pass:
```html
<h1>ゴールド会員に選ばれました</h1>
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule


class RankUpSaysSelected(Rule):
    __doc__ = __doc__
    id = "OT403"
    name = "rank-up-says-selected"
    level = "error"
    surfaces = ("email",)
    kinds = ("rank_up",)
    disclosures = ("surprise",)

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        for match in output.phrases("reached"):
            found = output.text[match.start : match.end]
            yield Hit(
                f"rank-up mail speaks of reaching a target ('{found}') in surprise mode",
                "Say the member has been selected (選ばれました / you have been selected).",
                output.at(match.start),
            )
        if not output.phrases("selected"):
            heading = output.doc.first("h1")
            yield Hit(
                "rank-up mail does not say the member was selected",
                "Say the member has been selected (選ばれました / you have been selected).",
                heading.start if heading else output.start(),
            )
