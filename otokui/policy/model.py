"""The shop's policy, as read from rules.yaml: a typed, frozen model.

Field names are the keys of rules.yaml. Structural rules (types, allowed
values, unknown keys) live here; rules that look across the policy
(references between ids, increasing thresholds, locales present in every
text) live in :mod:`otokui.policy.semantics`, so that every problem can be
reported at once with its line and column.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, PrivateAttr, StringConstraints

from otokui.policy.text import Text

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Locale = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"),
    Field(description="A locale with a catalogue: ja, en, or one of the shop's own (locales/<code>.yaml)."),
]
Color = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
Url = Annotated[HttpUrl, Field(description="An absolute https:// address (http:// is refused by the loader).")]
EmailKind = Literal[
    "order_confirmation",
    "payment_received",
    "shipped",
    "thanks_review",
    "membership_invite",
    "rank_up",
    "birthday",
]
EMAIL_KINDS: tuple[str, ...] = EmailKind.__args__  # type: ignore[attr-defined]
PaymentMethod = Literal[
    "credit_card", "bank_transfer", "convenience_store", "cash_on_delivery", "carrier_billing", "paypay"
]
Region = Literal["mainland", "hokkaido", "okinawa", "remote_island", "overseas"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- shop


ImageFile = Annotated[
    str,
    StringConstraints(min_length=1, max_length=255),
    Field(
        description="An image file (PNG, JPEG, GIF, WebP or SVG, at most 2 MB) inside the folder of rules.yaml, "
        "named relative to it, e.g. images/logo.png."
    ),
]


class Owner(Strict):
    name: Text
    photo_url: Url | None = Field(None, description="The owner's photo as an https address (emails).")
    photo_file: ImageFile | None = Field(
        None, description="The owner's photo as a file beside rules.yaml (printed letters; else photo_url)."
    )
    signature: Text | None = Field(None, description="A short hand-written style sign-off under the owner's letters.")
    signature_file: ImageFile | None = Field(
        None, description="The owner's hand-written signature, scanned (printed letters, above the name)."
    )


class Brand(Strict):
    logo_url: Url | None = Field(None, description="The logo as an https address (emails; the site without logo_file).")
    logo_file: ImageFile | None = Field(
        None, description="The logo as a file beside rules.yaml (printed letters and the member site's header)."
    )
    primary_color: Color = "#3f51b5"
    accent_color: Color | None = None
    owner: Owner | None = None


class Contact(Strict):
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")]
    phone: Annotated[str, StringConstraints(pattern=r"^[0-9+()\- ]{6,20}$")] | None = None
    inquiry_url: Url | None = None
    hours: Text | None = None


class Delivery(Strict):
    fastest_days: int = Field(2, ge=0, le=60, description="Fewest days from order to arrival the shop offers.")
    desired_date: bool = Field(True, description="Whether customers may ask for a delivery date.")
    regions: list[Region] = ["mainland"]


class BankAccount(Strict):
    """Where customers paying by bank transfer send the money (printed in their order mail)."""

    bank: Text = Field(description="The bank's name, e.g. {ja: みずほ銀行, en: Mizuho Bank}.")
    branch: Text = Field(description="The branch, e.g. {ja: 渋谷支店（店番号 123）, en: Shibuya branch (123)}.")
    type: Literal["ordinary", "current"] = Field("ordinary", description="普通 (ordinary) or 当座 (current).")
    number: Annotated[str, StringConstraints(pattern=r"^[0-9]{4,10}$")] = Field(description="The account number.")
    holder: Text = Field(description="The account holder as the bank writes it, e.g. {ja: カ）ツチトアカリ}.")
    deadline_days: int = Field(7, ge=1, le=60, description="Days after the order by which the transfer is due.")


class Shop(Strict):
    name: Text
    legal_name: Text
    url: Url
    locales: list[Locale] = Field(["ja"], min_length=1)
    default_locale: Locale = "ja"
    currency: Literal["JPY", "USD", "EUR"] = "JPY"
    timezone: str = "Asia/Tokyo"
    contact: Contact
    address: Text
    brand: Brand = Brand()
    payment_methods: list[PaymentMethod] = ["credit_card"]
    bank_account: BankAccount | None = Field(
        None,
        description="The account customers pay into; with bank_transfer among payment_methods the checker (OT603)"
        " requires it.",
    )
    delivery: Delivery = Delivery()


# --------------------------------------------------------------------------- membership


class Coupon(Strict):
    amount: int = Field(gt=0, description="Yen off (kind: fixed) or percent off (kind: percent).")
    kind: Literal["fixed", "percent"] = "fixed"
    usable_on: Literal["next_order", "any_order"] = "next_order"
    min_spend: int = Field(0, ge=0)
    valid_days: int = Field(60, gt=0)


class SignupBenefits(Strict):
    saved_address: bool = True
    newsletter_opt_in: bool = Field(
        True, description="A newsletter only if the customer ticks the box (never pre-ticked)."
    )
    first_order_coupon: Coupon | None = None


class Enrollment(Strict):
    guest_checkout: bool = Field(True, description="Must be true: buying never needs an account.")
    invite_after_purchase: bool = True
    mode: Literal["optional", "invite_only"] = "optional"
    signup_benefits: SignupBenefits = SignupBenefits()
    signup_url: Url | None = Field(None, description="Where a customer may sign up (linked from the invitation).")
    cancel_url: Url | None = Field(None, description="Where a member may leave (linked from the FAQ).")


class Window(Strict):
    type: Literal["lifetime", "rolling_months", "calendar_year"] = "rolling_months"
    months: int | None = Field(12, ge=1, le=120)


class Evaluation(Strict):
    schedule: Literal["monthly", "quarterly", "yearly", "on_purchase"] = "monthly"
    upgrade_on_purchase: bool = True
    delay_days: int = Field(0, ge=0, le=90)


class Downgrade(Strict):
    enabled: bool = True
    mode: Literal["one_step", "to_base"] = "one_step"
    after_inactive_months: int = Field(12, ge=1, le=120)


class Qualification(Strict):
    metric: Literal["spend", "order_count", "spend_and_count"] = "spend"
    amount_basis: Literal["tax_included", "tax_excluded"] = "tax_included"
    window: Window = Window()
    evaluation: Evaluation = Evaluation()
    downgrade: Downgrade = Downgrade()


class Disclosure(Strict):
    mode: Literal["published", "surprise", "hybrid"] = "published"
    show_progress: bool = Field(False, description="Show 'how far to the next rank' (published mode only).")


class Threshold(Strict):
    spend: int | None = Field(None, ge=0, description="Spend within the window, in the shop's currency.")
    orders: int | None = Field(None, ge=0, description="Orders within the window.")


BenefitType = Literal[
    "point_rate",
    "discount_percent",
    "free_shipping",
    "birthday_coupon",
    "early_access",
    "dedicated_support",
    "same_day_shipping",
    "event_invite",
    "digital_gift",
    "subscription_discount",
    "perk",
]


class Benefit(Strict):
    id: Id
    type: BenefitType
    name: Text
    description: Text
    value: float | None = Field(None, ge=0, description="Percent for rates and discounts, yen for coupons.")
    min_spend: int | None = Field(None, ge=0)
    surprise: bool = Field(False, description="Never listed publicly: only told to members who receive it.")


class Rank(Strict):
    id: Id
    name: Text
    threshold: Threshold = Threshold()
    retain: Threshold | None = Field(None, description="What keeps the rank at review (defaults to the threshold).")
    hidden: bool = Field(False, description="Not listed on public pages at all (invitation only).")
    badge: Color | None = None
    benefits: list[Id] = []
    message: Text | None = Field(None, description="A personal line for the rank-up mail and announcement page.")


class Membership(Strict):
    enrollment: Enrollment = Enrollment()
    qualification: Qualification = Qualification()
    disclosure: Disclosure = Disclosure()
    ranks: list[Rank] = Field(min_length=1)
    benefits: list[Benefit] = []


# --------------------------------------------------------------------------- wording


class Tier(Strict):
    id: Id
    min_orders: int = Field(ge=1)
    max_orders: int | None = Field(None, ge=1)
    label: Text | None = None
    greeting: Text
    thanks: Text
    closing: Text


class Wording(Strict):
    purchase_count_tiers: list[Tier] = Field(min_length=1)
    labels: dict[str, Text] = Field(
        {},
        description=(
            "The shop's own words for any of the kit's labels and sentences, per locale"
            " (e.g. review_text: {ja: …, en: …}); a locale left out keeps the kit's text. Keys: docs/wording.md."
        ),
    )


# --------------------------------------------------------------------------- emails


Block = Literal[
    "greeting",
    "tier_message",
    "order_summary",
    "notices",
    "payment",
    "delivery",
    "tracking",
    "review_links",
    "membership_offer",
    "rank_announcement",
    "benefits",
    "coupon",
    "owner_letter",
    "contact",
]


class Trigger(Strict):
    event: Literal[
        "order_placed",
        "payment_received",
        "shipped",
        "delivered",
        "rank_changed",
        "birthday",
    ]
    delay_days: int = Field(0, ge=-30, le=90, description="Days after (or, negative, before) the event.")


class Email(Strict):
    enabled: bool = True
    category: Literal["transactional", "relationship", "marketing"]
    trigger: Trigger
    subject: Text
    preheader: Text
    blocks: list[Block] = Field(min_length=1)
    heading: Text | None = Field(
        None, description="The title in the mail's body; default: the kit's heading for the kind (never the subject)."
    )
    intro: Text | None = None
    review_url: Url | None = None
    survey_url: Url | None = None
    letter: Text | None = Field(
        None,
        description="The owner's letter in this kind (owner_letter block, printed letters); default: the kit's.",
    )
    letter_by_tier: dict[str, Text] = Field(
        {},
        description="The owner's letter per purchase-count tier (tier id: text); before `letter` for that tier.",
    )


class Emails(Strict):
    order_confirmation: Email
    payment_received: Email | None = None
    shipped: Email | None = None
    thanks_review: Email | None = None
    membership_invite: Email | None = None
    rank_up: Email | None = None
    birthday: Email | None = None

    def items(self) -> list[tuple[str, Email]]:
        """The enabled email kinds, in lifecycle order."""
        pairs = [(kind, getattr(self, kind)) for kind in EMAIL_KINDS]
        return [(kind, email) for kind, email in pairs if email is not None and email.enabled]


# --------------------------------------------------------------------------- notices


class Condition(Strict):
    """One condition on the order; several keys in one condition must all hold."""

    payment_method: list[PaymentMethod] | None = None
    desired_delivery_within_days: int | None = Field(None, ge=0, le=60)
    region: list[Region] | None = None
    cart_tag: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] | None = None
    pre_order: bool | None = None


class When(Strict):
    all: list[Condition] | None = Field(None, alias="all")
    any: list[Condition] | None = Field(None, alias="any")


class Notice(Strict):
    id: Id
    when: When
    show_in: list[Literal["order_confirmation", "payment_received", "shipped", "checkout", "page"]] = Field(
        min_length=1
    )
    severity: Literal["info", "caution", "important"] = "caution"
    title: Text
    message: Text


# --------------------------------------------------------------------------- legal, checks, build


class Footer(Strict):
    sender: bool = True
    address: bool = True
    inquiry: bool = True
    unsubscribe_for_marketing: bool = True


class Legal(Strict):
    jurisdictions: list[Literal["JP", "US", "EU"]] = ["JP"]
    footer: Footer = Footer()
    consent_default: Literal["unchecked"] = Field("unchecked", description="Opt-in boxes are never pre-ticked.")
    unsubscribe_url: Url | None = None
    privacy_url: Url | None = None


class RuleSettings(Strict):
    level: Literal["error", "warning", "info", "off"] | None = None
    options: dict[str, object] = {}
    ignore: list[str] = Field([], description="Glob patterns of output paths (relative to dist/) this rule skips.")


EmailClient = Literal[
    "gmail",
    "apple-mail",
    "outlook",
    "yahoo",
    "samsung-email",
    "thunderbird",
    "aol",
    "protonmail",
    "hey",
    "fastmail",
    "orange",
    "sfr",
    "mail-ru",
    "gmx",
    "web-de",
    "free-fr",
    "laposte",
    "ionos-1and1",
]


class Checks(Strict):
    clients: list[EmailClient] = ["gmail", "apple-mail", "outlook", "yahoo"]
    rules: dict[str, RuleSettings] = {}
    phrases: dict[str, dict[Locale, list[str]]] = Field(
        {},
        description="Extra phrases per list name (presumes_patronage, first_order, pressure…) and locale.",
    )


class Build(Strict):
    inliner: Literal["css-inline", "premailer"] = "css-inline"
    site: bool = Field(True, description="Build the member site with MkDocs.")
    workers: int = Field(0, ge=0, le=64, description="Processes for email rendering; 0 picks by CPU count.")
    variant_seconds: float = Field(
        20, gt=0, le=600, description="Longest one email variant may take to render before it is stopped."
    )
    build_seconds: float = Field(
        300, gt=0, le=86400, description="Longest all email variants together may take to render."
    )
    max_variants: int = Field(
        5000, ge=1, le=1_000_000, description="Most email variants a policy may make (tiers × kinds × locales × …)."
    )
    max_output_mb: int = Field(
        500, ge=1, le=100_000, description="Largest estimated output, in megabytes, a policy may make."
    )


# --------------------------------------------------------------------------- samples


class SampleItem(Strict):
    name: Text
    quantity: int = Field(1, ge=1, le=999)
    price: int = Field(ge=0)
    tags: list[str] = []


class SampleCustomer(Strict):
    name: Text
    email: str = "customer@example.com"


class SampleOrder(Strict):
    id: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    items: list[SampleItem] = Field(min_length=1)
    shipping_fee: int = Field(0, ge=0)
    payment_method: PaymentMethod = "credit_card"
    desired_delivery_within_days: int | None = None
    region: Region = "mainland"
    pre_order: bool = False
    tracking_url: Url | None = None
    tracking_number: Annotated[str, StringConstraints(max_length=40)] | None = None
    carrier: Annotated[str, StringConstraints(max_length=60)] | None = None
    estimated_delivery: str = "2026-12-01"
    payment_deadline: str | None = Field(None, description="The date a bank transfer is due (YYYY-MM-DD).")
    coupon_code: Annotated[str, StringConstraints(max_length=40)] | None = Field(
        None, description="The code of the coupon a mail hands over (sign-up, birthday)."
    )


class Samples(Strict):
    customer: SampleCustomer
    order: SampleOrder


# --------------------------------------------------------------------------- export

ExportTarget = Literal["shopify", "ec-cube", "klaviyo", "makeshop", "futureshop"]
EXPORT_TARGETS: tuple[str, ...] = ExportTarget.__args__  # type: ignore[attr-defined]
PlatformName = Annotated[str, StringConstraints(min_length=1, max_length=100)]
TagName = Annotated[str, StringConstraints(pattern=r"^[^\s'\"{}%<>\\]{1,64}$")]


class ShopifyExport(Strict):
    """How the shop's Shopify store names what the policy talks about."""

    rank_tag_prefix: TagName = Field("rank-", description="Customer tags naming the rank: `rank-gold` for gold.")
    payment_gateways: dict[PaymentMethod, list[PlatformName]] = Field(
        {},
        description="The `gateway` names of each payment method (e.g. bank_transfer: [銀行振込]); "
        "others show the gateway name as Shopify writes it.",
    )
    regions: dict[Region, list[PlatformName]] = Field(
        {"hokkaido": ["JP-01"], "okinawa": ["JP-47"]},
        description="Shipping-address province codes of each delivery area; other codes are `mainland`.",
    )


