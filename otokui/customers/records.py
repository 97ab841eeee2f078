"""One customer's rows, as every reader hands them on: plain frozen data, independent of the export format."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from otokui.policy.model import PaymentMethod, Region


@dataclass(frozen=True)
class Line:
    """One line item of an order."""

    name: str
    quantity: int
    price: int  # unit price, tax included, in the shop's currency


@dataclass(frozen=True)
class Order:
    """One order, with everything the policy's rules look at.

    ``total`` is what the customer paid, tax and shipping included; ``spend``
    (see :mod:`otokui.customers.qualification`) is derived from it.
    """

    id: str
    customer: str  # the customer key: the member id, else the e-mail address in lower case
    email: str
    name: str
    placed: dt.date
    total: int
    tax: int = 0
    shipping_fee: int = 0
    payment_method: PaymentMethod = "credit_card"
    region: Region = "mainland"
    tags: tuple[str, ...] = ()
    pre_order: bool = False
    paid: dt.date | None = None
    shipped: dt.date | None = None
    delivered: dt.date | None = None
    desired_delivery: dt.date | None = None
    cancelled: bool = False
    tracking_url: str = ""
    locale: str = ""
    lines: tuple[Line, ...] = ()
    member: bool | None = None  # None: the export does not say
    birthday: dt.date | None = None
    purchase_count: int | None = None  # the cart's own count of the customer's orders, where it has one
    source_line: int = 0


@dataclass(frozen=True)
class Customer:
    """A customer from a customer export (or known from their orders alone)."""

    key: str
    email: str = ""
    name: str = ""
    member: bool = False
    birthday: dt.date | None = None
    purchase_count: int | None = None  # the cart's count of all this customer's orders
    locale: str = ""


@dataclass(frozen=True)
class RowError:
    """A row that could not be read: ``orders.csv:12: 合計: 'abc' is not an amount``."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


@dataclass
class Rows:
    """One customer's rows: their customer record (if any) and their orders, oldest first."""

    customer: Customer
    orders: list[Order] = field(default_factory=list)
