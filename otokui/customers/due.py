"""What is due for one customer on one day: the per-customer step.

:func:`plan` is a pure function of the policy, one customer's rows, the day, and what the state database
already holds for that customer (:class:`History`). It reads nothing else and writes nothing, so a shop
with millions of customers can map it over partitions of its own data engine (group the orders by
customer, hand each group with its history to ``plan``, then write what comes back); otokui itself runs
it customer after customer, in one process.

What becomes due, and when (``emails.<kind>.trigger`` with its ``delay_days``):

- order mails (only with ``run.order_mails``): ``order_placed`` on the order date, ``payment_received``
  on the payment date, ``shipped`` on the shipping date;
- ``thanks_review``: from ``delivered`` (the export's delivery date, else the shipping date plus
  ``run.transit_days`` — by default ``shop.delivery.fastest_days`` — plus ``run.remote_extra_days`` to
  Okinawa and remote islands), or from whatever event its trigger names;
- ``membership_invite``: for a guest, after delivery like ``thanks_review``; once per customer;
- ``birthday``: a member's birthday this year plus ``delay_days`` (28 February for 29 February);
- ``rank_up``: the day a member's rank rises above the rank last recorded for them;
- letters: a thank-you letter for each order not yet shipped on the day (it goes into the parcel), in the
  wording of the order's purchase-count tier; a rank letter with each ``rank_up``.

An event due before the first run (the baseline) or more than ``run.max_late_days`` ago is *skipped*
(reported, recorded, never produced). On the first run the ranks members hold become the baseline
without rank-up mails, unless ``announce_ranks`` is asked for.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import cast

from otokui.customers.qualification import Change, Ladder, rank_on
from otokui.customers.records import Customer, Order, Rows
from otokui.policy.model import Email, Policy, SampleOrder


@dataclass(frozen=True)
class History:
    """What the state database holds for one customer before this run."""

    baseline: dt.date  # the day of the first run
    first_run: bool
    rank: str | None = None  # the rank last recorded for them (None: never seen)
    done: Collection[str] = ()  # keys of the events already produced or skipped
    invited: bool = False  # a membership invitation was already written for them


@dataclass(frozen=True)
class Event:
    """One mail or letter for one customer (and, mostly, one order)."""

    key: str  # unique in the shop's history
    what: str  # an email kind, or "letter:thanks" / "letter:rank_up"
    due: dt.date
    status: str  # due | skipped
    reason: str  # due_today | due_on | baseline | late | invited | left (``run_reason_*`` in the catalogue)
    order: Order | None
    tier: str
    orders: int  # the purchase count the wording follows
    rank: str | None
    member: bool
    notices: tuple[str, ...] = ()

    @property
    def letter(self) -> bool:
        return self.what.startswith("letter:")

    @property
    def kind(self) -> str:
        return self.what.split(":", 1)[1] if self.letter else self.what


@dataclass(frozen=True)
class OrderView:
    """One order as the policy reads it: its purchase count and tier, and the notices for its mails."""

    order: Order
    count: int
    tier: str
    notices: tuple[str, ...]  # the notices its order confirmation carries


@dataclass
class Plan:
    key: str  # the customer key
    member: bool
    rank: str | None  # the rank held on the day (members only)
    previous: str | None  # the rank recorded before this run
    changes: list[Change] = field(default_factory=list)
    orders: list[OrderView] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    record_rank: bool = False  # write ``rank`` to the state database
    customer: Customer | None = None  # the customer record completed from their orders


def customer_hash(key: str) -> str:
    """The customer as the state database knows them: a one-way hash, never the address itself."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def transit(policy: Policy, order: Order) -> int:
    days = policy.run.transit_days if policy.run.transit_days is not None else policy.shop.delivery.fastest_days
    if order.region in ("okinawa", "remote_island"):
        days += policy.run.remote_extra_days
    return days


