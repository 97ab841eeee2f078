"""The policy facts written out as sentences for the member site, in the shop's words.

The words come from the locale catalogue (:mod:`otokui.i18n.catalogue`) with the
shop's ``wording.labels``; this module only puts them together. Everything here
is plain text: the page templates escape it like any other
value, so a sentence can safely carry a shop's name or a rank's name.
Nothing in this module ever states a threshold unless the disclosure mode
publishes thresholds; :func:`threshold_text` is the only place that writes one.
"""

from __future__ import annotations

from otokui.i18n.catalogue import for_policy
from otokui.i18n.format import money as format_money
from otokui.placeholders import substitute
from otokui.policy.model import Condition, Coupon, Notice, Policy, Rank, Threshold


def ui(policy: Policy, locale: str, key: str, **values: str | int) -> str:
    """A label of the shop in ``locale`` with ``{name}`` slots filled (by plain replacement, never str.format)."""
    return substitute(for_policy(policy, locale)[key], values, keep_unknown=True)


def sentences(policy: Policy, locale: str, *parts: str) -> str:
    """Sentences joined as the locale writes them: no space in Japanese, one in English."""
    return ui(policy, locale, "sentence_sep").join(part for part in parts if part)


def money(policy: Policy, amount: int | float, locale: str) -> str:
    return format_money(amount, policy.shop.currency, locale)


def window_text(policy: Policy, locale: str) -> str:
    window = policy.membership.qualification.window
    if window.type == "rolling_months":
        return ui(policy, locale, "site_window_rolling", months=window.months or 12)
    if window.type == "calendar_year":
        return ui(policy, locale, "site_window_calendar")
    return ui(policy, locale, "site_window_lifetime")


def basis_text(policy: Policy, locale: str) -> str:
    included = policy.membership.qualification.amount_basis == "tax_included"
    return ui(policy, locale, "basis_tax_included" if included else "basis_tax_excluded")


def threshold_text(policy: Policy, threshold: Threshold, locale: str) -> str:
    """What a threshold asks, in words: published disclosure only."""
    if policy.surprise:
        raise ValueError("thresholds are never written out in surprise mode")
    parts: list[str] = []
    window = window_text(policy, locale)
    if threshold.spend:
        amount = money(policy, threshold.spend, locale)
        basis = basis_text(policy, locale)
        parts.append(ui(policy, locale, "site_threshold_spend", window=window, basis=basis, amount=amount))
    if threshold.orders:
        parts.append(ui(policy, locale, "site_threshold_orders", window=window, orders=threshold.orders))
    return ui(policy, locale, "and").join(parts)


def rank_condition(policy: Policy, rank: Rank, locale: str) -> str:
    if rank is policy.membership.ranks[0] or not (rank.threshold.spend or rank.threshold.orders):
        return ui(policy, locale, "site_base_condition")
    return threshold_text(policy, rank.threshold, locale)


def schedule_text(policy: Policy, locale: str) -> str:
    evaluation = policy.membership.qualification.evaluation
    parts = [ui(policy, locale, f"schedule_{evaluation.schedule}")]
    if evaluation.upgrade_on_purchase and evaluation.schedule != "on_purchase":
        parts.append(ui(policy, locale, "schedule_upgrade_on_purchase"))
    if evaluation.delay_days:
        parts.append(ui(policy, locale, "schedule_delay", days=evaluation.delay_days))
    return sentences(policy, locale, *parts)


def downgrade_text(policy: Policy, locale: str) -> str:
    downgrade = policy.membership.qualification.downgrade
    if not downgrade.enabled:
        return ui(policy, locale, "downgrade_never")
    months = downgrade.after_inactive_months
    if downgrade.mode == "one_step":
        return ui(policy, locale, "downgrade_one_step", months=months)
    base = policy.membership.ranks[0].name.get(locale)
    return ui(policy, locale, "downgrade_to_base", months=months, base=base)


def coupon_text(policy: Policy, coupon: Coupon, locale: str) -> str:
    """The sign-up coupon, with every condition stated (guideline 2: honest sign-up benefits)."""
    off = money(policy, coupon.amount, locale) if coupon.kind == "fixed" else f"{coupon.amount}%"
    when = ui(policy, locale, "site_coupon_when_next" if coupon.usable_on == "next_order" else "site_coupon_when_any")
    min_spend = (
        ui(policy, locale, "site_coupon_min_spend", amount=money(policy, coupon.min_spend, locale))
        if coupon.min_spend
        else ""
    )
    return ui(policy, locale, "site_coupon", when=when, amount=off, days=coupon.valid_days, min_spend=min_spend)


def counting_text(policy: Policy, locale: str) -> str:
    """How progress is counted (published disclosure): the metric, its basis and window."""
    metric = policy.membership.qualification.metric
    what = ui(policy, locale, f"counting_{metric}", basis=basis_text(policy, locale))
    return ui(policy, locale, "counting", window=window_text(policy, locale), what=what)


def condition_text(policy: Policy, condition: Condition, locale: str) -> str:
    """One notice condition in words: every key set in it must hold."""
    parts: list[str] = []
    sep = ui(policy, locale, "list_sep")
    if condition.payment_method:
        methods = sep.join(ui(policy, locale, f"payment_phrase_{m}") for m in condition.payment_method)
        parts.append(ui(policy, locale, "condition_payment", methods=methods))
    if condition.desired_delivery_within_days is not None:
        days = condition.desired_delivery_within_days
        parts.append(ui(policy, locale, "condition_delivery_within", days=days))
    if condition.region:
        regions = sep.join(ui(policy, locale, f"region_phrase_{r}") for r in condition.region)
        parts.append(ui(policy, locale, "condition_region", regions=regions))
    if condition.cart_tag:
        parts.append(ui(policy, locale, "condition_cart_tag", tags=sep.join(condition.cart_tag)))
    if condition.pre_order is not None:
        parts.append(ui(policy, locale, "condition_pre_order" if condition.pre_order else "condition_no_pre_order"))
    return ui(policy, locale, "and").join(parts)


def notice_scope(policy: Policy, notice: Notice, locale: str) -> str:
    """Who a notice is for: all of ``when.all``, and one of ``when.any``."""
    when = notice.when
    pieces: list[str] = []
    if when.all:
        pieces.append(ui(policy, locale, "and").join(condition_text(policy, c, locale) for c in when.all))
    if when.any:
        pieces.append(ui(policy, locale, "or").join(condition_text(policy, c, locale) for c in when.any))
    text = ui(policy, locale, "and").join(pieces)
    return ui(policy, locale, "notice_scope", conditions=text) if text else ""
