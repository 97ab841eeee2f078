"""A shop that takes bank transfers says where to pay: it has a bank account in the policy.

## What it does
When `shop.payment_methods` includes `bank_transfer`, requires `shop.bank_account`
(bank, branch, account type and number, holder, `deadline_days`).

## Why
Guideline 6: an order paid by bank transfer ships only once the money arrives.
The order mail of every such order prints the account and the day the transfer
is due; without an account the customer is left asking where to pay, and the
parcel waits.

## Example
Fail:
```yaml
shop:
  payment_methods: [credit_card, bank_transfer]
```
Pass:
```yaml
shop:
  payment_methods: [credit_card, bank_transfer]
  bank_account:
    bank: {ja: みずほ銀行, en: Mizuho Bank}
    branch: {ja: 渋谷支店（店番号 123）, en: "Shibuya branch (123)"}
    number: "1234567"
    holder: {ja: カ）コモレビ, en: "KOMOREBI CO., LTD."}
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, Rule
from otokui.policy.model import Policy


class BankTransferAccount(Rule):
    __doc__ = __doc__
    id = "OT603"
    name = "bank-transfer-account"
    level = "error"

    def check_policy(self, policy: Policy, options: Options) -> Iterable[Hit]:
        shop = policy.shop
        if "bank_transfer" in shop.payment_methods and shop.bank_account is None:
            yield Hit(
                "bank_transfer is a payment method, but the policy has no bank account to pay into",
                "Add shop.bank_account (bank, branch, number, holder): the order mail tells customers where to pay"
                " and by when.",
                key=("shop", "payment_methods", shop.payment_methods.index("bank_transfer")),
            )