class EcCubeExport(Strict):
    """How the shop's EC-CUBE 4 names payment methods and areas."""

    payment_methods: dict[PaymentMethod, list[PlatformName]] = Field(
        {},
        description="The 支払方法 names (`Order.payment_method`) of each payment method (bank_transfer: [銀行振込]).",
    )
    regions: dict[Region, list[PlatformName]] = Field(
        {"hokkaido": ["北海道"], "okinawa": ["沖縄県"]},
        description="Prefecture names (`Shipping.Pref.name`) of each delivery area; other prefectures are `mainland`.",
    )


class KlaviyoExport(Strict):
    """Which Klaviyo profile properties carry otokui's data."""

    rank_property: TagName = Field("rank", description="Profile property holding the rank id (gold, silver…).")
    orders_property: TagName = Field("orders_count", description="Profile property holding the number of orders.")
    member_property: TagName = Field("is_member", description="Profile property, true for customers with an account.")


class Export(Strict):
    """Templates for the shop's own sending platform, written to dist/export/<target>/."""

    targets: list[ExportTarget] = Field([], description="The platforms to export every build.")
    shopify: ShopifyExport = ShopifyExport()
    ec_cube: EcCubeExport = EcCubeExport()
    klaviyo: KlaviyoExport = KlaviyoExport()


