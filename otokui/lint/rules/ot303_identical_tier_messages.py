"""Two purchase-count tiers never carry the same message.

## What it does
Compares email variants that differ only by tier (same kind, locale, rank,
notices and membership): if two of them show exactly the same visible text,
the later one is reported. In the policy, reports a tier whose `thanks` text
is the same as an earlier tier's, in any locale.

## Why
Guideline 3: wording fits the purchase count. Tiers exist so that a first
order and a tenth one are thanked differently; identical texts mean the tier
is doing nothing.

## Example
Fail (tiers `first` and `repeat` render the same thank-you mail):
```html
<p>ご注文ありがとうございます。</p>
```
Pass (each tier has its own line):
```html
<p>初めてのご注文、ありがとうございます。</p>
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Batch, Options, Rule, Summary
from otokui.lint.rules._base import squash
from otokui.policy.model import Policy


def _group(output: Summary) -> tuple[object, ...] | None:
    context = output.context
    if context is None or context.tier is None:
        return None
    rest = tuple(part for part in (context.variant or "").split("--") if part and part != context.tier)
    return (context.kind, context.locale, context.rank, context.notices, rest)


class IdenticalTierMessages(Rule):
    __doc__ = __doc__
    id = "OT303"
    name = "identical-tier-messages"
    level = "error"

    def check_batch(self, batch: Batch, options: Options) -> Iterable[Hit]:
        seen: dict[tuple[object, ...], dict[str, Summary]] = {}
        for output in batch.html(surface="email"):
            key = _group(output)
            if key is None or output.tier is None:
                continue
            by_text = seen.setdefault(key, {})
            text = squash(output.text)
            earlier = by_text.get(text)
            if earlier is not None and earlier.tier != output.tier:
                yield Hit(
                    f"tier '{output.tier}' shows exactly the same text as tier '{earlier.tier}' ({earlier.path})",
                    "Give each purchase-count tier its own greeting and thanks in wording.purchase_count_tiers.",
                    output.start(),
                    path=output.path,
                )
            by_text.setdefault(text, output)

    def check_policy(self, policy: Policy, options: Options) -> Iterable[Hit]:
        tiers = policy.wording.purchase_count_tiers
        for locale in policy.shop.locales:
            seen: dict[str, str] = {}
            for index, tier in enumerate(tiers):
                if tier.thanks.missing([locale]):
                    continue
                text = squash(tier.thanks.get(locale))
                if text in seen:
                    yield Hit(
                        f"tier '{tier.id}' has the same {locale} thanks as tier '{seen[text]}'",
                        "Write a thanks line that fits this purchase count.",
                        key=("wording", "purchase_count_tiers", index, "thanks", locale),
                    )
                else:
                    seen[text] = tier.id
