"""Which emails the shop sends, in every variant worth previewing and checking.

A variant is one email kind in one locale for one purchase-count tier, plus,
where the kind depends on them, a rank, a caution notice, or whether the
customer is already a member. Variants are plain data: a list of them can be
split between processes and rendered anywhere.

Names read like ``first``, ``first--notice-bank_transfer_fast``,
``repeat--member`` or ``gold--repeat``. Only combinations that can happen are
listed: with ranks counted in orders, a rank that needs five orders has no
variant for a first order (:func:`possible`).
"""

from __future__ import annotations

from dataclasses import dataclass

from otokui.policy.model import Condition, Notice, Policy, Rank, SampleOrder, Tier, notice_applies

#: Kinds whose content depends on the customer's rank: one variant per rank.
RANKED_KINDS = ("rank_up", "birthday")
#: Kinds sent only to customers without an account.
GUEST_ONLY_KINDS = ("membership_invite",)
#: Kinds whose content changes with membership (the sign-up offer is for guests only).
MEMBER_SPLIT_KINDS = ("thanks_review",)


@dataclass(frozen=True)
class Variant:
    """One email to render: kind, locale, and the customer and order it is for."""

    kind: str
    locale: str
    name: str
    tier: str
    orders: int  # the customer's order count, inside the tier
    order: SampleOrder
    category: str
    rank: str | None = None
    notices: tuple[str, ...] = ()
    member: bool = False

    @property
    def stem(self) -> str:
        """The output path without suffix, relative to dist/."""
        return f"emails/{self.kind}/{self.locale}/{self.name}"


def list_variants(policy: Policy) -> list[Variant]:
    """Every variant of every enabled email, in lifecycle order, locale by locale."""
    variants: list[Variant] = []
    for kind, email in policy.emails.items():
        for locale in policy.shop.locales:
            variants.extend(_kind_variants(policy, kind, locale, email.category))
    return variants


def orders_to_hold(policy: Policy, rank: Rank) -> int:
    """The fewest orders a customer can have made and hold ``rank``.

    Spend can reach any rank with one order; a rank that asks for orders
    (``metric: order_count`` or ``spend_and_count``) needs at least that many,
    whatever the window (orders inside a window are never more than all orders).
    """
    metric = policy.membership.qualification.metric
    if metric in ("order_count", "spend_and_count") and rank.threshold.orders:
        return max(1, rank.threshold.orders)
    return 1


def possible(policy: Policy, rank: Rank, tier: Tier) -> bool:
    """Whether a customer in purchase-count ``tier`` can hold ``rank`` (no first order at a five-order rank)."""
    return tier.max_orders is None or tier.max_orders >= orders_to_hold(policy, rank)


def count_variants(policy: Policy) -> int:
    """How many variants :func:`list_variants` makes, without making them (the same loops, counted)."""
    base_order = policy.samples.order
    tiers, locales = len(policy.wording.purchase_count_tiers), len(policy.shop.locales)
    total = 0
    for kind, _ in policy.emails.items():
        if kind in RANKED_KINDS:
            per_tier = len(ranks_for(policy, kind))
        else:
            per_tier = 1 + (kind in MEMBER_SPLIT_KINDS)
            per_tier += sum(
                1
                for notice in policy.notices
                if kind in notice.show_in
                and not notice_applies(notice, base_order)
                and order_for_notice(notice, base_order) is not None
            )
        total += per_tier * tiers * locales
    return total


def _kind_variants(policy: Policy, kind: str, locale: str, category: str) -> list[Variant]:
    base_order = policy.samples.order
    out: list[Variant] = []
    for tier in policy.wording.purchase_count_tiers:

        def make(
            name: str,
            order: SampleOrder = base_order,
            rank: Rank | None = None,
            member: bool = False,
        ) -> Variant:
            held = orders_to_hold(policy, rank) if rank is not None else 1
            return Variant(
                kind=kind,
                locale=locale,
                name=name,
                tier=tier.id,  # noqa: B023 - called at once, inside this iteration
                orders=max(tier.min_orders, held),  # noqa: B023
                order=order,
                category=category,
                rank=rank.id if rank is not None else None,
                notices=notices_for(policy, kind, order),
                member=member,
            )

        if kind in RANKED_KINDS:
            out.extend(
                make(f"{rank.id}--{tier.id}", rank=rank, member=True)
                for rank in ranks_for(policy, kind)
                if possible(policy, rank, tier)
            )
            continue
        out.append(make(tier.id))
        if kind in MEMBER_SPLIT_KINDS:
            out.append(make(f"{tier.id}--member", member=True))
        for notice in policy.notices:
            if kind not in notice.show_in or notice_applies(notice, base_order):
                continue
            order = order_for_notice(notice, base_order)
            if order is not None:
                out.append(make(f"{tier.id}--notice-{notice.id}", order))
    return out


def ranks_for(policy: Policy, kind: str) -> list[Rank]:
    """The ranks a ranked kind has a variant for.

    ``rank_up``: every rank above the base. ``birthday``: the ranks whose benefits
    include a birthday coupon (or the base rank alone, when none does).
    """
    ranks = policy.membership.ranks
    if kind == "rank_up":
        return list(ranks[1:])
    with_coupon = [r for r in ranks if any(b.type == "birthday_coupon" for b in policy.rank_benefits(r))]
    return with_coupon or [ranks[0]]


def notices_for(policy: Policy, kind: str, order: SampleOrder) -> tuple[str, ...]:
    """Ids of the notices shown in ``kind`` for ``order``, in policy order."""
    return tuple(n.id for n in policy.notices if kind in n.show_in and notice_applies(n, order))


def order_for_notice(notice: Notice, order: SampleOrder) -> SampleOrder | None:
    """``order`` changed as little as possible so that ``notice`` applies, or None if it cannot."""
    conditions = list(notice.when.all or [])
    if notice.when.any:
        conditions.append(notice.when.any[0])
    update: dict[str, object] = {}
    items = list(order.items)
    for condition in conditions:
        update.update(_satisfy(condition))
        if condition.cart_tag:
            first = items[0]
            items[0] = first.model_copy(update={"tags": [*first.tags, condition.cart_tag[0]]})
    update["items"] = items
    derived = order.model_copy(update=update)
    return derived if notice_applies(notice, derived) else None


def _satisfy(condition: Condition) -> dict[str, object]:
    update: dict[str, object] = {}
    if condition.payment_method:
        update["payment_method"] = condition.payment_method[0]
    if condition.desired_delivery_within_days is not None:
        update["desired_delivery_within_days"] = condition.desired_delivery_within_days
    if condition.region:
        update["region"] = condition.region[0]
    if condition.pre_order is not None:
        update["pre_order"] = condition.pre_order
    return update
