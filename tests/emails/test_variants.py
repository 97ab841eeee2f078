from __future__ import annotations

from collections import Counter

from otokui.emails import list_variants
from otokui.emails.variants import order_for_notice
from otokui.policy.model import Policy, notice_applies


def names(policy: Policy, kind: str, locale: str = "ja") -> list[str]:
    return [v.name for v in list_variants(policy) if v.kind == kind and v.locale == locale]


def test_every_enabled_kind_in_every_locale(policy: Policy) -> None:
    variants = list_variants(policy)
    kinds = {kind for kind, _ in policy.emails.items()}
    assert {(v.kind, v.locale) for v in variants} == {(k, loc) for k in kinds for loc in policy.shop.locales}
    assert len({v.stem for v in variants}) == len(variants), "variant names must be unique"


def test_readable_names(policy: Policy) -> None:
    assert names(policy, "order_confirmation") == [
        "first",
        "first--notice-bank_transfer_fast",
        "first--notice-remote_island",
        "first--notice-preorder",
        "repeat",
        "repeat--notice-bank_transfer_fast",
        "repeat--notice-remote_island",
        "repeat--notice-preorder",
        "loyal",
        "loyal--notice-bank_transfer_fast",
        "loyal--notice-remote_island",
        "loyal--notice-preorder",
    ]
    assert "gold--repeat" in names(policy, "rank_up")
    assert names(policy, "thanks_review") == [
        "first",
        "first--member",
        "repeat",
        "repeat--member",
        "loyal",
        "loyal--member",
    ]


def test_rank_up_has_a_variant_per_rank_above_the_base(policy: Policy) -> None:
    ranks = Counter(v.rank for v in list_variants(policy) if v.kind == "rank_up" and v.locale == "ja")
    tiers = len(policy.wording.purchase_count_tiers)
    assert ranks == {r.id: tiers for r in policy.membership.ranks[1:]}


def test_membership_invite_is_for_guests_only(policy: Policy) -> None:
    invites = [v for v in list_variants(policy) if v.kind == "membership_invite"]
    assert invites and not any(v.member for v in invites)
    assert all(v.rank is None for v in invites)


def test_each_notice_gets_an_order_that_satisfies_it(policy: Policy) -> None:
    base = policy.samples.order
    for notice in policy.notices:
        order = order_for_notice(notice, base)
        assert order is not None and notice_applies(notice, order), notice.id
    bank = order_for_notice(policy.notices[0], base)
    assert bank is not None
    assert (bank.payment_method, bank.desired_delivery_within_days) == ("bank_transfer", 3)


def test_variant_notices_are_exactly_those_that_apply(policy: Policy) -> None:
    by_id = {n.id: n for n in policy.notices}
    for v in list_variants(policy):
        expected = tuple(i for i, n in by_id.items() if v.kind in n.show_in and notice_applies(n, v.order))
        assert v.notices == expected, v.stem


def test_the_example_shop_variant_count(policy: Policy) -> None:
    assert len(list_variants(policy)) == 96


def test_ranks_counted_in_orders_have_no_variant_that_cannot_happen() -> None:
    from .conftest import make_policy, policy_data

    data = policy_data()
    qualification = data["membership"]["qualification"]
    qualification["metric"] = "order_count"
    for rank, orders in zip(data["membership"]["ranks"], (0, 2, 5, 10), strict=True):
        rank["threshold"] = {"orders": orders}
    policy = make_policy(data)
    rank_up = [v for v in list_variants(policy) if v.kind == "rank_up" and v.locale == "ja"]
    tiers = {t.id: t for t in policy.wording.purchase_count_tiers}  # first: 1, repeat: 2-4, loyal: 5+
    assert sorted(v.name for v in rank_up) == sorted(
        ["silver--repeat", "silver--loyal", "gold--loyal", "platinum--loyal"]
    )
    for variant in rank_up:
        tier = tiers[variant.tier]
        rank = next(r for r in policy.membership.ranks if r.id == variant.rank)
        assert variant.orders >= (rank.threshold.orders or 1)  # the sample customer really holds the rank
        assert tier.min_orders <= variant.orders <= (tier.max_orders or variant.orders)


def test_ranks_counted_in_spend_keep_every_tier(policy: Policy) -> None:
    assert "gold--first" in names(policy, "rank_up")  # one large first order can reach any spend rank
