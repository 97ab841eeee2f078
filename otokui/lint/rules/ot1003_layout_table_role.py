"""Layout tables in emails say they are for layout.

## What it does
Reports each `<table>` in an email without `role="presentation"`, unless it is
a data table (it has `<th>` or `<caption>` inside).

## Why
Guideline 10: emails are laid out with tables; without
`role="presentation"`, screen readers announce every one of them ("table with
3 rows and 1 column") before reading a word of the message.

## Example
Fail:
```html
<table width="100%"><tr><td>ご注文ありがとうございます。</td></tr></table>
```
Pass:
```html
<table role="presentation" width="100%"><tr><td>ご注文ありがとうございます。</td></tr></table>
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule


class LayoutTableRole(Rule):
    __doc__ = __doc__
    id = "OT1003"
    name = "layout-table-role"
    level = "error"
    surfaces = ("email",)

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        doc = output.doc
        data_tables: set[int] = set()
        for cell in doc.find("th", "caption"):
            for ancestor in doc.ancestors(cell):
                if ancestor.tag == "table":
                    data_tables.add(ancestor.index)
                    break
        for table in doc.find("table"):
            if table.index in data_tables:
                continue
            if (table.get("role") or "").strip().lower() not in ("presentation", "none"):
                yield Hit(
                    'layout table without role="presentation"',
                    'Add role="presentation" (or use <th> if it really holds data).',
                    table.start,
                )
