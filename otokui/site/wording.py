"""The member site's own words, per locale, and the policy facts written out as sentences.

Everything here is plain text: the page templates escape it like any other
value, so a sentence can safely carry a shop's name or a rank's name.
Nothing in this module ever states a threshold unless the disclosure mode
publishes thresholds; :func:`threshold_text` is the only place that writes one.
"""

from __future__ import annotations

from otokui.i18n.format import money
from otokui.placeholders import substitute
from otokui.policy.model import Condition, Coupon, Notice, Policy, Rank, Threshold

UI: dict[str, dict[str, str]] = {
    "ja": {
        "home": "ホーム",
        "benefits": "会員特典",
        "ranks": "会員ランク",
        "notices": "ご注文時のご案内",
        "faq": "よくあるご質問",
        "home_title": "{shop} 会員のご案内",
        "home_intro": (
            "{shop}の会員制度についてのご案内です。会員登録は任意で、登録しなくてもいつでもお買い物いただけます。"
        ),
        "contact": "お問い合わせ",
        "benefits_title": "会員特典のご案内",
        "guest_title": "会員登録なしでもお買い物できます",
        "guest_body": (
            "ご注文はゲストのまま、会員登録をせずにお手続きいただけます。会員登録は任意で、ご希望の方だけで構いません。"
        ),
        "invite_after": "ご注文のあと、ご希望の方には会員登録のご案内をメールでお送りします。",
        "invite_only": "会員登録は、お買い物のあとにお送りするご案内からお手続きいただけます。",
        "signup_heading": "会員登録でできること",
        "saved_address": "お届け先を保存して、次回からのご注文を簡単にできます。",
        "newsletter": (
            "メールマガジンは、ご希望の方だけがお受け取りになれます。"
            "登録時のチェックボックスは、最初はチェックが外れています。"
        ),
        "rank_benefits_heading": "ランクごとの特典",
        "rank_more": "{rank}会員のご案内",
        "no_public_benefits": "特典は、選ばれた方に直接お知らせします。",
        "surprise_extra": "このほかにも、選ばれた方だけにメールでお知らせする特典があります。",
        "ranks_title": "会員ランクについて",
        "ranks_intro_published": "会員ランクは{count}段階です。ランクごとの条件と特典をご案内します。",
        "ranks_intro_surprise": (
            "会員ランクは{count}段階です。ランクは目標として追いかけるものではなく、"
            "感謝を込めて私たちからお選びするものです。"
        ),
        "condition": "条件",
        "base_condition": "会員登録をされた方すべて",
        "retain": "ランクの維持",
        "how_counted": "ランクの決まり方",
        "how_selected": "ランクの選ばれ方",
        "selected_body": (
            "{window}のお買い物を振り返り、感謝を込めてお選びしています。選ばれた方には、メールでお知らせします。"
        ),
        "review_heading": "見直しの時期",
        "notices_title": "ご注文時のご案内",
        "notices_intro": "お支払い方法やお届け先によって、あらかじめ知っておいていただきたいことをまとめました。",
        "notices_none": "現在、特にお知らせはありません。",
        "applies_to": "対象",
        "faq_title": "よくあるご質問",
        "announce_default": "{rank}会員に選ばれました",
        "announce_benefits": "{rank}会員の特典",
        "announce_criteria": "{rank}会員の条件",
        "see_ranks": "会員ランクについて",
        "see_benefits": "会員特典のご案内",
        "alternate_name": "日本語",
        "and": "、かつ",
        "or": "、または",
        "list_sep": "、",
        "colon": "：",
        "sentence_sep": "",
    },
    "en": {
        "home": "Home",
        "benefits": "Benefits",
        "ranks": "Ranks",
        "notices": "Order notes",
        "faq": "FAQ",
        "home_title": "{shop} membership",
        "home_intro": "How membership at {shop} works. Membership is optional: you can always shop without an account.",
        "contact": "Contact",
        "benefits_title": "Membership benefits",
        "guest_title": "You can shop without an account",
        "guest_body": "Guest checkout is always available. Membership is optional, for those who would like it.",
        "invite_after": "After your order, we send an invitation to join by email, in case you would like to.",
        "invite_only": "You can join from the invitation we send after your order.",
        "signup_heading": "What membership gives you",
        "saved_address": "Your delivery address is saved, so your next order is quicker.",
        "newsletter": "A newsletter only if you want one: the box on the sign-up form starts unticked.",
        "rank_benefits_heading": "Benefits by rank",
        "rank_more": "About {rank} membership",
        "no_public_benefits": "Its benefits are shared personally with the members selected.",
        "surprise_extra": "There is more besides, which we share by email with the members selected.",
        "ranks_title": "Membership ranks",
        "ranks_intro_published": "There are {count} membership ranks. Here is what each one asks and what it brings.",
        "ranks_intro_surprise": (
            "There are {count} membership ranks. They are not a target to chase:"
            " we select members for them, as a thank-you."
        ),
        "condition": "What it takes",
        "base_condition": "Everyone who joins",
        "retain": "Keeping the rank",
        "how_counted": "How ranks are decided",
        "how_selected": "How members are selected",
        "selected_body": (
            "We look back over {window} and select members as a thank-you. If you are selected,"
            " we let you know by email."
        ),
        "review_heading": "When ranks are reviewed",
        "notices_title": "Notes on your order",
        "notices_intro": "Things worth knowing in advance, depending on how you pay and where we deliver.",
        "notices_none": "There is nothing to note at the moment.",
        "applies_to": "Applies to",
        "faq_title": "Frequently asked questions",
        "announce_default": "You have been selected as a {rank} member",
        "announce_benefits": "{rank} benefits",
        "announce_criteria": "Who becomes a {rank} member",
        "see_ranks": "About membership ranks",
        "see_benefits": "Membership benefits",
        "alternate_name": "English",
        "and": ", and ",
        "or": ", or ",
        "list_sep": ", ",
        "colon": ": ",
        "sentence_sep": " ",
    },
}

