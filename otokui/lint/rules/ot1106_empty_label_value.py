"""No label is left without its value.

## What it does
Looks in the visible text for a label followed by nothing: a short label
ending in a colon (`お問い合わせ：`, `電話:`, `Contact:`) alone in a block when
the next block starts with another label or there is none, or directly followed by
another label on the same line (`電話：　メール：info@…`). A label whose value
is in the next cell or paragraph (a two-column table) is fine.

## Why
Guideline 11: 「お問い合わせ：」 with nothing after it means a value was missing
from the policy or the data when the email was built; the customer is left
with a promise of a phone number and no number.

## Example
Fail:
```html
<p>お問い合わせ：</p><p>営業時間：平日10時〜17時</p>
```
Pass:
```html
<p>お問い合わせ：hello@example.jp</p><p>営業時間：平日10時〜17時</p>
```
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule

# A label: up to 20 characters without sentence punctuation, not ending in a digit (10:00 is a time), then a colon.
_LABEL = r"[^\s\d:：。.!?！？、,](?:[^:：。.!?！？\n]{0,18}[^\s\d:：。.!?！？、,])?[:：]"
_ALONE = re.compile(rf"^\s*({_LABEL})\s*$")
_STARTS_WITH_LABEL = re.compile(rf"^\s*{_LABEL}")
_SAME_LINE = re.compile(rf"({_LABEL})[ \u3000\t]*(?={_LABEL}(?:[ \u3000]|\S))")
_URL_SCHEME = re.compile(r"(?:https?|mailto|tel)[:：]$", re.IGNORECASE)
_HINT = "Fill in the value (rules.yaml or the template), or drop the label."


class EmptyLabelValue(Rule):
    __doc__ = __doc__
    id = "OT1106"
    name = "empty-label-value"
    level = "error"

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        text = output.text
        lines = text.split("\n")
        following_of: list[str | None] = [None] * len(lines)  # the next non-empty line after each line
        upcoming: str | None = None
        for number in range(len(lines) - 1, -1, -1):
            following_of[number] = upcoming
            if lines[number].strip():
                upcoming = lines[number]
        position = 0
        for number, line in enumerate(lines):
            following = following_of[number]
            alone = _ALONE.match(line)
            if (
                alone
                and not _URL_SCHEME.search(alone.group(1))
                and (following is None or _STARTS_WITH_LABEL.match(following))
            ):
                yield Hit(
                    f"'{alone.group(1).strip()}' has no value after it", _HINT, output.at(position + alone.start(1))
                )
            for match in _SAME_LINE.finditer(line):
                if not _URL_SCHEME.search(match.group(1)):
                    yield Hit(
                        f"'{match.group(1).strip()}' has no value after it", _HINT, output.at(position + match.start(1))
                    )
            position += len(line) + 1
