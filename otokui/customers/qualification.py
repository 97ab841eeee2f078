"""A member's rank over time, from ``membership.qualification`` and their orders.

The rules, exactly as the member site words them (:mod:`otokui.site.wording`):

- **What counts.** ``metric: spend`` sums each order's goods amount (the total paid less shipping; less tax
  too under ``amount_basis: tax_excluded``); ``order_count`` counts orders; ``spend_and_count`` needs both
  thresholds. Cancelled orders never count. An order counts ``evaluation.delay_days`` after it is placed.
- **Window.** ``lifetime``: every counted order; ``rolling_months``: the last N months; ``calendar_year``:
  the calendar year.
- **Reviews.** ``monthly`` (the 1st of each month), ``quarterly`` (1 January, April, July, October),
  ``yearly`` (1 January): the rank becomes the highest one whose threshold the orders counted *before*
  the review date meet (rolling window: from N months before the review; calendar year: the year of the
  day before the review). ``on_purchase``, or ``upgrade_on_purchase``: on the day an order counts, the
  rank rises at once to what the orders counted up to that day meet (never falls then).
- **Downgrade** (``downgrade.enabled``), only at a review (monthly checks under ``on_purchase``): with no
  order counted for ``after_inactive_months`` months (counted from the last order, or from the last
  downgrade), or below the current rank's ``retain`` threshold where the rank has one, the rank moves down
  one step (``one_step``) or to the base rank (``to_base``). A review raises a rank again only for orders
  counted after the last downgrade.

Pure functions of the policy and one customer's orders.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from otokui.customers.records import Order
from otokui.policy.model import Policy, Qualification, Threshold


@dataclass(frozen=True)
class Change:
    """The rank moved from ``before`` to ``after`` (indices into ``membership.ranks``) on ``date``."""

    date: dt.date
    before: int
    after: int
    why: str  # purchase | review | inactive | retain


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def spend_of(order: Order, qualification: Qualification) -> int:
    goods = order.total - order.shipping_fee
    if qualification.amount_basis == "tax_excluded":
        goods -= order.tax
    return max(0, goods)


def meets(threshold: Threshold, metric: str, spend: int, count: int) -> bool:
    checks = []
    if metric in ("spend", "spend_and_count"):
        checks.append(spend >= (threshold.spend or 0))
    if metric in ("order_count", "spend_and_count"):
        checks.append(count >= (threshold.orders or 0))
    return all(checks)


def review_dates(schedule: str, start: dt.date, end: dt.date) -> list[dt.date]:
    """Review days after ``start`` up to and including ``end``."""
    step = {"monthly": 1, "quarterly": 3, "yearly": 12, "on_purchase": 1}[schedule]
    day = dt.date(start.year, 1, 1) if step == 12 else dt.date(start.year, ((start.month - 1) // step) * step + 1, 1)
    out = []
    while day <= end:
        if day > start:
            out.append(day)
        day = add_months(day, step)
    return out


class Ladder:
    """The rank rules of one policy, applied to one member's orders."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.q = policy.membership.qualification
        self.ranks = policy.membership.ranks

    def qualified(self, spend: int, count: int) -> int:
        best = 0
        for index, rank in enumerate(self.ranks):
            if meets(rank.threshold, self.q.metric, spend, count):
                best = index
        return best

    def _bounds(self, dates: Sequence[dt.date], end: dt.date, inclusive: bool) -> tuple[int, int]:
        """The slice of ``dates`` (sorted) inside the window ending at ``end``."""
        window = self.q.window
        hi = bisect_right(dates, end) if inclusive else bisect_left(dates, end)
        if window.type == "rolling_months":
            start = add_months(end, -(window.months or 12))
            lo = bisect_right(dates, start) if inclusive else bisect_left(dates, start)
        elif window.type == "calendar_year":
            year = end.year if inclusive else (end - dt.timedelta(days=1)).year
            lo = bisect_left(dates, dt.date(year, 1, 1))
            hi = min(hi, bisect_left(dates, dt.date(year + 1, 1, 1)))
        else:
            lo = 0
        return lo, max(lo, hi)

    def history(self, orders: Sequence[Order], until: dt.date) -> list[Change]:
        """Every rank change of a member with ``orders`` up to and including ``until``."""
        q = self.q
        delay = dt.timedelta(days=q.evaluation.delay_days)
        counted = sorted(
            (o.placed + delay, spend_of(o, q)) for o in orders if not o.cancelled and o.placed + delay <= until
        )
        if not counted:
            return []
        dates = [d for d, _ in counted]
        total = [0]
        for _, amount in counted:
            total.append(total[-1] + amount)

        def window(end: dt.date, inclusive: bool) -> tuple[int, int]:
            lo, hi = self._bounds(dates, end, inclusive)
            return total[hi] - total[lo], hi - lo

        schedule = q.evaluation.schedule
        on_purchase = schedule == "on_purchase" or q.evaluation.upgrade_on_purchase
        points: list[tuple[dt.date, int, str]] = []  # (date, 0 review before 1 purchase, kind)
        for day in review_dates(schedule, dates[0], until):
            points.append((day, 0, "check" if schedule == "on_purchase" else "review"))
        if on_purchase:
            points.extend((day, 1, "purchase") for day in sorted(set(dates)))
        points.sort()
        rank, changes = 0, []
        last_down: dt.date | None = None
        for day, _, kind in points:
            if kind == "purchase":
                target = self.qualified(*window(day, True))
                if target > rank:
                    changes.append(Change(day, rank, target, "purchase"))
                    rank = target
                continue
            spend, count = window(day, False)
            before = bisect_left(dates, day)
            last_order = dates[before - 1] if before else None
            fresh = last_order is not None and (last_down is None or last_order > last_down)
            if kind == "review" and fresh:
                target = self.qualified(spend, count)
                if target > rank:
                    changes.append(Change(day, rank, target, "review"))
                    rank = target
                    continue
            if not q.downgrade.enabled or rank == 0:
                continue
            anchor = max(d for d in (last_order, last_down) if d is not None)
            why = ""
            if add_months(anchor, q.downgrade.after_inactive_months) <= day:
                why = "inactive"
            elif kind == "review":
                retain = self.ranks[rank].retain
                if retain is not None and not meets(retain, q.metric, spend, count):
                    why = "retain"
            if why:
                target = rank - 1 if q.downgrade.mode == "one_step" else 0
                changes.append(Change(day, rank, target, why))
                rank, last_down = target, day
        return changes


def rank_on(changes: Sequence[Change], day: dt.date) -> int:
    """The rank index held on ``day`` (after that day's changes)."""
    rank = 0
    for change in changes:
        if change.date <= day:
            rank = change.after
    return rank
