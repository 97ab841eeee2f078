"""Opt-in checkboxes are never ticked in advance.

## What it does
Reports every `<input type="checkbox" checked>`.

## Why
Guideline 1: consent (newsletter, account creation, marketing) must be given,
not assumed. A box ticked in advance is not consent, and the policy's
`legal.consent_default` is always `unchecked`.

## Example
Fail:
```html
<label><input type="checkbox" name="newsletter" checked> メールマガジンを受け取る</label>
```
Pass:
```html
<label><input type="checkbox" name="newsletter"> メールマガジンを受け取る</label>
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule


class PreTickedOptIn(Rule):
    __doc__ = __doc__
    id = "OT103"
    name = "pre-ticked-opt-in"
    level = "error"

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        for element in output.doc.find("input"):
            if (element.get("type") or "").lower() == "checkbox" and element.has("checked"):
                label = element.get("name") or element.get("id") or "checkbox"
                yield Hit(
                    f"checkbox '{label}' is ticked in advance",
                    "Remove the checked attribute: the customer ticks it if they want it.",
                    element.attr_offset(output.source, "checked"),
                )
