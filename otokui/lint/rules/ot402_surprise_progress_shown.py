"""In surprise mode, no output counts down to the next rank.

## What it does
When the disclosure mode is `surprise`, looks for progress wording (phrase
list `progress`: あと#, 次のランクまで, ランクアップまで, "# more to",
"to the next rank"…; `#` is any number) in every email, page and snippet.

## Why
Guideline 4: surprise ranks stay a surprise, and "only ¥3,000 more to Gold"
is a nudge to spend, which is the opposite of a surprise.

## Example
Fail (surprise mode):
```html
<p>ゴールド会員まで、あと3,000円です。</p>
```
Pass:
```html
<p>これからも、心を込めてお届けします。</p>
```
"""

from __future__ import annotations

from otokui.lint.rules._base import PhraseRule


class SurpriseProgressShown(PhraseRule):
    __doc__ = __doc__
    id = "OT402"
    name = "surprise-progress-shown"
    level = "error"
    phrase_list = "progress"
    message = "counts down to the next rank in surprise mode: '{phrase}'"
    hint = "Leave progress out; in surprise mode members are selected, not counting up."
    disclosures = ("surprise",)
