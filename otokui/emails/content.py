"""What one email variant says: the data its templates are rendered with.

Everything is resolved here, in Python, into plain strings, lists and dicts:
the locale is chosen, placeholders are filled, amounts and dates formatted,
and disclosure rules applied (a surprise rank never carries a threshold or
progress). The templates only arrange what they are given, so a designer
editing them cannot leak what the policy keeps private.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from otokui.emails.fields import token
from otokui.emails.variants import Variant
from otokui.errors import TemplateError
from otokui.i18n.catalogue import catalogue, for_policy, locales
from otokui.i18n.format import long_date, money
from otokui.i18n.linebreak import has_japanese, phrase_breaks
from otokui.placeholders import PLACEHOLDERS_BY_KIND, PlaceholderError, header_text, substitute
from otokui.policy.model import Benefit, Coupon, Email, Policy, Rank, SampleOrder

Data = dict[str, Any]


def transfer_deadline(policy: Policy, order: SampleOrder, locale: str) -> str | None:
    """When a bank transfer is due: the order's date, else the policy's days after ordering in words; None otherwise."""
    if order.payment_method != "bank_transfer":
        return None
    if order.payment_deadline:
        return order.payment_deadline
    account = policy.shop.bank_account
    days = account.deadline_days if account is not None else 7
    return substitute(for_policy(policy, locale)["payment_deadline_days"], {"days": str(days)})


#: Parts of the template data left as they are: mail headers, and the per-order values (fields),
#: which a real customer's values replace.
_NO_PHRASE_BREAKS = frozenset({"subject", "preheader", "order", "customer", "theme"})


def with_phrase_breaks(data: Data) -> Data:
    """The policy and label texts of ``data`` with Japanese phrase breaks (:mod:`otokui.i18n.linebreak`)."""

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return phrase_breaks(value)
        if isinstance(value, Mapping):
            return {k: v if k in _NO_PHRASE_BREAKS else walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    out: Data = walk(data)
    return out


def locale_sample(locale: str) -> str:
    """A word of ``locale`` (its language's own name), to tell whether it is written in Japanese."""
    return catalogue(locale)["alternate_name"]


def rank_is_surprise(policy: Policy, rank: Rank) -> bool:
    """Whether ``rank`` is kept a surprise: surprise mode, or a hidden rank in hybrid mode."""
    mode = policy.membership.disclosure.mode
    return mode == "surprise" or (mode == "hybrid" and rank.hidden)


class ContentBuilder:
    """Builds template data for the variants of one policy; policy-wide parts are built once."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._labels: dict[str, Mapping[str, str]] = {locale: for_policy(policy, locale) for locale in locales(policy)}

    # ------------------------------------------------------------------ helpers

    def labels(self, locale: str) -> dict[str, str]:
        """The labels of ``locale``, the shop's overrides applied (filling writes choice labels with them)."""
        return dict(self._labels[locale])

    def fill(self, text: str, variant: Variant, values: dict[str, str], where: str) -> str:
        """Fill the policy placeholders allowed in ``variant.kind``; name ``where`` on error."""
        allowed = PLACEHOLDERS_BY_KIND.get(variant.kind, ())
        try:
            return substitute(text, {k: v for k, v in values.items() if k in allowed})
        except PlaceholderError as error:
            raise TemplateError("rules.yaml", None, f"{where}: {error}") from error

    def money(self, amount: float, locale: str) -> str:
        return money(amount, self.policy.shop.currency, locale)

    # ------------------------------------------------------------------ the data

    def build(self, variant: Variant, tokens: bool = False) -> Data:
        """The template data of ``variant``.

        With ``tokens``, every per-order value (:mod:`otokui.emails.fields`) is
        its inert token instead of the sample customer's and order's value, and
        optional parts are always present (filling drops the empty ones).
        """
        policy, locale = self.policy, variant.locale
        email: Email = getattr(policy.emails, variant.kind)
        L = self._labels[locale]
        shop_name = policy.shop.name.get(locale)
        customer = token("customer.name") if tokens else policy.samples.customer.name.get(locale)
        order_id = token("order.id") if tokens else variant.order.id
        rank = next((r for r in policy.membership.ranks if r.id == variant.rank), None)
        rank_name = rank.name.get(locale) if rank else ""
        values = {"shop": shop_name, "order_id": order_id, "name": customer, "rank": rank_name}
        where = f"emails.{variant.kind}"
        subject = header_text(self.fill(email.subject.get(locale), variant, values, f"{where}.subject"))
        preheader = header_text(self.fill(email.preheader.get(locale), variant, values, f"{where}.preheader"))
        heading = (
            self.fill(email.heading.get(locale), variant, values, f"{where}.heading")
            if email.heading
            else self._default_heading(variant, rank, rank_name)
        )
        intro = self.fill(email.intro.get(locale), variant, values, f"{where}.intro") if email.intro else ""
        tier = policy.tier_for(variant.orders)
        blocks = list(email.blocks)
        offer_allowed = not variant.member and policy.membership.enrollment.invite_after_purchase
        if variant.kind == "order_confirmation" or not offer_allowed:
            blocks = [b for b in blocks if b != "membership_offer"]
        data: Data = {
            "kind": variant.kind,
            "locale": locale,
            "category": variant.category,
            "blocks": blocks,
            "subject": subject,
            "preheader": preheader,
            "heading": heading,
            "intro": intro,
            "L": L,
            "shop": self._shop(locale),
            "customer": {"name": customer, "dear": substitute(L["dear"], {"name": customer})},
            "tier": {
                "id": tier.id,
                "greeting": tier.greeting.get(locale),
                "thanks": tier.thanks.get(locale),
                "closing": tier.closing.get(locale),
            },
            "order": self._order_tokens(variant) if tokens else self._order(variant),
            "notices": self._notices(variant),
            "rank": self._rank(variant, rank, customer) if rank else None,
            "benefits": self._benefits(variant, rank),
            "offer": self._offer(locale, with_coupon="coupon" not in blocks) if offer_allowed else None,
            "coupon": self._coupon(variant, rank),
            "owner": self._owner(variant, email, rank),
            "review": {
                "review_url": str(email.review_url) if email.review_url else "",
                "survey_url": str(email.survey_url) if email.survey_url else "",
            },
            "footer": self._footer(variant),
        }
        return with_phrase_breaks(data) if has_japanese(locale_sample(locale)) else data

    def _default_heading(self, variant: Variant, rank: Rank | None, rank_name: str) -> str:
        """The kit's title for a kind without ``heading`` (the subject, shop prefix and all, is for the inbox)."""
        L = self._labels[variant.locale]
        key = f"heading_{variant.kind}"
        if variant.kind == "rank_up" and rank is not None and rank_is_surprise(self.policy, rank):
            key = "heading_rank_up_selected"
        return substitute(L[key], {"rank": rank_name}, keep_unknown=True)

    def _shop(self, locale: str) -> Data:
        shop = self.policy.shop
        contact = shop.contact
        return {
            "name": shop.name.get(locale),
            "legal_name": shop.legal_name.get(locale),
            "url": str(shop.url),
            "address": shop.address.get(locale),
            "logo_url": str(shop.brand.logo_url) if shop.brand.logo_url else "",
            "email": contact.email,
            "phone": contact.phone or "",
            "hours": contact.hours.get(locale) if contact.hours else "",
            "inquiry_url": str(contact.inquiry_url) if contact.inquiry_url else "",
        }

    def _order(self, variant: Variant) -> Data:
        order, locale, L = variant.order, variant.locale, self._labels[variant.locale]
        items = [
            {
                "name": item.name.get(locale),
                "quantity": substitute(L["quantity"], {"n": str(item.quantity)}),
                "total": self.money(item.price * item.quantity, locale),
            }
            for item in order.items
        ]
        subtotal = sum(item.price * item.quantity for item in order.items)
        days = order.desired_delivery_within_days
        return {
            "id": order.id,
            "lines": items,
            "subtotal": self.money(subtotal, locale),
            "shipping": self.money(order.shipping_fee, locale),
            "total": self.money(subtotal + order.shipping_fee, locale),
            "payment_method": L[f"pm_{order.payment_method}"],
            "payment_note": L.get(f"pay_note_{order.payment_method}", ""),
            "estimated_delivery": long_date(order.estimated_delivery, locale, labels=L),
            "region": L[f"region_{order.region}"],
            "desired": substitute(L["within_days"], {"n": str(days)}) if days is not None else "",
            "pre_order": L["pre_order_note"] if order.pre_order else "",
            "tracking_url": str(order.tracking_url) if order.tracking_url else "",
            "tracking_number": order.tracking_number or "",
            "carrier": order.carrier or "",
            "coupon_code": order.coupon_code or "",
            "bank": self._bank(locale) if order.payment_method == "bank_transfer" else None,
            "bank_flag": "",
            "payment_deadline": long_date(transfer_deadline(self.policy, order, locale) or "", locale, labels=L),
        }

    def _bank(self, locale: str) -> Data | None:
        """The shop's account for bank transfers (policy text)."""
        account, L = self.policy.shop.bank_account, self._labels[locale]
        if account is None:
            return None
        return {
            "bank": account.bank.get(locale),
            "branch": account.branch.get(locale),
            "type": L[f"bank_account_{account.type}"],
            "number": account.number,
            "holder": account.holder.get(locale),
        }

    def _order_tokens(self, variant: Variant) -> Data:
        """The order part with a token for every per-order value (labels around them stay literal)."""
        L = self._labels[variant.locale]
        return {
            "id": token("order.id"),
            "lines": [
                {
                    "name": token("line.name"),
                    "quantity": substitute(L["quantity"], {"n": token("line.quantity")}),
                    "total": token("line.total"),
                }
            ],
            "subtotal": token("order.subtotal"),
            "shipping": token("order.shipping"),
            "total": token("order.total"),
            "payment_method": token("order.payment_method"),
            "payment_note": token("order.payment_note"),
            "estimated_delivery": token("order.estimated_delivery"),
            "region": token("order.region"),
            "desired": substitute(L["within_days"], {"n": token("order.desired_days")}),
            "pre_order": token("order.pre_order"),
            "tracking_url": token("order.tracking_url"),
            "tracking_number": token("order.tracking_number"),
            "carrier": token("order.carrier"),
            "coupon_code": token("order.coupon_code"),
            # the account is policy text, kept for the orders paid by transfer: every line is marked
            "bank": self._bank(variant.locale) if "bank_transfer" in self.policy.shop.payment_methods else None,
            "bank_flag": token("order.bank_transfer"),
            "payment_deadline": token("order.payment_deadline"),
        }

    def _notices(self, variant: Variant) -> list[Data]:
        chosen = set(variant.notices)
        return [
            {
                "id": n.id,
                "severity": n.severity,
                "title": n.title.get(variant.locale),
                "message": n.message.get(variant.locale),
            }
            for n in self.policy.notices
            if n.id in chosen
        ]

    def _rank(self, variant: Variant, rank: Rank, customer: str) -> Data:
        policy, locale, L = self.policy, variant.locale, self._labels[variant.locale]
        name = rank.name.get(locale)
        surprise = rank_is_surprise(policy, rank)
        data: Data = {
            "id": rank.id,
            "name": name,
            "badge": rank.badge or policy.shop.brand.primary_color,
            "message": rank.message.get(locale) if rank.message else "",
            "surprise": surprise,
            "announcement": substitute(
                L["rank_selected" if surprise else "rank_reached"], {"name": customer, "rank": name}
            ),
            "rule": "",
            "progress": "",
        }
        if surprise:
            return data
        rule = self._rule(rank, locale)
        if rule:
            data["rule"] = substitute(L["rank_rule"], {"rank": name, "rule": rule})
        data["progress"] = self._progress(rank, locale)
        return data

    def _window(self, locale: str) -> str:
        window, L = self.policy.membership.qualification.window, self._labels[locale]
        if window.type == "lifetime":
            return L["window_lifetime"]
        if window.type == "calendar_year":
            return L["window_calendar"]
        return substitute(L["window_rolling"], {"months": str(window.months or 12)})

    def _rule(self, rank: Rank, locale: str) -> str:
        L, threshold, window = self._labels[locale], rank.threshold, self._window(locale)
        parts = []
        if threshold.spend:
            parts.append(
                substitute(L["rank_rule_spend"], {"window": window, "spend": self.money(threshold.spend, locale)})
            )
        if threshold.orders:
            parts.append(substitute(L["rank_rule_orders"], {"window": window, "orders": str(threshold.orders)}))
        return " / ".join(parts)

    def _progress(self, rank: Rank, locale: str) -> str:
        """How far the sample member (just reached ``rank``) is from the next rank, when shown."""
        policy, L = self.policy, self._labels[locale]
        if not policy.membership.disclosure.show_progress:
            return ""
        ranks = policy.membership.ranks
        index = next(i for i, r in enumerate(ranks) if r.id == rank.id)
        if index + 1 >= len(ranks) or rank_is_surprise(policy, ranks[index + 1]):
            return ""
        nxt = ranks[index + 1]
        nxt_name = nxt.name.get(locale)
        if nxt.threshold.spend is not None:
            gap = nxt.threshold.spend - (rank.threshold.spend or 0)
            return substitute(L["progress_spend"], {"next": nxt_name, "amount": self.money(gap, locale)})
        if nxt.threshold.orders is not None:
            gap = nxt.threshold.orders - (rank.threshold.orders or 0)
            return substitute(L["progress_orders"], {"next": nxt_name, "count": str(gap)})
        return ""

    def _benefit(self, benefit: Benefit, locale: str) -> Data:
        return {"id": benefit.id, "name": benefit.name.get(locale), "description": benefit.description.get(locale)}

    def _benefits(self, variant: Variant, rank: Rank | None) -> Data:
        """Rank benefits for a member's own rank (surprise ones included); public base benefits otherwise."""
        L, locale, policy = self._labels[variant.locale], variant.locale, self.policy
        if rank is not None:
            items = [self._benefit(b, locale) for b in policy.rank_benefits(rank)]
            title = substitute(L["benefits_rank"], {"rank": rank.name.get(locale)})
            return {"title": title, "entries": items, "note": ""}
        base = policy.membership.ranks[0]
        items = [self._benefit(b, locale) for b in policy.rank_benefits(base) if not b.surprise]
        more = len(policy.membership.ranks) > 1 and policy.membership.disclosure.mode != "published"
        return {"title": L["benefits_member"], "entries": items, "note": L["more_ranks_surprise"] if more else ""}

    def _coupon_text(self, coupon: Coupon, locale: str) -> str:
        L = self._labels[locale]
        amount = f"{coupon.amount}%" if coupon.kind == "percent" else self.money(coupon.amount, locale)
        days = str(coupon.valid_days)
        if coupon.min_spend:
            terms = substitute(L["coupon_terms"], {"min_spend": self.money(coupon.min_spend, locale), "days": days})
        else:
            terms = substitute(L["coupon_terms_days"], {"days": days})
        key = "offer_coupon_next" if coupon.usable_on == "next_order" else "offer_coupon_any"
        return substitute(L[key], {"amount": amount, "terms": terms})

    def _offer(self, locale: str, with_coupon: bool) -> Data:
        """Sign-up benefits, as the policy states them (the coupon is left to the coupon block if there is one)."""
        L, benefits = self._labels[locale], self.policy.membership.enrollment.signup_benefits
        items = []
        if benefits.saved_address:
            items.append(L["offer_saved_address"])
        if benefits.newsletter_opt_in:
            items.append(L["offer_newsletter"])
        if benefits.first_order_coupon and with_coupon:
            items.append(self._coupon_text(benefits.first_order_coupon, locale))
        enrollment = self.policy.membership.enrollment
        return {"points": items, "url": str(enrollment.signup_url or self.policy.shop.url)}

    def _coupon(self, variant: Variant, rank: Rank | None) -> Data | None:
        locale, L = variant.locale, self._labels[variant.locale]
        if variant.kind == "membership_invite":
            coupon = self.policy.membership.enrollment.signup_benefits.first_order_coupon
            return {"title": L["coupon"], "text": self._coupon_text(coupon, locale), "detail": ""} if coupon else None
        if rank is None:
            return None
        for benefit in self.policy.rank_benefits(rank):
            if benefit.type == "birthday_coupon":
                amount = self.money(benefit.value or 0, locale)
                text = substitute(L["birthday_coupon"], {"amount": amount})
                return {"title": L["coupon"], "text": text, "detail": benefit.description.get(locale)}
        return None

    def _owner(self, variant: Variant, email: Email, rank: Rank | None) -> Data | None:
        owner = self.policy.shop.brand.owner
        if owner is None:
            return None
        locale, L = variant.locale, self._labels[variant.locale]
        name = owner.name.get(locale)
        if rank is not None and rank.message and variant.kind == "rank_up":
            letter = rank.message.get(locale)
        elif variant.tier in email.letter_by_tier:
            letter = email.letter_by_tier[variant.tier].get(locale)
        elif email.letter is not None:
            letter = email.letter.get(locale)
        else:
            letter = L.get(f"letter_{variant.kind}", L["letter_default"])
        signature = owner.signature.get(locale) if owner.signature else name
        return {
            "name": name,
            "photo_url": str(owner.photo_url) if owner.photo_url else "",
            "photo_alt": substitute(L["owner_photo_alt"], {"owner": name}),
            "letter": letter,
            "signature": substitute(L["letter_sign_off"], {"owner": signature}),
        }

    def _footer(self, variant: Variant) -> Data:
        policy, locale, L = self.policy, variant.locale, self._labels[variant.locale]
        footer, legal, shop = policy.legal.footer, policy.legal, policy.shop
        shop_name = shop.name.get(locale)
        if variant.category == "marketing":
            reason = L["footer_reason_marketing"]
        elif variant.member:
            reason = L["footer_reason_member"]
        else:
            reason = L["footer_reason_order"]
        marketing = variant.category == "marketing"
        wants_unsubscribe = variant.category != "transactional" and (footer.unsubscribe_for_marketing or marketing)
        sender = substitute(L["sender"], {"shop": shop_name, "legal_name": shop.legal_name.get(locale)})
        return {
            "reason": substitute(reason, {"shop": shop_name}),
            "sender": sender if footer.sender or marketing else "",
            "address": shop.address.get(locale) if footer.address or marketing else "",
            "inquiry_email": shop.contact.email if footer.inquiry else "",
            "inquiry_url": str(shop.contact.inquiry_url) if footer.inquiry and shop.contact.inquiry_url else "",
            "unsubscribe_url": str(legal.unsubscribe_url) if wants_unsubscribe and legal.unsubscribe_url else "",
            "privacy_url": str(legal.privacy_url) if legal.privacy_url else "",
            "shop_link": substitute(L["shop_link"], {"shop": shop_name}),
        }