PAYMENT = {
    "ja": {
        "credit_card": "クレジットカード",
        "bank_transfer": "銀行振込",
        "convenience_store": "コンビニ払い",
        "cash_on_delivery": "代金引換",
        "carrier_billing": "キャリア決済",
        "paypay": "PayPay",
    },
    "en": {
        "credit_card": "credit card",
        "bank_transfer": "bank transfer",
        "convenience_store": "convenience-store payment",
        "cash_on_delivery": "cash on delivery",
        "carrier_billing": "carrier billing",
        "paypay": "PayPay",
    },
}

REGION = {
    "ja": {
        "mainland": "本州・四国・九州",
        "hokkaido": "北海道",
        "okinawa": "沖縄",
        "remote_island": "離島",
        "overseas": "海外",
    },
    "en": {
        "mainland": "mainland Japan",
        "hokkaido": "Hokkaido",
        "okinawa": "Okinawa",
        "remote_island": "remote islands",
        "overseas": "overseas",
    },
}


def ui(locale: str, key: str, **values: str | int) -> str:
    """A UI string in ``locale`` with ``{name}`` slots filled (one pass, never str.format)."""
    return substitute(UI[locale][key], values, keep_unknown=True)


def sentences(locale: str, *parts: str) -> str:
    """Sentences joined as the locale writes them: no space in Japanese, one in English."""
    return UI[locale]["sentence_sep"].join(part for part in parts if part)


def window_text(policy: Policy, locale: str) -> str:
    window = policy.membership.qualification.window
    if window.type == "rolling_months":
        months = window.months or 12
        return f"直近{months}か月" if locale == "ja" else f"the last {months} months"
    if window.type == "calendar_year":
        return "その年（1月1日〜12月31日）" if locale == "ja" else "the calendar year (1 January to 31 December)"
    return "これまでの累計" if locale == "ja" else "all your orders since you joined"


def basis_text(policy: Policy, locale: str) -> str:
    included = policy.membership.qualification.amount_basis == "tax_included"
    if locale == "ja":
        return "税込" if included else "税抜"
    return "including tax" if included else "excluding tax"


def threshold_text(policy: Policy, threshold: Threshold, locale: str) -> str:
    """What a threshold asks, in words: published disclosure only."""
    if policy.surprise:
        raise ValueError("thresholds are never written out in surprise mode")
    parts: list[str] = []
    window = window_text(policy, locale)
    if threshold.spend:
        amount = money(threshold.spend, policy.shop.currency, locale)
        basis = basis_text(policy, locale)
        parts.append(
            f"{window}のお買い物金額（{basis}）が{amount}以上"
            if locale == "ja"
            else f"{amount} or more spent over {window} ({basis})"
        )
    if threshold.orders:
        n = threshold.orders
        parts.append(f"{window}のご注文が{n}回以上" if locale == "ja" else f"{n} or more orders over {window}")
    return ui(locale, "and").join(parts)


def rank_condition(policy: Policy, rank: Rank, locale: str) -> str:
    if rank is policy.membership.ranks[0] or not (rank.threshold.spend or rank.threshold.orders):
        return ui(locale, "base_condition")
    return threshold_text(policy, rank.threshold, locale)


def schedule_text(policy: Policy, locale: str) -> str:
    evaluation = policy.membership.qualification.evaluation
    ja = {
        "monthly": "ランクは毎月見直します。",
        "quarterly": "ランクは3か月ごとに見直します。",
        "yearly": "ランクは年に1回見直します。",
        "on_purchase": "ランクはご注文のたびに見直します。",
    }
    en = {
        "monthly": "Ranks are reviewed every month.",
        "quarterly": "Ranks are reviewed every three months.",
        "yearly": "Ranks are reviewed once a year.",
        "on_purchase": "Ranks are reviewed with every order.",
    }
    sentences = [(ja if locale == "ja" else en)[evaluation.schedule]]
    if evaluation.upgrade_on_purchase and evaluation.schedule != "on_purchase":
        sentences.append(
            "ランクが上がるときは、見直しを待たずにご注文の時点で反映します。"
            if locale == "ja"
            else "Moving up does not wait for the review: it happens with the order itself."
        )
    if evaluation.delay_days:
        days = evaluation.delay_days
        sentences.append(
            f"ご注文は、返品をお受けできる期間が過ぎた{days}日後に数えます。"
            if locale == "ja"
            else f"An order counts {days} days after it is placed, once the return period has passed."
        )
    return UI[locale]["sentence_sep"].join(sentences)


