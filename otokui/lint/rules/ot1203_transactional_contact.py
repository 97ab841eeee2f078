"""Transactional emails tell the customer how to reach the shop.

## What it does
In emails of category `transactional`, requires at least one of the shop's
contacts from the policy (`shop.contact.email`, `phone` or `inquiry_url`) in
the visible text or as a link. Without a policy (`check --input` with no
`--policy`) the rule asks for one instead of guessing what the shop's contact is.

## Why
Guideline 12: a customer with a question about an order needs to know where to
ask, right in the mail about that order.

## Example
Fail (a `transactional` email):
```html
<p>商品を発送しました。</p>
```
Pass:
```html
<p>ご不明な点は <a href="mailto:support@shop.example.jp">support@shop.example.jp</a> まで。</p>
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule


class TransactionalContact(Rule):
    __doc__ = __doc__
    id = "OT1203"
    name = "transactional-contact"
    level = "error"
    surfaces = ("email",)
    categories = ("transactional",)
    needs_policy = True

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        hrefs = [(a.get("href") or "").strip() for a in output.doc.find("a")]
        policy = output.batch.policy
        assert policy is not None
        contact = policy.shop.contact
        wanted = [c for c in (contact.email, contact.phone, contact.inquiry_url and str(contact.inquiry_url)) if c]
        found = any(c in output.text or any(c.rstrip("/") in h for h in hrefs) for c in wanted)
        if not found:
            yield Hit(
                "transactional email gives no way to contact the shop",
                "Keep the contact block: shop.contact email, phone or inquiry_url.",
                output.start(),
            )
