"""Every thank-you mail links to the policy's review and survey pages.

## What it does
In each `thanks_review` email, looks for a link (`<a href>`) to
`emails.thanks_review.review_url` and one to `survey_url` (a link may add a
query string or fragment).

## Why
Guideline 7: the thank-you mail asks for a review and for feedback; a missing
or mistyped link wastes the one moment customers are most willing to answer.

## Example
Fail (policy `review_url: https://shop.example.jp/reviews/new`):
```html
<p>よろしければレビューをお寄せください。</p>
```
Pass:
```html
<p><a href="https://shop.example.jp/reviews/new">レビューを書く</a></p>
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Output, Rule


def _links_to(hrefs: list[str], url: str) -> bool:
    base = url.rstrip("/")
    return any(h.rstrip("/") == base or h.startswith((url + "?", url + "#", base + "?", base + "#")) for h in hrefs)


class ThanksReviewLinks(Rule):
    __doc__ = __doc__
    id = "OT702"
    name = "thanks-review-links"
    level = "error"
    surfaces = ("email",)
    kinds = ("thanks_review",)
    needs_policy = True

    def applies(self, output: Output, options: Options) -> bool:
        policy = output.batch.policy
        return policy is not None and policy.emails.thanks_review is not None

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        policy = output.batch.policy
        assert policy is not None and policy.emails.thanks_review is not None
        email = policy.emails.thanks_review
        hrefs = [(a.get("href") or "").strip() for a in output.doc.find("a")]
        for label, url in (("review", email.review_url), ("survey", email.survey_url)):
            if url is not None and not _links_to(hrefs, str(url)):
                yield Hit(f"no link to the {label} page ({url})", "Keep the review_links block.", output.start())