def downgrade_text(policy: Policy, locale: str) -> str:
    downgrade = policy.membership.qualification.downgrade
    base = policy.membership.ranks[0].name.get(locale)
    if not downgrade.enabled:
        return (
            "一度上がったランクが下がることはありません。"
            if locale == "ja"
            else "Once you move up, your rank never goes down."
        )
    months = downgrade.after_inactive_months
    if downgrade.mode == "one_step":
        return (
            f"{months}か月のあいだご注文がない場合は、ランクが1つ下がります。"
            if locale == "ja"
            else f"If there is no order for {months} months, the rank moves down one step."
        )
    return (
        f"{months}か月のあいだご注文がない場合は、{base}に戻ります。"
        if locale == "ja"
        else f"If there is no order for {months} months, the rank returns to {base}."
    )


def coupon_text(policy: Policy, coupon: Coupon, locale: str) -> str:
    """The sign-up coupon, with every condition stated (guideline 2: honest sign-up benefits)."""
    off = money(coupon.amount, policy.shop.currency, locale) if coupon.kind == "fixed" else f"{coupon.amount}%"
    when_ja = "次回のご注文で使える" if coupon.usable_on == "next_order" else "ご登録後のご注文で使える"
    when_en = "for your next order" if coupon.usable_on == "next_order" else "for an order after you join"
    if locale == "ja":
        text = f"{when_ja}{off}引きクーポンを差し上げます（ご登録から{coupon.valid_days}日間有効"
        if coupon.min_spend:
            text += f"、{money(coupon.min_spend, policy.shop.currency, locale)}以上のご注文が対象"
        return text + "）。"
    text = f"A coupon worth {off} off {when_en} (valid for {coupon.valid_days} days after joining"
    if coupon.min_spend:
        text += f", on orders of {money(coupon.min_spend, policy.shop.currency, locale)} or more"
    return text + ")."


def counting_text(policy: Policy, locale: str) -> str:
    """How progress is counted (published disclosure): the metric, its basis and window."""
    metric = policy.membership.qualification.metric
    window = window_text(policy, locale)
    basis = basis_text(policy, locale)
    if locale == "ja":
        what = {
            "spend": f"お買い物金額（{basis}）",
            "order_count": "ご注文の回数",
            "spend_and_count": f"お買い物金額（{basis}）とご注文の回数",
        }[metric]
        return f"{window}の{what}をもとにランクが決まります。"
    what = {
        "spend": f"what you spend ({basis})",
        "order_count": "how many orders you place",
        "spend_and_count": f"what you spend ({basis}) and how many orders you place",
    }[metric]
    return f"Your rank follows {what} over {window}."


def condition_text(policy: Policy, condition: Condition, locale: str) -> str:
    """One notice condition in words: every key set in it must hold."""
    ja = locale == "ja"
    parts: list[str] = []
    sep = UI[locale]["list_sep"]
    if condition.payment_method:
        methods = sep.join(PAYMENT[locale][m] for m in condition.payment_method)
        parts.append(f"お支払い方法が{methods}" if ja else f"paying by {methods}")
    if condition.desired_delivery_within_days is not None:
        days = condition.desired_delivery_within_days
        parts.append(
            f"お届け希望日がご注文から{days}日以内" if ja else f"a delivery date within {days} days of ordering"
        )
    if condition.region:
        regions = sep.join(REGION[locale][r] for r in condition.region)
        parts.append(f"お届け先が{regions}" if ja else f"delivery to {regions}")
    if condition.cart_tag:
        tags = sep.join(condition.cart_tag)
        parts.append(f"「{tags}」の商品を含むご注文" if ja else f"orders with items marked “{tags}”")
    if condition.pre_order is not None:
        if condition.pre_order:
            parts.append("予約商品を含むご注文" if ja else "orders with pre-order items")
        else:
            parts.append("予約商品を含まないご注文" if ja else "orders without pre-order items")
    return UI[locale]["and"].join(parts)


def notice_scope(policy: Policy, notice: Notice, locale: str) -> str:
    """Who a notice is for: all of ``when.all``, and one of ``when.any``."""
    when = notice.when
    pieces: list[str] = []
    if when.all:
        pieces.append(UI[locale]["and"].join(condition_text(policy, c, locale) for c in when.all))
    if when.any:
        pieces.append(UI[locale]["or"].join(condition_text(policy, c, locale) for c in when.any))
    text = UI[locale]["and"].join(pieces)
    return text + ("の場合" if locale == "ja" and text else "")