# --------------------------------------------------------------------------- run (real customers)


ColumnName = Annotated[str, StringConstraints(min_length=1, max_length=120)]
#: The start of a Japanese postal code: three digits, or more with or without the hyphen (``100-01``, ``9071``).
PostalPrefix = Annotated[str, StringConstraints(pattern=r"^[0-9]{3}(-?[0-9]{1,4})?$")]
OrderField = Literal[
    "order_id",
    "customer_id",
    "email",
    "name",
    "placed_at",
    "paid_at",
    "shipped_at",
    "delivered_at",
    "desired_delivery_date",
    "cancelled_at",
    "status",
    "total",
    "tax",
    "shipping_fee",
    "payment_method",
    "prefecture",
    "postal_code",
    "country",
    "tags",
    "pre_order",
    "tracking_url",
    "locale",
    "line_name",
    "line_quantity",
    "line_price",
    "member",
    "birthday",
    "purchase_count",
]


class Smtp(Strict):
    host: Annotated[str, StringConstraints(min_length=1, max_length=253)]
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = Field(
        "starttls", description="How the connection is protected; 'none' only for a server on this machine."
    )
    username: str | None = None
    password_env: Annotated[str, StringConstraints(pattern=r"^[A-Z_][A-Z0-9_]*$")] | None = Field(
        None, description="The environment variable holding the SMTP password (the password is never stored)."
    )
    per_minute: int = Field(60, ge=1, le=10000, description="At most this many mails a minute.")
    from_address: Annotated[str, StringConstraints(pattern=r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+$")] | None = Field(
        None, description="The sender address (default: shop.contact.email)."
    )


class LetterSettings(Strict):
    size: Literal["A5", "A4", "B5", "B6", "postcard"] = "A5"
    orientation: Literal["portrait", "landscape"] = "portrait"
    writing: Literal["horizontal", "vertical"] = Field(
        "horizontal", description="Japanese set across the page, or top to bottom (writing-mode: vertical-rl)."
    )
    date: bool = Field(True, description="Date each letter (the day it is printed; build: the sample's delivery day).")


class Run(Strict):
    """How `build.py run` reads the shop's own exports and what it produces from them."""

    format: Literal["auto", "shopify", "eccube", "makeshop", "generic"] = Field(
        "auto", description="The order export's format; auto recognises it from the header row."
    )
    columns: dict[OrderField, ColumnName] = Field(
        {}, description="For format generic (or to adjust a preset): which column holds each field."
    )
    date_formats: list[Annotated[str, StringConstraints(min_length=2, max_length=40)]] = Field(
        [], description="Extra strptime formats for dates in the export (ISO 8601 and Y/m/d are always read)."
    )
    payment_methods: dict[Annotated[str, StringConstraints(min_length=1, max_length=80)], PaymentMethod] = Field(
        {}, description="Payment names as the export writes them, mapped to the policy's payment methods."
    )
    cancelled_statuses: list[Annotated[str, StringConstraints(min_length=1, max_length=40)]] = Field(
        [], description="Values of the status column that mean the order was cancelled (besides the cart's own)."
    )
    order_mails: bool = Field(
        False,
        description="Write order confirmation, payment and shipping mails too (for carts that cannot send their own).",
    )
    transit_days: int | None = Field(
        None, ge=0, le=30, description="Days from shipping to arrival (default: shop.delivery.fastest_days)."
    )
    remote_extra_days: int = Field(2, ge=0, le=30, description="Extra days to Okinawa and remote islands.")
    remote_postal_codes: list[PostalPrefix] = Field(
        [],
        description="Shipping postal codes of remote islands, as prefixes ('100-01', '9071'): an order shipped"
        " to one is in region remote_island.",
    )
    max_late_days: int = Field(
        7, ge=0, le=365, description="An event due longer ago than this is skipped, not sent late."
    )
    letters: LetterSettings = Field(
        LetterSettings(),
        description="Printed letters: paper, direction and date; the build's sample letters follow them too.",
    )
    smtp: Smtp | None = None


# --------------------------------------------------------------------------- the whole policy


class Policy(Strict):
    """The whole of rules.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="otokui policy (rules.yaml)")

    version: Literal[1] = 1
    shop: Shop
    membership: Membership
    wording: Wording
    emails: Emails
    notices: list[Notice] = []
    legal: Legal = Legal()
    checks: Checks = Checks()
    build: Build = Build()
    samples: Samples
    export: Export = Export()
    run: Run = Field(Run(), description="Reading the shop's order exports with `build.py run`.")

    #: The shop's own locale catalogues (``locales/<code>.yaml`` beside rules.yaml), read by the loader.
    _catalogues: dict[str, dict[str, str]] = PrivateAttr(default_factory=dict)

    # Convenience look-ups used by the renderers and the checker.
    def benefit(self, benefit_id: str) -> Benefit:
        for benefit in self.membership.benefits:
            if benefit.id == benefit_id:
                return benefit
        raise KeyError(benefit_id)

    def rank_benefits(self, rank: Rank) -> list[Benefit]:
        """The benefits ``rank`` names, in its order; an id with no benefit is left out (OT804 reports it)."""
        known = {benefit.id: benefit for benefit in self.membership.benefits}
        return [known[benefit_id] for benefit_id in rank.benefits if benefit_id in known]

    @property
    def surprise(self) -> bool:
        return self.membership.disclosure.mode == "surprise"

    def tier_for(self, orders: int) -> Tier:
        for tier in self.wording.purchase_count_tiers:
            if tier.min_orders <= orders and (tier.max_orders is None or orders <= tier.max_orders):
                return tier
        raise KeyError(orders)


# --------------------------------------------------------------------------- conditions on an order


def condition_holds(condition: Condition, order: SampleOrder) -> bool:
    """Whether every key set in ``condition`` holds for ``order``."""
    tags = {tag for item in order.items for tag in item.tags}
    checks = [
        condition.payment_method is None or order.payment_method in condition.payment_method,
        condition.desired_delivery_within_days is None
        or (
            order.desired_delivery_within_days is not None
            and order.desired_delivery_within_days <= condition.desired_delivery_within_days
        ),
        condition.region is None or order.region in condition.region,
        condition.cart_tag is None or bool(tags & set(condition.cart_tag)),
        condition.pre_order is None or order.pre_order == condition.pre_order,
    ]
    return all(checks)


def notice_applies(notice: Notice, order: SampleOrder) -> bool:
    """Whether ``notice`` is shown for ``order``: all of ``when.all`` and one of ``when.any``."""
    when = notice.when
    all_ok = all(condition_holds(c, order) for c in when.all or [])
    any_ok = not when.any or any(condition_holds(c, order) for c in when.any)
    return all_ok and any_ok
