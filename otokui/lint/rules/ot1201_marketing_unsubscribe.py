"""Marketing emails carry an unsubscribe link.

## What it does
In emails of category `marketing`, requires a link to the policy's
`legal.unsubscribe_url`, or a link whose text is an unsubscribe phrase
(phrase list `unsubscribe`: 配信停止, メール設定, "unsubscribe",
"email preferences"…).

## Why
Guideline 12: Japan's Act on Specified Electronic Mail, CAN-SPAM and the GDPR
all require a working way to opt out of marketing mail, and a visible one
keeps customers from pressing "report spam" instead.

## Example
Fail (a `marketing` email):
```html
<p>お誕生日おめでとうございます。</p>
```
Pass:
```html
<p><a href="https://shop.example.jp/account/email-preferences">配信停止・メール設定</a></p>
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule


class MarketingUnsubscribe(Rule):
    __doc__ = __doc__
    id = "OT1201"
    name = "marketing-unsubscribe"
    level = "error"
    surfaces = ("email",)
    categories = ("marketing",)

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        policy = output.batch.policy
        url = str(policy.legal.unsubscribe_url) if policy and policy.legal.unsubscribe_url else None
        book = output.batch.phrasebook
        for link in output.doc.find("a"):
            href = (link.get("href") or "").strip()
            if url and href.rstrip("/") == url.rstrip("/"):
                return
            if href and book.contains("unsubscribe", output.locale, output.doc.text_of(link)):
                return
        yield Hit(
            "marketing email without an unsubscribe link",
            "Set legal.unsubscribe_url and keep the footer in the email.",
            output.doc.body_offset(),
        )
