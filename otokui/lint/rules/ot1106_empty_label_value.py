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
from functools import lru_cache

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
            alone = _alone(line)
            if alone is not None and (following is None or _starts_with_label(following)):
                label, start = alone
                yield Hit(f"'{label}' has no value after it", _HINT, output.at(position + start))
            for label, start in _same_line(line):
                yield Hit(f"'{label}' has no value after it", _HINT, output.at(position + start))
            position += len(line) + 1


# Each is decided once per distinct line: the emails of a build share most of theirs.
@lru_cache(maxsize=8192)
def _alone(line: str) -> tuple[str, int] | None:
    """The label (stripped) and its index, when ``line`` is a label alone (not a URL scheme)."""
    alone = _ALONE.match(line)
    if alone is None or _URL_SCHEME.search(alone.group(1)):
        return None
    return alone.group(1).strip(), alone.start(1)


@lru_cache(maxsize=8192)
def _starts_with_label(line: str) -> bool:
    return _STARTS_WITH_LABEL.match(line) is not None


@lru_cache(maxsize=8192)
def _same_line(line: str) -> tuple[tuple[str, int], ...]:
    """Labels (stripped) directly followed by another label on ``line``, with their indexes."""
    return tuple(
        (match.group(1).strip(), match.start(1))
        for match in _SAME_LINE.finditer(line)
        if not _URL_SCHEME.search(match.group(1))
    )
