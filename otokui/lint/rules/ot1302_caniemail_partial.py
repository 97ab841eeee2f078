"""HTML and CSS features the shop's target email clients support only in part (off by default).

## What it does
Like OT1301, for features whose current support is "partial" on some
platform of a target client; the hint carries caniemail's notes on what is
missing. Off by default: partial support is common and usually harmless;
turn it on with `checks.rules.OT1302.level: info` when reviewing a template.

## Why
Guideline 13: partial support hides surprises, such as Gmail ignoring a
`<style>` element with one unsupported rule in it.

## Options
- `graceful` (default: as OT1301): caniemail feature ids not reported.

## Example
Fail:
```html
<p style="background-image:linear-gradient(#fff,#eee)">セール</p>
```
Pass:
```html
<p style="background-color:#ffffff">セール</p>
```
"""

from __future__ import annotations

from otokui.lint.rules._caniemail_rule import CaniemailRule


class CaniemailPartial(CaniemailRule):
    __doc__ = __doc__
    id = "OT1302"
    name = "caniemail-partial"
    level = "off"
    flag = "a"
    verb = "only partly supported"
