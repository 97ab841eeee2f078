"""Every email has a preheader.

## What it does
Requires a preheader: a hidden element at the very start of `<body>`
(`display:none`) with text in it. When the build recorded the intended
preheader (the manifest's `preheader`), that text must be the one shown.
Placeholder text left in it ("Preheader text", "Preview text here",
「プリヘッダーを入力」, lorem ipsum) is reported, and so is a preheader element
(`class` or `id` naming it) left visible in the body.

## Why
Guideline 10: inboxes show the preheader next to the subject. Without one they
show whatever text comes first, often "View in browser" or the logo's alt.

## Example
Fail:
```html
<body><table role="presentation"><tr><td>ご注文ありがとうございます。</td></tr></table></body>
```
Pass:
```html
<body><div style="display:none;max-height:0;overflow:hidden;">ご注文内容のご案内です。</div>
<table role="presentation"><tr><td>ご注文ありがとうございます。</td></tr></table></body>
```
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule
from otokui.lint.rules._base import contains_text

_PLACEHOLDER = re.compile(
    r"\bpre-?header\b|\bpreview text\b|\blorem ipsum\b|\byour (?:preview|summary) (?:text )?here\b"
    r"|プリヘッダー|プレヘッダー|プレビューテキスト|ここに.{0,12}(?:入力|入れ)",
    re.IGNORECASE,
)
_HINT = "Write a one-line summary of the email (emails.<kind>.preheader)."


class Preheader(Rule):
    __doc__ = __doc__
    id = "OT1004"
    name = "preheader"
    level = "error"
    surfaces = ("email",)

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        doc = output.doc
        element = doc.preheader
        text = doc.text_of(element) if element else ""
        if element is None or not text:
            yield Hit(
                "no preheader",
                "Start <body> with a hidden element holding a one-line summary (mj-preview in MJML).",
                doc.body_offset(),
            )
            return
        if _PLACEHOLDER.search(text):
            yield Hit(f"the preheader is placeholder text: '{text[:40]}'", _HINT, element.start)
        wanted = output.artifact.extra.get("preheader", "").strip()
        if wanted and not contains_text(text, wanted):
            yield Hit(f"the preheader shows '{text[:40]}', not '{wanted}'", "", element.start)
        for other in doc.elements:
            marker = f"{other.get('class') or ''} {other.get('id') or ''}".lower()
            if other is element or other.hidden or other.in_head or "preheader" not in marker:
                continue
            shown = doc.text_of(other)
            if shown:
                yield Hit(
                    f"a preheader element is visible in the body: '{shown[:40]}'",
                    "Hide it (display:none; max-height:0; overflow:hidden) or remove it.",
                    other.start,
                )
