"""An independent calculation of tiers, notices and ranks for the generated history.

Written from the rules as the member site states them, day by day, without any of otokui's code: if
otokui and this file disagree, one of them has misread the policy.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from tests.customers.history import GCustomer, GOrder


def months_before(day: dt.date, months: int) -> dt.date:
    year, month = day.year, day.month
    for _ in range(months):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_after(day: dt.date, months: int) -> dt.date:
    year, month = day.year, day.month
    for _ in range(months):
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Rules:
    metric: str = "spend"
    window: str = "rolling_months"
    months: int = 12
    schedule: str = "monthly"
    upgrade_on_purchase: bool = True
    delay: int = 0
    downgrade: bool = True
    mode: str = "one_step"
    inactive_months: int = 12
    thresholds: tuple[tuple[int | None, int | None], ...] = ((0, None), (20000, None), (50000, None), (120000, None))
    retain: tuple[tuple[int | None, int | None] | None, ...] = (None, None, None, None)

    @classmethod
    def of(cls, policy_data: dict[str, Any]) -> Rules:
        q = policy_data["membership"]["qualification"]
        ranks = policy_data["membership"]["ranks"]
        return cls(
            metric=q["metric"],
            window=q["window"]["type"],
            months=q["window"].get("months") or 12,
            schedule=q["evaluation"]["schedule"],
            upgrade_on_purchase=q["evaluation"]["upgrade_on_purchase"],
            delay=q["evaluation"].get("delay_days", 0),
            downgrade=q["downgrade"]["enabled"],
            mode=q["downgrade"]["mode"],
            inactive_months=q["downgrade"]["after_inactive_months"],
            thresholds=tuple((r["threshold"].get("spend"), r["threshold"].get("orders")) for r in ranks),
            retain=tuple(
                (r["retain"].get("spend"), r["retain"].get("orders")) if r.get("retain") else None for r in ranks
            ),
        )


def is_review_day(rules: Rules, day: dt.date) -> bool:
    if day.day != 1:
        return False
    if rules.schedule in ("monthly", "on_purchase"):
        return True
    if rules.schedule == "quarterly":
        return day.month in (1, 4, 7, 10)
    return day.month == 1


def passes(rules: Rules, threshold: tuple[int | None, int | None], spent: int, count: int) -> bool:
    spend_needed, orders_needed = threshold
    ok = True
    if rules.metric in ("spend", "spend_and_count"):
        ok = ok and spent >= (spend_needed or 0)
    if rules.metric in ("order_count", "spend_and_count"):
        ok = ok and count >= (orders_needed or 0)
    return ok


def best(rules: Rules, window: list[tuple[dt.date, int]]) -> int:
    spent, count = sum(a for _, a in window), len(window)
    top = 0
    for index, threshold in enumerate(rules.thresholds):
        if passes(rules, threshold, spent, count):
            top = index
    return top


def ranks(rules: Rules, orders: list[GOrder], until: dt.date) -> list[tuple[dt.date, int, int, str]]:
    """(day, before, after, why) for each change, walking every day from the first counted order."""
    counted = sorted(
        (o.placed + dt.timedelta(days=rules.delay), o.total - o.shipping)
        for o in orders
        if not o.cancelled and o.placed + dt.timedelta(days=rules.delay) <= until
    )
    if not counted:
        return []
    by_day: dict[dt.date, int] = {}
    for day, _ in counted:
        by_day[day] = by_day.get(day, 0) + 1
    rank, last_down, changes = 0, None, []
    day = counted[0][0]
    while day <= until:
        if is_review_day(rules, day) and day > counted[0][0]:
            before = [c for c in counted if c[0] < day]
            if rules.window == "rolling_months":
                start = months_before(day, rules.months)
                window = [c for c in before if c[0] >= start]
            elif rules.window == "calendar_year":
                window = [c for c in before if c[0].year == (day - dt.timedelta(days=1)).year]
            else:
                window = before
            latest = before[-1][0] if before else None
            moved = False
            if rules.schedule != "on_purchase" and latest and (last_down is None or latest > last_down):
                target = best(rules, window)
                if target > rank:
                    changes.append((day, rank, target, "review"))
                    rank, moved = target, True
            if not moved and rules.downgrade and rank > 0:
                anchors = [d for d in (latest, last_down) if d]
                why = ""
                if months_after(max(anchors), rules.inactive_months) <= day:
                    why = "inactive"
                elif rules.schedule != "on_purchase" and rules.retain[rank] is not None:
                    spent, count = sum(a for _, a in window), len(window)
                    if not passes(rules, rules.retain[rank], spent, count):  # type: ignore[arg-type]
                        why = "retain"
                if why:
                    target = rank - 1 if rules.mode == "one_step" else 0
                    changes.append((day, rank, target, why))
                    rank, last_down = target, day
        if day in by_day and (rules.schedule == "on_purchase" or rules.upgrade_on_purchase):
            upto = [c for c in counted if c[0] <= day]
            if rules.window == "rolling_months":
                start = months_before(day, rules.months)
                window = [c for c in upto if c[0] > start]
            elif rules.window == "calendar_year":
                window = [c for c in upto if c[0].year == day.year]
            else:
                window = upto
            target = best(rules, window)
            if target > rank:
                changes.append((day, rank, target, "purchase"))
                rank = target
        day += dt.timedelta(days=1)
    return changes


def rank_at(changes: list[tuple[dt.date, int, int, str]], day: dt.date) -> int:
    current = 0
    for when, _, after, _ in changes:
        if when <= day:
            current = after
    return current


TIERS = ((1, 1, "first"), (2, 4, "repeat"), (5, None, "loyal"))


def tier(count: int) -> str:
    for low, high, name in TIERS:
        if count >= low and (high is None or count <= high):
            return name
    raise AssertionError(count)


def tiers(person: GCustomer, until: dt.date, prior_known: bool) -> list[tuple[str, str]]:
    """(order id, tier) for each order placed by ``until`` and not cancelled."""
    prior = person.prior_orders if prior_known else 0
    live = [o for o in sorted(person.orders, key=lambda o: (o.placed, o.id)) if not o.cancelled and o.placed <= until]
    return [(o.id, tier(prior + n)) for n, o in enumerate(live, start=1)]


def notices(order: GOrder, desired_dates: bool, tags: bool) -> tuple[str, ...]:
    """The example shop's notices on an order confirmation."""
    found = []
    fast = order.desired is not None and (order.desired - order.placed).days <= 3
    if order.payment == "bank_transfer" and desired_dates and fast:
        found.append("bank_transfer_fast")
    if order.prefecture == "沖縄県":
        found.append("remote_island")
    if tags and order.preorder:
        found.append("preorder")
    return tuple(found)
