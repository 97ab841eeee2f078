"""One real customer's mail, through the same pipeline as the shop's templates.

The customer's data selects the variant (:func:`variant_for`: kind, locale, purchase-count tier, rank,
notices, member or guest); the variant is compiled once with inert field tokens and
:meth:`MailRenderer.render_for` fills it with the customer's values
(:func:`otokui.emails.fill.fill`), each escaped for where it lands: HTML text, attribute, URL, plain
text or mail header.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import HttpUrl

from otokui.artifacts import Artifact
from otokui.customers.records import Order
from otokui.emails.fields import LineValues, OrderValues
from otokui.emails.fill import Compiler, FilledEmail, fill
from otokui.emails.variants import Variant
from otokui.policy.model import Policy, SampleCustomer, SampleItem, SampleOrder, Samples
from otokui.policy.text import Text

if TYPE_CHECKING:
    from otokui.customers.due import Event
    from otokui.emails.render import Renderer

PLACEHOLDER_ORDER = SampleOrder(id="-", items=[SampleItem(name=Text.model_validate("-"), price=0)])


def _text(value: str) -> Text:
    return Text.model_construct(ja=value, en=value)


def sample_order(order: Order | None, estimated: dt.date | None = None) -> SampleOrder:
    """A real order in the shape the templates and the notices' conditions read.

    The reader has already checked every value, so the models are built without validating again.
    """
    if order is None:
        return PLACEHOLDER_ORDER
    items = [
        SampleItem.model_construct(
            name=_text(line.name), quantity=min(max(line.quantity, 1), 999), price=line.price, tags=[]
        )
        for line in order.lines
    ] or [
        SampleItem.model_construct(
            name=_text(order.id), quantity=1, price=max(0, order.total - order.shipping_fee), tags=[]
        )
    ]
    if order.tags:
        items[0] = SampleItem.model_construct(**{**dict(items[0]), "tags": list(order.tags)})
    within = (order.desired_delivery - order.placed).days if order.desired_delivery else None
    return SampleOrder.model_construct(
        id=order.id,
        items=items,
        shipping_fee=order.shipping_fee,
        payment_method=order.payment_method,
        desired_delivery_within_days=within if within is None or within >= 0 else None,
        region=order.region,
        pre_order=order.pre_order,
        estimated_delivery=estimated.isoformat() if estimated else "",
        tracking_url=HttpUrl(order.tracking_url) if order.tracking_url else None,
    )


def locale_for(policy: Policy, order: Order | None, customer_locale: str = "") -> str:
    wanted = (order.locale if order else "") or customer_locale
    return wanted if wanted in policy.shop.locales else policy.shop.default_locale


def variant_for(policy: Policy, event: Event, locale: str, estimated: dt.date | None = None) -> Variant:
    """The variant a customer's data selects: kind, locale, tier, rank, notices, member or guest."""
    kind = event.kind if not event.letter else ("rank_up" if event.kind == "rank_up" else "thanks_review")
    email = getattr(policy.emails, kind)
    parts = [event.tier]
    if event.rank and kind in ("rank_up", "birthday"):
        parts.insert(0, event.rank)
    parts.extend(f"notice-{n}" for n in event.notices)
    if event.member and kind == "thanks_review":
        parts.append("member")
    return Variant(
        kind=kind,
        locale=locale,
        name="--".join(parts),
        tier=event.tier,
        orders=event.orders,
        order=sample_order(event.order, estimated),
        category=email.category,
        rank=event.rank if kind in ("rank_up", "birthday") else None,
        notices=event.notices,
        member=event.member,
    )


def with_customer(policy: Policy, name: str, email: str, order: SampleOrder) -> Policy:
    """``policy`` with its samples replaced by one real customer and order (for letters; never validated again)."""
    samples = Samples(customer=SampleCustomer(name=Text.model_validate(name), email=email), order=order)
    return policy.model_copy(update={"samples": samples})


def values_for(order: Order | None, name: str, estimated: dt.date | None) -> OrderValues:
    """One customer's real values, as :func:`otokui.emails.fill.fill` takes them."""
    if order is None:
        return OrderValues(customer_name=name, order_id="-", lines=(LineValues("-", 1, 0),))
    lines = tuple(LineValues(line.name, max(line.quantity, 1), line.price) for line in order.lines) or (
        LineValues(order.id, 1, max(0, order.total - order.shipping_fee)),
    )
    within = (order.desired_delivery - order.placed).days if order.desired_delivery else None
    return OrderValues(
        customer_name=name,
        order_id=order.id,
        lines=lines,
        shipping_fee=order.shipping_fee,
        payment_method=order.payment_method,
        region=order.region,
        desired_delivery_within_days=within if within is None or within >= 0 else None,
        pre_order=order.pre_order,
        estimated_delivery=estimated,
        tracking_url=order.tracking_url,
        tags=order.tags,
    )


class MailRenderer:
    """Real customers' mails: each variant compiled once with tokens, then filled per customer."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.compiler = Compiler(renderer)

    def render_for(self, variant: Variant, values: OrderValues) -> FilledEmail:
        """The one place a customer's real values meet the templates: escaped for where each lands."""
        return fill(self.compiler.get(variant), values)

    def artifacts(self, variant: Variant, mail: FilledEmail) -> list[Artifact]:
        """The HTML and text of one filled mail, as the checker reads them."""
        context = self.renderer.context(variant)
        extra = {"subject": mail.subject, "preheader": mail.preheader}
        return [
            Artifact(f"{variant.stem}.html", mail.html.encode("utf-8"), context, "text/html", None, dict(extra)),
            Artifact(f"{variant.stem}.txt", mail.text.encode("utf-8"), context, "text/plain", None, dict(extra)),
        ]
