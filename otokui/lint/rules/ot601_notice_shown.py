"""Every caution notice shows, word for word, in each place it names.

## What it does
- Each email or snippet whose context lists a notice id must show that
  notice's `message` (whitespace aside).
- For each notice and each email kind in its `show_in`, at least one built
  variant of that kind (in each locale built) must carry it.
- A notice shown at `checkout` must have its snippet
  `snippets/notices/<id>.<locale>.html` (when snippets were built), and one
  shown on the `page` must be on the `notices` page of each locale (when the
  site was built).

## Why
Guideline 6: caution notices reach their customers. A notice about bank
transfer and fast delivery only helps if it is in the confirmation of the
orders it is about.

## Example
Fail (the context lists notice `remote_island`; its message is missing):
```html
<p>ご注文ありがとうございます。</p>
```
Pass:
```html
<p>離島・沖縄へのお届けは、通常より2〜4日ほど余分にかかります。</p>
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Batch, Options, Output, Rule, Summary
from otokui.lint.rules._base import contains_text
from otokui.policy.model import Notice

EMAIL_PLACES = ("order_confirmation", "payment_received", "shipped")


class NoticeShown(Rule):
    __doc__ = __doc__
    id = "OT601"
    name = "notice-shown"
    level = "error"
    surfaces = ("email", "snippet")
    needs_policy = True
    needs_locale = True

    def applies(self, output: Output, options: Options) -> bool:
        return bool(output.context and output.context.notices)

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        policy = output.batch.policy
        assert policy is not None and output.context is not None and output.locale
        notices = {notice.id: notice for notice in policy.notices}
        for notice_id in output.context.notices:
            notice = notices.get(notice_id)
            if notice is None:
                yield Hit(f"notice '{notice_id}' is not in the policy", "", output.start())
            elif not notice.message.missing([output.locale]) and not contains_text(
                output.text, notice.message.get(output.locale)
            ):
                yield Hit(
                    f"notice '{notice_id}' should show here, but its message is missing",
                    "Keep the notices block in this email's blocks.",
                    output.start(),
                )

    def check_batch(self, batch: Batch, options: Options) -> Iterable[Hit]:
        policy = batch.policy
        if policy is None:
            return
        emails = batch.html(surface="email")
        snippets = batch.html(surface="snippet")
        pages = batch.html(surface="page", kind="notices")
        carried = _carried(emails)
        for index, notice in enumerate(policy.notices):
            key = ("notices", index, "show_in")
            for place in notice.show_in:
                if place in EMAIL_PLACES:
                    yield from self._in_emails(notice, place, carried, key)
                elif place == "checkout" and snippets:
                    for locale in policy.shop.locales:
                        path = f"snippets/notices/{notice.id}.{locale}.html"
                        if path not in batch.by_path:
                            yield Hit(f"notice '{notice.id}' has no checkout snippet {path}", "", key=key)
                elif place == "page":
                    for page in pages:
                        if not page.locale or notice.message.missing([page.locale]):
                            continue
                        if not contains_text(page.text, notice.message.get(page.locale)):
                            message = f"notice '{notice.id}' is missing from the notices page"
                            yield Hit(message, "", page.start(), path=page.path)

    def _in_emails(
        self, notice: Notice, kind: str, carried: dict[str, dict[str, set[str]]], key: tuple[str | int, ...]
    ) -> Iterable[Hit]:
        for locale, notices in sorted(carried.get(kind, {}).items()):
            if notice.id not in notices:
                yield Hit(f"no {locale} {kind} email shows notice '{notice.id}'", "", key=key)


def _carried(emails: list[Summary]) -> dict[str, dict[str, set[str]]]:
    """The notices the emails built carry, by kind and locale (every kind and locale built, even with none)."""
    carried: dict[str, dict[str, set[str]]] = {}
    for output in emails:
        if output.context is not None and output.kind is not None and output.locale:
            carried.setdefault(output.kind, {}).setdefault(output.locale, set()).update(output.context.notices)
    return carried
