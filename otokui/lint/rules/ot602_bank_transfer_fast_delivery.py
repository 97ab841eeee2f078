"""A shop that takes bank transfers and delivers fast has a notice about paying in time.

## What it does
When `shop.payment_methods` includes `bank_transfer` and the shop delivers
within `fast_days` days (`shop.delivery.fastest_days`) or lets customers pick a
delivery date, requires a notice whose conditions name `bank_transfer` and
which shows in the order confirmation or at checkout.

## Why
Guideline 6: orders paid by bank transfer ship only once the money arrives. A
customer who asked for delivery in two days and pays on Friday evening will be
disappointed unless someone told them.

## Options
- `fast_days` (default `3`): deliveries this fast (in days) or faster count as fast.

## Example
Fail:
```yaml
shop: {payment_methods: [credit_card, bank_transfer], delivery: {fastest_days: 2}}
notices: []
```
Pass:
```yaml
notices:
  - id: bank_transfer_fast
    when: {all: [{payment_method: [bank_transfer]}, {desired_delivery_within_days: 3}]}
    show_in: [order_confirmation, checkout]
```
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, OptionValue, Rule
from otokui.policy.model import Policy


class BankTransferFastDelivery(Rule):
    __doc__ = __doc__
    id = "OT602"
    name = "bank-transfer-fast-delivery"
    level = "error"
    options: ClassVar[dict[str, OptionValue]] = {"fast_days": 3}

    def check_policy(self, policy: Policy, options: Options) -> Iterable[Hit]:
        shop = policy.shop
        if "bank_transfer" not in shop.payment_methods:
            return
        if shop.delivery.fastest_days > options.number("fast_days") and not shop.delivery.desired_date:
            return
        for notice in policy.notices:
            conditions = [*(notice.when.all or []), *(notice.when.any or [])]
            names_it = any(c.payment_method and "bank_transfer" in c.payment_method for c in conditions)
            if names_it and {"order_confirmation", "checkout"} & set(notice.show_in):
                return
        yield Hit(
            "bank transfer and fast delivery are both offered, but no notice tells customers to pay in time",
            "Add a notice with when: {all: [{payment_method: [bank_transfer]}, {desired_delivery_within_days: 3}]}"
            " shown in order_confirmation and checkout.",
            key=("shop", "payment_methods"),
        )
