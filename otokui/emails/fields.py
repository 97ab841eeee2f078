"""Per-order and per-customer data: the fields an email carries, and their values.

Policy text (subjects, tier messages, notices…) is the same for every
customer and is rendered literally. What differs per order is a *field*:
it has a dotted name (``customer.name``, ``order.total``, ``line.name``
inside the ``order.lines`` loop), a kind, and is defined here once.

When a variant is compiled, each field is written as an inert ASCII token
(:func:`token`) that MRML, css-inline, premailer and the plain-text writer
pass through unchanged: letters, digits and underscores only, no spaces, no
``{``, ``<``, ``&`` or ``%``. After compiling, tokens become a real
customer's values (:mod:`otokui.emails.fill`), the sample customer's, or a
target platform's merge fields (:mod:`otokui.export`).

Kinds:

- ``text``: free text (a name, an order number), escaped where it lands;
- ``number``: an integer written in digits;
- ``money``: an amount, formatted in the shop's currency for the locale;
- ``date``: a date, written long-form for the locale;
- ``url``: a link target (``http``/``https`` only);
- ``choice``: one of a fixed set of ids, written as its label (payment method, region);
- ``flag``: true or false, written as a fixed label when true (or nothing: a marker of the parts it keeps);
- ``loop``: a list; the fields named ``line.*`` repeat once per entry.

An *optional* field may be empty; the element that holds it (its paragraph,
its line in the plain text) is then left out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["text", "number", "money", "date", "url", "choice", "flag", "loop"]


@dataclass(frozen=True)
class Field:
    """One per-order value an email can carry."""

    name: str
    kind: Kind
    doc: str
    optional: bool = False
    loop: str | None = None  # the loop field this one repeats in (``order.lines`` for ``line.*``)
    labels: str = ""  # for choice and flag: the label key, with ``{}`` standing for the value

    @property
    def token(self) -> str:
        return token(self.name)


FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("customer.name", "text", "The customer's name as the shop addresses them."),
        Field("order.id", "text", "The order number customers see."),
        Field("order.lines", "loop", "The order's lines, in order."),
        Field("line.name", "text", "A line's product name (and variant).", loop="order.lines"),
        Field("line.quantity", "number", "How many of the product were ordered.", loop="order.lines"),
        Field("line.total", "money", "The line's price: unit price times quantity.", loop="order.lines"),
        Field("order.subtotal", "money", "The sum of the lines."),
        Field("order.shipping", "money", "The shipping fee."),
        Field("order.total", "money", "What the customer pays: lines plus shipping, tax included."),
        Field("order.payment_method", "choice", "How the customer pays.", labels="pm_{}"),
        Field(
            "order.payment_note",
            "choice",
            "What the payment method means for shipping (nothing for card payments).",
            optional=True,
            labels="pay_note_{}",
        ),
        Field("order.estimated_delivery", "date", "When the order is expected to arrive, if known.", optional=True),
        Field("order.region", "choice", "The delivery area of the shipping address.", labels="region_{}"),
        Field(
            "order.desired_days",
            "number",
            "The delivery the customer asked for, in days from ordering, if they asked.",
            optional=True,
        ),
        Field(
            "order.pre_order", "flag", "Whether the order has pre-order items.", optional=True, labels="pre_order_note"
        ),
        Field("order.tracking_url", "url", "The carrier's tracking page for the parcel."),
        Field("order.tracking_number", "text", "The parcel's tracking number, if known.", optional=True),
        Field("order.carrier", "text", "The carrier delivering the parcel, if known.", optional=True),
        Field(
            "order.payment_deadline",
            "date",
            "When a bank transfer is due (a date, or text as the shop writes it).",
            optional=True,
        ),
        Field("order.coupon_code", "text", "The code of the coupon the mail hands over, if any.", optional=True),
        Field(
            "order.bank_transfer",
            "flag",
            "Whether the order is paid by bank transfer: the account and the deadline are shown (writes nothing).",
            optional=True,
        ),
    )
}

_TOKEN_PREFIX, _TOKEN_SUFFIX = "OTK", "KTO"
#: Matches every token; group 1 is the field name with dots as double underscores.
TOKEN_RE = re.compile(_TOKEN_PREFIX + r"([a-z][a-z0-9_]*?)" + _TOKEN_SUFFIX)


def token(name: str) -> str:
    """The inert token standing for field ``name``: ``customer.name`` → ``OTKcustomer__nameKTO``."""
    return f"{_TOKEN_PREFIX}{name.replace('.', '__')}{_TOKEN_SUFFIX}"


def field_of(match: re.Match[str]) -> Field:
    """The field a :data:`TOKEN_RE` match stands for."""
    return FIELDS[match.group(1).replace("__", ".")]


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class LineValues:
    """One line of a real order."""

    name: str
    quantity: int
    unit_price: float
    tags: tuple[str, ...] = ()

    @property
    def total(self) -> float:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class OrderValues:
    """One real customer and order: everything a compiled email needs to be sent.

    ``payment_method`` and ``region`` are the policy's ids (``bank_transfer``,
    ``okinawa``); ``tags`` are the order's cart tags.
    """

    customer_name: str
    order_id: str
    lines: tuple[LineValues, ...]
    shipping_fee: float = 0
    payment_method: str = "credit_card"
    region: str = "mainland"
    desired_delivery_within_days: int | None = None
    pre_order: bool = False
    estimated_delivery: dt.date | str | None = None  # a date, or text as the shop writes it
    tracking_url: str = ""
    tracking_number: str = ""
    carrier: str = ""
    payment_deadline: dt.date | str | None = None
    coupon_code: str = ""
    tags: tuple[str, ...] = field(default=())

    @property
    def subtotal(self) -> float:
        return sum(line.total for line in self.lines)

    @property
    def total(self) -> float:
        return self.subtotal + self.shipping_fee


_ORDER_GETTERS: dict[str, Callable[[OrderValues], object]] = {
    "customer.name": lambda v: v.customer_name,
    "order.id": lambda v: v.order_id,
    "order.subtotal": lambda v: v.subtotal,
    "order.shipping": lambda v: v.shipping_fee,
    "order.total": lambda v: v.total,
    "order.payment_method": lambda v: v.payment_method,
    "order.payment_note": lambda v: v.payment_method,
    "order.estimated_delivery": lambda v: v.estimated_delivery,
    "order.region": lambda v: v.region,
    "order.desired_days": lambda v: v.desired_delivery_within_days,
    "order.pre_order": lambda v: v.pre_order or None,
    "order.tracking_url": lambda v: v.tracking_url or None,
    "order.tracking_number": lambda v: v.tracking_number or None,
    "order.carrier": lambda v: v.carrier or None,
    "order.payment_deadline": lambda v: v.payment_deadline or None,
    "order.coupon_code": lambda v: v.coupon_code or None,
    "order.bank_transfer": lambda v: v.payment_method == "bank_transfer" or None,
}
_LINE_GETTERS: dict[str, Callable[[LineValues], object]] = {
    "line.name": lambda line: line.name,
    "line.quantity": lambda line: line.quantity,
    "line.total": lambda line: line.total,
}


def raw_value(name: str, values: OrderValues, line: LineValues | None = None) -> object:
    """The value of field ``name`` for ``values`` (``line`` for the ``line.*`` fields); None when empty."""
    if line is not None and name in _LINE_GETTERS:
        return _LINE_GETTERS[name](line)
    return _ORDER_GETTERS[name](values)


#: The fields that repeat once per order line.
LINE_FIELDS = frozenset(_LINE_GETTERS)
