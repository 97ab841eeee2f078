"""Each cart's export of the same two-year history gives the tiers, notices, ranks and rank changes
that an independent calculation gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from otokui.customers.due import History, plan
from otokui.customers.readers import OrderReader, read_customers
from otokui.customers.records import RowError
from otokui.customers.spool import Spool
from otokui.policy.load import load_policy
from tests.customers import expected
from tests.customers.conftest import FORMATS, MakeShop
from tests.customers.history import END, Export, GCustomer

RANK_IDS = ("regular", "silver", "gold", "platinum")


def plans(policy_path: Path, export: Export, day: dt.date, tmp: Path) -> dict[str, Any]:
    """Production's plan for every customer, by e-mail address."""
    policy = load_policy(policy_path)
    spool = Spool(tmp)
    reader = OrderReader(export.orders, policy.run)
    items = list(reader)
    assert [i for i in items if isinstance(i, RowError)] == []
    spool.add_orders(i for i in items if not isinstance(i, RowError))
    if export.customers:
        spool.add_customers(c for c in read_customers(export.customers, policy.run, reader.preset.name))  # type: ignore[misc]
    out = {}
    for rows in spool.groups():
        step = plan(policy, rows, day, History(baseline=day, first_run=True))
        assert step.customer is not None
        if step.orders or any(o.cancelled and o.placed <= day for o in rows.orders):
            out[step.customer.email] = step
    spool.close()
    return out


def check_history(
    people: list[GCustomer], found: dict[str, Any], export: Export, rules: expected.Rules, day: dt.date
) -> int:
    checked_changes = 0
    ever_ordered = [p for p in people if any(o.placed <= day for o in p.orders)]
    assert len(found) == len(ever_ordered)
    for person in ever_ordered:
        step = found[person.email]
        assert step.member == person.member, person.email
        want_tiers = expected.tiers(person, day, export.prior_counts)
        assert [(v.order.id.lstrip("#"), v.tier) for v in step.orders] == want_tiers, person.email
        by_id = {o.id: o for o in person.orders}
        want_notices = [
            expected.notices(by_id[v.order.id.lstrip("#")], export.desired_dates, export.tags) for v in step.orders
        ]
        assert [v.notices for v in step.orders] == want_notices, person.email
        if not person.member:
            assert step.rank is None
            continue
        changes = expected.ranks(rules, [o for o in person.orders if o.placed <= day], day)
        got = [(c.date, c.before, c.after, c.why) for c in step.changes]
        assert got == changes, person.email
        assert step.rank == RANK_IDS[expected.rank_at(changes, day)]
        checked_changes += len(changes)
    return checked_changes


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_export_gives_the_independent_result(
    fmt: str, people: list[GCustomer], exports: dict[str, Export], make_shop: MakeShop, tmp_path: Path
) -> None:
    policy = make_shop(fmt if fmt == "generic" else "auto")
    found = plans(policy, exports[fmt], END, tmp_path)
    rules = expected.Rules()
    changes = check_history(people, found, exports[fmt], rules, END)
    ranks = {step.rank for step in found.values()}
    assert {"regular", "silver", "gold", "platinum"} <= ranks  # the history reaches every rank
    assert changes > len(people) // 5  # a rich history: about one rank change for every five customers
    tiers = {v.tier for step in found.values() for v in step.orders}
    assert tiers == {"first", "repeat", "loyal"}


def _alternative(name: str) -> Any:
    def edit(data: dict[str, Any]) -> None:
        membership = data["membership"]
        q = membership["qualification"]
        ranks = membership["ranks"]
        if name == "count_calendar_quarterly":
            q.update(
                metric="order_count",
                window={"type": "calendar_year"},
                evaluation={"schedule": "quarterly", "upgrade_on_purchase": False, "delay_days": 14},
                downgrade={"enabled": True, "mode": "to_base", "after_inactive_months": 6},
            )
            for rank, orders in zip(ranks, (0, 2, 4, 7), strict=True):
                rank["threshold"] = {"orders": orders}
        elif name == "lifetime_on_purchase":
            q.update(
                window={"type": "lifetime"},
                evaluation={"schedule": "on_purchase", "upgrade_on_purchase": True, "delay_days": 0},
                downgrade={"enabled": False, "mode": "one_step", "after_inactive_months": 12},
            )
        else:  # both thresholds, six months, reviewed yearly, with a rank kept by a lower retain threshold
            q.update(
                metric="spend_and_count",
                window={"type": "rolling_months", "months": 6},
                evaluation={"schedule": "monthly", "upgrade_on_purchase": False, "delay_days": 8},
                downgrade={"enabled": True, "mode": "one_step", "after_inactive_months": 4},
            )
            for rank, (spend, orders) in zip(ranks, ((0, 0), (10000, 2), (30000, 4), (60000, 8)), strict=True):
                rank["threshold"] = {"spend": spend, "orders": orders}
            ranks[2]["retain"] = {"spend": 15000, "orders": 2}
            ranks[3]["retain"] = {"spend": 30000, "orders": 3}

    return edit


@pytest.mark.parametrize("name", ["count_calendar_quarterly", "lifetime_on_purchase", "spend_count_retain"])
def test_other_qualification_rules(
    name: str, people: list[GCustomer], exports: dict[str, Export], make_shop: MakeShop, tmp_path: Path
) -> None:
    policy = make_shop("auto", edit=_alternative(name))
    import yaml

    rules = expected.Rules.of(yaml.safe_load(policy.read_text(encoding="utf-8")))
    day = dt.date(2026, 6, 15)
    found = plans(policy, exports["eccube"], day, tmp_path)
    changes = check_history(people, found, exports["eccube"], rules, day)
    assert changes > len(people) // 14
    whys = {c.why for step in found.values() for c in step.changes}
    if name == "lifetime_on_purchase":
        assert whys == {"purchase"}
    elif name == "count_calendar_quarterly":
        assert {"review", "inactive"} <= whys
    else:
        assert {"review", "inactive", "retain"} <= whys


def test_a_full_size_history_gives_the_independent_result(make_shop: MakeShop, tmp_path: Path) -> None:
    """The other tests read a smaller history; this one reads several thousand customers (slow)."""
    from tests.customers.history import generate, write

    people = generate(2500)
    export = write(people, tmp_path / "exports", "eccube")
    found = plans(make_shop("auto"), export, END, tmp_path)
    changes = check_history(people, found, export, expected.Rules(), END)
    assert changes > 500
    assert set(RANK_IDS) <= {step.rank for step in found.values()}
