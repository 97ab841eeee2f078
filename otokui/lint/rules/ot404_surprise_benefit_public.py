"""Surprise benefits and hidden ranks never appear on public pages.

## What it does
On member pages, looks for the name of every benefit marked `surprise: true`
and of every rank marked `hidden: true` in the policy.

## Why
Guideline 4: a surprise benefit is told only to the members who receive it;
listing it publicly spoils it for them and disappoints everyone else.

## Example
Fail (benefit "カッピング会へのご招待" is `surprise: true`):
```html
<li>カッピング会へのご招待</li>
```
Pass:
```html
<li>送料無料</li>
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule
from otokui.lint.rules._base import squash


class SurpriseBenefitPublic(Rule):
    __doc__ = __doc__
    id = "OT404"
    name = "surprise-benefit-public"
    level = "error"
    surfaces = ("page",)
    needs_policy = True
    needs_locale = True

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        policy = output.batch.policy
        assert policy is not None and output.locale
        secrets: list[tuple[str, str]] = []
        for benefit in policy.membership.benefits:
            if benefit.surprise and not benefit.name.missing([output.locale]):
                secrets.append((f"surprise benefit '{benefit.id}'", benefit.name.get(output.locale)))
        for rank in policy.membership.ranks:
            if rank.hidden and not rank.name.missing([output.locale]):
                secrets.append((f"hidden rank '{rank.id}'", rank.name.get(output.locale)))
        text = output.text.casefold()
        for label, name in secrets:
            index = text.find(name.strip().casefold())
            if index >= 0:
                offset = output.at(index)
            elif squash(name).casefold() in squash(text):
                offset = output.start()
            else:
                continue
            yield Hit(
                f"{label} ('{name}') appears on a public page",
                "Surprise benefits and hidden ranks are told only to the members who get them.",
                offset,
            )