def delivered_on(policy: Policy, order: Order) -> dt.date | None:
    """The delivery date: the export's, else estimated from the shipping date."""
    if order.delivered:
        return order.delivered
    if order.shipped:
        return order.shipped + dt.timedelta(days=transit(policy, order))
    return None


def event_day(policy: Policy, email: Email, order: Order) -> dt.date | None:
    event = email.trigger.event
    base = {
        "order_placed": order.placed,
        "payment_received": order.paid,
        "shipped": order.shipped,
        "delivered": delivered_on(policy, order),
    }.get(event)
    return base + dt.timedelta(days=email.trigger.delay_days) if base else None


def as_of(order: Order, day: dt.date) -> Order:
    """The order as it stood on ``day``: later payment, shipping and delivery dates not yet known."""
    from dataclasses import replace

    later = {
        name: None for name in ("paid", "shipped", "delivered") if (d := getattr(order, name)) is not None and d > day
    }
    return replace(order, **later) if later else order  # type: ignore[arg-type]


@dataclass(frozen=True)
class _Item:
    tags: tuple[str, ...]


@dataclass(frozen=True)
class _Shape:
    """What a notice's conditions read of an order (:func:`otokui.policy.model.condition_holds`)."""

    items: tuple[_Item, ...]
    payment_method: str
    desired_delivery_within_days: int | None
    region: str
    pre_order: bool


def as_conditions_see_it(order: Order) -> SampleOrder:
    """``order`` in the shape the policy's ``when`` conditions read, without building a full model."""
    within = (order.desired_delivery - order.placed).days if order.desired_delivery else None
    shape = _Shape(
        items=(_Item(order.tags),),
        payment_method=order.payment_method,
        desired_delivery_within_days=within if within is None or within >= 0 else None,
        region=order.region,
        pre_order=order.pre_order,
    )
    return cast(SampleOrder, shape)


def birthday_in(birthday: dt.date, year: int) -> dt.date:
    try:
        return birthday.replace(year=year)
    except ValueError:
        return dt.date(year, 2, 28)


def merged(rows: Rows) -> Customer:
    """The customer record completed from their orders (name, address, birthday, locale, latest first)."""
    from dataclasses import replace

    customer, latest = rows.customer, rows.orders[-1] if rows.orders else None
    if latest is None:
        return customer
    birthday = customer.birthday or next((o.birthday for o in reversed(rows.orders) if o.birthday), None)
    count = customer.purchase_count
    if count is None:
        count = next((o.purchase_count for o in reversed(rows.orders) if o.purchase_count is not None), None)
    return replace(
        customer,
        email=customer.email or latest.email,
        name=customer.name or latest.name,
        birthday=birthday,
        purchase_count=count,
        locale=customer.locale or latest.locale,
    )


