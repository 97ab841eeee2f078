"""The fixed wording of the email templates, per locale.

Everything a customer reads comes from the policy except these labels.
They are written to suit every purchase-count tier: none presumes past
orders, none says it is the first order, and none hurries the reader
(the tests hold them to the same phrase lists as the checker).
Placeholders in braces are filled with :func:`otokui.placeholders.substitute`.
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    # greeting
    "dear": {"ja": "{name} 様", "en": "Dear {name},"},
    # order summary
    "order_summary": {"ja": "ご注文内容", "en": "Your order"},
    "order_number": {"ja": "注文番号", "en": "Order number"},
    "quantity": {"ja": "数量 {n}", "en": "Qty {n}"},
    "subtotal": {"ja": "小計", "en": "Subtotal"},
    "shipping_fee": {"ja": "送料", "en": "Shipping"},
    "total": {"ja": "合計（税込）", "en": "Total (tax included)"},
    # payment
    "payment": {"ja": "お支払い方法", "en": "Payment"},
    "pm_credit_card": {"ja": "クレジットカード", "en": "Credit card"},
    "pm_bank_transfer": {"ja": "銀行振込", "en": "Bank transfer"},
    "pm_convenience_store": {"ja": "コンビニ払い", "en": "Convenience store payment"},
    "pm_cash_on_delivery": {"ja": "代金引換", "en": "Cash on delivery"},
    "pm_carrier_billing": {"ja": "キャリア決済", "en": "Mobile carrier billing"},
    "pm_paypay": {"ja": "PayPay", "en": "PayPay"},
    "pay_note_bank_transfer": {
        "ja": "ご入金を確認したあとに発送します。",
        "en": "We ship once your transfer has arrived.",
    },
    "pay_note_convenience_store": {
        "ja": "お支払いを確認したあとに発送します。",
        "en": "We ship once your payment has arrived.",
    },
    "pay_note_cash_on_delivery": {
        "ja": "商品をお受け取りの際に、配達員へお支払いください。",
        "en": "Please pay the driver when your parcel arrives.",
    },
    # delivery
    "delivery": {"ja": "お届けについて", "en": "Delivery"},
    "estimated_delivery": {"ja": "お届け予定日", "en": "Expected delivery"},
    "region": {"ja": "お届け地域", "en": "Delivery area"},
    "desired_delivery": {"ja": "ご希望のお届け", "en": "Requested delivery"},
    "within_days": {"ja": "ご注文から{n}日以内", "en": "within {n} days of ordering"},
    "pre_order_note": {"ja": "予約商品を含むご注文です。", "en": "This order includes pre-order items."},
    "region_mainland": {"ja": "本州・四国・九州", "en": "Mainland Japan"},
    "region_hokkaido": {"ja": "北海道", "en": "Hokkaido"},
    "region_okinawa": {"ja": "沖縄", "en": "Okinawa"},
    "region_remote_island": {"ja": "離島", "en": "Remote islands"},
    "region_overseas": {"ja": "海外", "en": "Overseas"},
    # tracking
    "tracking": {"ja": "配送状況", "en": "Tracking"},
    "tracking_text": {
        "ja": "配送会社のページで、お荷物の現在の状況をご確認いただけます。",
        "en": "The carrier's page shows where your parcel is now.",
    },
    "tracking_button": {"ja": "配送状況を確認する", "en": "Track your parcel"},
    # review and survey
    "review": {"ja": "ご感想をお聞かせください", "en": "Tell us what you think"},
    "review_text": {
        "ja": "お時間のあるときに、よろしければご感想をお寄せください。焙煎や品揃えの参考にさせていただきます。",
        "en": "If you have a moment, we would love to hear your thoughts. They help us choose and roast better.",
    },
    "review_button": {"ja": "レビューを書く", "en": "Write a review"},
    "survey_button": {"ja": "アンケートに答える", "en": "Answer a short survey"},
    # membership offer and invitation
    "offer": {"ja": "会員登録のご案内（任意）", "en": "Membership, if you would like it"},
    "offer_text": {
        "ja": "会員登録は任意です。登録しなくても、ゲストとしてお買い物いただけます。",
        "en": "Membership is entirely optional: you can keep shopping as a guest.",
    },
    "offer_saved_address": {
        "ja": "お届け先を保存して、次のご注文で入力を省けます。",
        "en": "Save your address, so you need not type it on your next order.",
    },
    "offer_newsletter": {
        "ja": "メールマガジンはご希望の方にだけお送りします（登録画面のチェックは最初は外れています）。",
        "en": "A newsletter only if you want one: the box on the sign-up form starts unticked.",
    },
    "offer_coupon_next": {
        "ja": "次のご注文で使える{amount}引きクーポン{terms}",
        "en": "A {amount} coupon for your next order{terms}",
    },
    "offer_coupon_any": {"ja": "ご注文で使える{amount}引きクーポン{terms}", "en": "A {amount} coupon{terms}"},
    "coupon_terms": {
        "ja": "（{min_spend}以上のご注文、{days}日間有効）",
        "en": " (orders of {min_spend} or more, valid {days} days)",
    },
    "coupon_terms_days": {"ja": "（{days}日間有効）", "en": " (valid {days} days)"},
    "offer_button": {"ja": "会員登録について見る", "en": "About membership"},
    "coupon": {"ja": "クーポン", "en": "Your coupon"},
    "birthday_coupon": {"ja": "{amount}分のお誕生月クーポン", "en": "A {amount} birthday coupon"},
    "benefits_member": {"ja": "会員特典", "en": "Member benefits"},
    "benefits_rank": {"ja": "{rank}会員の特典", "en": "Your {rank} benefits"},
    "more_ranks_surprise": {
        "ja": "長くお付き合いくださる方には、ささやかな特典をご用意しています。",
        "en": "Over time, members may receive a few small surprises from us.",
    },
    # rank announcement
    "rank_selected": {
        "ja": "{name} 様を、{rank}会員にお選びしました。",
        "en": "We have selected you as a {rank} member.",
    },
    "rank_reached": {"ja": "{rank}会員になりました。", "en": "You are now a {rank} member."},
    "rank_rule_spend": {"ja": "{window}のお買い物 {spend}以上", "en": "{spend} or more spent {window}"},
    "rank_rule_orders": {"ja": "{window}のご注文 {orders}回以上", "en": "{orders} or more orders {window}"},
    "rank_rule": {"ja": "{rank}会員の条件: {rule}", "en": "{rank} membership: {rule}"},
    "window_lifetime": {"ja": "これまで", "en": "in total"},
    "window_rolling": {"ja": "直近{months}か月", "en": "in the last {months} months"},
    "window_calendar": {"ja": "今年", "en": "this calendar year"},
    "progress_spend": {"ja": "{next}会員まで、あと{amount}です。", "en": "{amount} more to reach {next}."},
    "progress_orders": {
        "ja": "{next}会員まで、あと{count}回のご注文です。",
        "en": "{count} more orders to reach {next}.",
    },
    # owner letter
    "letter_thanks_review": {
        "ja": "お届けした品が、心地よいひとときのお供になりますように。",
        "en": "I hope what we sent brings you some quiet, good moments.",
    },
    "letter_rank_up": {"ja": "ささやかですが、感謝の気持ちをお届けします。", "en": "A small token of our thanks."},
    "letter_birthday": {"ja": "すてきな一年になりますように。", "en": "Wishing you a wonderful year ahead."},
    "letter_default": {"ja": "お読みいただき、ありがとうございます。", "en": "Thank you for reading."},
    "owner_photo_alt": {"ja": "{owner}の写真", "en": "Photo of {owner}"},
    # contact and footer
    "contact": {"ja": "お問い合わせ", "en": "Contact us"},
    "contact_email": {"ja": "メール", "en": "Email"},
    "contact_phone": {"ja": "電話", "en": "Phone"},
    "contact_hours": {"ja": "受付時間", "en": "Hours"},
    "contact_form": {"ja": "お問い合わせフォーム", "en": "Contact form"},
    "footer_reason_order": {
        "ja": "このメールは、{shop}でご注文いただいた方にお送りしています。",
        "en": "You are receiving this email because you placed an order with {shop}.",
    },
    "footer_reason_member": {
        "ja": "このメールは、{shop}の会員の方にお送りしています。",
        "en": "You are receiving this email as a member of {shop}.",
    },
    "footer_reason_marketing": {
        "ja": "このメールは、{shop}からのお知らせの受け取りを希望された方にお送りしています。",
        "en": "You are receiving this email because you asked for news from {shop}.",
    },
    "unsubscribe": {"ja": "配信停止・メール設定", "en": "Unsubscribe or change email settings"},
    "privacy": {"ja": "プライバシーポリシー", "en": "Privacy policy"},
    "sender": {"ja": "{shop}（{legal_name}）", "en": "{shop} ({legal_name})"},
    "shop_link": {"ja": "{shop}のサイト", "en": "Visit {shop}"},
    "letter_sign_off": {"ja": "{owner}より", "en": "With thanks, {owner}"},
}


def labels_for(locale: str) -> dict[str, str]:
    """Every label in ``locale`` (English where a label lacks the locale)."""
    return {key: texts.get(locale, texts["en"]) for key, texts in LABELS.items()}
