"""Orders shaped like each platform's objects, and what otokui's own render says for them.

``case(policy, variant, target)`` gives the platform data that selects
``variant`` (purchase count, rank tag, account, an order meeting its notices in
the platform's own terms) and the :class:`OrderValues` otokui fills the same
variant with: the fields the platform has no variable for are left empty on
both sides.
"""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from html import unescape
from html.parser import HTMLParser
from typing import Any

from otokui.emails.fields import LineValues, OrderValues
from otokui.emails.variants import Variant
from otokui.policy.model import Policy

NASTY = '<script>alert("x")</script> & {{ 7*7 }} {% raw %}'


def names(policy: Policy, variant: Variant, hostile: bool) -> tuple[str, str]:
    """(family name, given name) of the sample customer: split at the first space."""
    full = NASTY if hostile else policy.samples.customer.name.get(variant.locale)
    if hostile:
        return NASTY, "X"
    first, _, second = full.partition(" ")
    return (first, second) if variant.locale == "ja" else (second, first)


def _tags_for_notices(policy: Policy, variant: Variant) -> list[str]:
    tags = []
    for notice in policy.notices:
        if notice.id in variant.notices:
            for condition in [*(notice.when.all or []), *(notice.when.any or [])]:
                if condition.cart_tag:
                    tags.append(condition.cart_tag[0])
                    break
    return tags


def values(policy: Policy, variant: Variant, hostile: bool = False, **empty: Any) -> OrderValues:
    """What otokui fills ``variant`` with for this test customer (``empty``: fields the platform lacks)."""
    order, locale = variant.order, variant.locale
    family, given = names(policy, variant, hostile)
    name = f"{family} {given}" if locale == "ja" else f"{given} {family}"
    base = OrderValues(
        customer_name=name,
        order_id="#1001",
        lines=tuple(LineValues(i.name.get(locale), i.quantity, i.price) for i in order.items),
        shipping_fee=order.shipping_fee,
        payment_method=order.payment_method,
        region=order.region,
        desired_delivery_within_days=order.desired_delivery_within_days,
        pre_order=order.pre_order,
        estimated_delivery=order.estimated_delivery,
        tracking_url="https://track.example/?no=1&c=2",
        tracking_number="1234",
        carrier="Yamato",
    )
    return replace(base, **empty)


def shopify(policy: Policy, variant: Variant, hostile: bool = False) -> dict[str, Any]:
    """Shopify notification variables for ``variant``'s customer and order."""
    order, locale, settings = variant.order, variant.locale, policy.export.shopify
    family, given = names(policy, variant, hostile)
    cents = 100
    tags = _tags_for_notices(policy, variant)
    lines = [
        {
            "title": i.name.get(locale),
            "quantity": i.quantity,
            "final_line_price": i.price * i.quantity * cents,
            "product": {"tags": [*i.tags, *(tags if n == 0 else [])]},
        }
        for n, i in enumerate(order.items)
    ]
    subtotal = sum(i.price * i.quantity for i in order.items)
    province = (settings.regions.get(order.region) or ["JP-13"])[0]
    return {
        "shop_money_format": "{{amount_no_decimals}}円" if locale == "ja" else "¥{{amount_no_decimals}}",
        "customer": {
            "first_name": given,
            "last_name": family,
            "orders_count": variant.orders,
            "tags": [f"{settings.rank_tag_prefix}{variant.rank}"] if variant.rank else ["newsletter"],
            "has_account": variant.member,
        },
        "order_name": "#1001",
        "line_items": lines,
        "subtotal_price": subtotal * cents,
        "shipping_price": order.shipping_fee * cents,
        "total_price": (subtotal + order.shipping_fee) * cents,
        "gateway": (settings.payment_gateways.get(order.payment_method) or ["manual"])[0],
        "shipping_address": {"province_code": province},
        "fulfillment": {
            "tracking_url": "https://track.example/?no=1&c=2",
            "tracking_number": "1234",
            "tracking_company": "Yamato",
        },
    }


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.links: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "title"):
            self.hidden += 1
        for key, value in attrs:
            if key in ("href", "src") and value:
                self.links.append(value)
            if key == "alt" and value:
                self.words.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.words.append(" ".join(data.split()))


def visible(html: str) -> tuple[list[str], list[str]]:
    """The text a reader sees and the links, in order."""
    parser = _Visible()
    parser.feed(html)
    return parser.words, parser.links


def text_words(text: str) -> str:
    return re.sub(r"\s+", " ", unescape(text)).strip()


def deep(data: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(data)


def ec_cube(policy: Policy, variant: Variant, hostile: bool = False) -> dict[str, Any]:
    """EC-CUBE 4's ``Order`` (and ``Shipping`` for the shipping mail) for ``variant``'s customer and order."""
    order, locale, settings = variant.order, variant.locale, policy.export.ec_cube
    family, given = names(policy, variant, hostile)
    tags = _tags_for_notices(policy, variant)
    subtotal = sum(i.price * i.quantity for i in order.items)
    days = order.desired_delivery_within_days
    shipping = {
        "Pref": {"name": (settings.regions.get(order.region) or ["東京都"])[0]},
        "shipping_delivery_date": f"2026-11-{20 + days:02d} 10:00:00" if days is not None else None,
        "tracking_number": "1234",
        "shipping_delivery_name": "Yamato",
        "Delivery": {"confirm_url": "https://track.example/?no=1&c=2"},
    }
    data: dict[str, Any] = {
        "otk_money_format": "%s円" if locale == "ja" else "¥%s",
        "Order": {
            "name01": family,
            "name02": given,
            "order_no": "#1001",
            "order_date": "2026-11-20 10:00:00",
            "MergedProductOrderItems": [
                {"product_name": i.name.get(locale), "quantity": i.quantity, "total_price": i.price * i.quantity}
                for i in order.items
            ],
            "ProductOrderItems": [
                {"Product": {"ProductTag": [{"Tag": {"name": t}} for t in [*i.tags, *(tags if n == 0 else [])]]}}
                for n, i in enumerate(order.items)
            ],
            "subtotal": subtotal,
            "delivery_fee_total": order.shipping_fee,
            "payment_total": subtotal + order.shipping_fee,
            "payment_method": (settings.payment_methods.get(order.payment_method) or ["その他"])[0],
            "Customer": {"buy_times": variant.orders} if variant.orders > 1 or variant.member else None,
            "Shippings": [shipping],
        },
    }
    if variant.kind == "shipped":
        data["Shipping"] = shipping
    return data


def klaviyo(policy: Policy, variant: Variant, hostile: bool = False) -> dict[str, Any]:
    """A Klaviyo profile (``person``) and a Shopify-synced order event for ``variant``'s customer."""
    settings = policy.export.klaviyo
    family, given = names(policy, variant, hostile)
    order = variant.order
    return {
        "person": {
            "first_name": given,
            "last_name": family,
            settings.orders_property: variant.orders,
            settings.rank_property: variant.rank or "",
            settings.member_property: variant.member,
        },
        "event": {
            "extra": {
                "order_number": "#1001",
                "line_items": [{"title": i.name.get(variant.locale), "quantity": i.quantity} for i in order.items],
            }
        },
    }
