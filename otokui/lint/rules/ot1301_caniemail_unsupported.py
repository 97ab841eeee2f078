"""HTML and CSS features the shop's target email clients do not support.

## What it does
Finds the HTML elements and attributes and the CSS properties, values,
functions, at-rules and media features each email uses (inline styles and
`<style>` elements, but not Outlook-only `<!--[if mso]>` blocks) and looks
them up in the caniemail data for the clients in `checks.clients` (default:
Gmail, Apple Mail, Outlook, Yahoo Mail). A feature whose current support is
"not supported" on some platform of a target client is reported once per
email, at its first use, naming the clients and platforms.

Features that degrade gracefully (listed in the `graceful` option: rounded
corners, media queries, dark-mode styles, the preheader-hiding styles,
accessibility attributes…) are skipped: a client that ignores them still
shows the whole message. Selectors, units and image formats are not checked.

## Why
Guideline 13: an email is read in whatever client the customer uses. A
layout built on `display:flex` falls apart in Outlook for Windows.

## Options
- `graceful` (default: see above): caniemail feature ids (`css-border-radius`…) not reported.

## Example
Fail:
```html
<div style="display:flex;gap:8px"><p>商品A</p><p>商品B</p></div>
```
Pass:
```html
<table role="presentation"><tr><td>商品A</td><td>商品B</td></tr></table>
```
"""

from __future__ import annotations

from otokui.lint.rules._caniemail_rule import CaniemailRule


class CaniemailUnsupported(CaniemailRule):
    __doc__ = __doc__
    id = "OT1301"
    name = "caniemail-unsupported"
    level = "warning"
    flag = "n"
    verb = "not supported"