def plan(policy: Policy, rows: Rows, day: dt.date, history: History, announce_ranks: bool = False) -> Plan:
    """Everything due for one customer on ``day`` (see the module doc); pure."""
    from otokui.emails.variants import notices_for

    customer = merged(rows)
    orders = [as_of(o, day) for o in rows.orders if o.placed <= day]
    member = customer.member or any(o.member for o in orders)
    live = [o for o in orders if not o.cancelled]
    # The cart's count covers every order it knows, so the export's own orders (to its end) come off it.
    offset = max(0, (customer.purchase_count or 0) - sum(not o.cancelled for o in rows.orders))
    views: list[OrderView] = []
    notes = bool(policy.notices)
    shapes = {o.id: as_conditions_see_it(o) for o in live} if notes else {}
    for index, order in enumerate(live, start=1):
        count = offset + index
        tier = policy.tier_for(count).id
        shown = notices_for(policy, "order_confirmation", shapes[order.id]) if notes else ()
        views.append(OrderView(order, count, tier, shown))
    ranks = policy.membership.ranks
    changes = Ladder(policy).history(live, day) if member else []
    rank = ranks[rank_on(changes, day)].id if member else None
    result = Plan(customer.key, member, rank, history.rank, changes, views, customer=customer)
    emails = dict(policy.emails.items())
    who = customer_hash(customer.key)
    oldest = day - dt.timedelta(days=policy.run.max_late_days)

    def add(key: str, what: str, due: dt.date, view: OrderView | None, rank_id: str | None = None) -> None:
        if key in history.done or due > day:
            return
        status, reason = "due", "due_today" if due == day else "due_on"
        if due < history.baseline:
            status, reason = "skipped", "baseline"
        elif due < oldest:
            status, reason = "skipped", "late"
        order = view.order if view else None
        kind = what.split(":", 1)[-1]
        wanted = status == "due" and order is not None and kind in emails and notes
        notices = notices_for(policy, kind, shapes[order.id]) if wanted else ()  # type: ignore[union-attr]
        result.events.append(
            Event(
                key=key,
                what=what,
                due=due,
                status=status,
                reason=reason,
                order=order,
                tier=view.tier if view else (views[-1].tier if views else policy.wording.purchase_count_tiers[0].id),
                orders=view.count if view else (views[-1].count if views else 1),
                rank=rank_id or rank,
                member=member,
                notices=notices,
            )
        )

    order_kinds = ("order_confirmation", "payment_received", "shipped") if policy.run.order_mails else ()
    invited = history.invited
    for view in views:
        order = view.order
        for kind in (*order_kinds, "thanks_review"):
            email = emails.get(kind)
            when = event_day(policy, email, order) if email else None
            if when:
                add(f"{kind}:{order.id}", kind, when, view)
        invite = emails.get("membership_invite")
        if invite and not member and policy.membership.enrollment.invite_after_purchase:
            when = event_day(policy, invite, order)
            key = f"membership_invite:{order.id}"
            if when and key not in history.done and when <= day:
                if invited:
                    result.events.append(
                        Event(
                            key,
                            "membership_invite",
                            when,
                            "skipped",
                            "invited",
                            order,
                            view.tier,
                            view.count,
                            None,
                            False,
                        )
                    )
                else:
                    add(key, "membership_invite", when, view)
                    invited = any(e.key == key and e.status == "due" for e in result.events) or invited
        letter_key = f"letter:thanks:{order.id}"
        if letter_key in history.done:
            continue
        if order.shipped is not None and order.shipped < day:
            result.events.append(
                Event(
                    letter_key,
                    "letter:thanks",
                    order.placed,
                    "skipped",
                    "left",
                    order,
                    view.tier,
                    view.count,
                    rank,
                    member,
                )
            )
        else:  # the parcel is still to be sent (or leaves today): its letter is due, whatever the baseline
            add(letter_key, "letter:thanks", day, view)

    birthday = emails.get("birthday")
    if birthday and member and customer.birthday:
        for year in (day.year - 1, day.year, day.year + 1):
            when = birthday_in(customer.birthday, year) + dt.timedelta(days=birthday.trigger.delay_days)
            add(f"birthday:{who}:{year}", "birthday", when, views[-1] if views else None)

    if member and rank is not None:
        index = next(i for i, r in enumerate(ranks) if r.id == rank)
        known = next((i for i, r in enumerate(ranks) if r.id == history.rank), None)
        result.record_rank = known != index
        announce = known is None and history.first_run and announce_ranks
        if known is None and history.first_run and not announce_ranks:
            known = index  # the baseline: ranks already held are not news
        if known is None:
            known = 0
        if index > known and changes and "rank_up" in emails:
            since = max((c.date for c in changes if c.after == index), default=day)
            when = day if announce else since  # asked to announce the baseline: today
            last = views[-1] if views else None
            add(f"rank_up:{who}:{rank}:{since.isoformat()}", "rank_up", when, last, rank)
            add(f"letter:rank_up:{who}:{rank}:{since.isoformat()}", "letter:rank_up", when, last, rank)
    return result
