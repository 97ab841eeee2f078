"""The order and customer exports otokui reads: each a column preset, recognised by its header row.

A preset names, for each field, the column (or columns, joined with a space) that holds it. The shop's
``run.columns`` adjusts a preset or, with ``format: generic``, is the whole mapping. Values are never
guessed: a payment name the tables below do not know is an error naming the row, fixed by mapping it
in ``run.payment_methods``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Columns = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    orders: Columns
    customers: Columns
    signature: tuple[str, ...]  # header cells that identify the format
    cancelled_status: tuple[str, ...] = ()
    guest_ids: tuple[str, ...] = ("", "0")  # member ids that mean "no account"
    line_kind: str = ""  # a column saying what kind of item a row is (goods, shipping, discount…)
    product_kinds: tuple[str, ...] = ()  # its values for goods: the other rows are not lines of goods


SHOPIFY = Preset(
    name="shopify",
    title="Shopify orders CSV",
    orders={
        "order_id": ("Name",),
        "email": ("Email",),
        "name": ("Billing Name",),
        "placed_at": ("Created at",),
        "paid_at": ("Paid at",),
        "shipped_at": ("Fulfilled at",),
        "cancelled_at": ("Cancelled at",),
        "total": ("Total",),
        "tax": ("Taxes",),
        "shipping_fee": ("Shipping",),
        "payment_method": ("Payment Method",),
        "prefecture": ("Shipping Province",),
        "postal_code": ("Shipping Zip",),
        "country": ("Shipping Country",),
        "tags": ("Tags",),
        "line_name": ("Lineitem name",),
        "line_quantity": ("Lineitem quantity",),
        "line_price": ("Lineitem price",),
    },
    customers={
        "email": ("Email",),
        "name": ("First Name", "Last Name"),
        "purchase_count": ("Total Orders",),
    },
    signature=("Name", "Lineitem name", "Created at"),
)

#: EC-CUBE 4's 受注CSV and 会員CSV with the columns it writes by default: the names are the ``disp_name`` of
#: ``src/Eccube/Resource/doctrine/import_csv/ja/dtb_csv.csv`` (csv_type 3 受注CSV, 2 会員CSV) in its
#: repository, github.com/EC-CUBE/ec-cube. One row per order item, the shipping fee, charge, discount
#: and tax items included (``明細区分``: only 商品 rows are goods).
ECCUBE = Preset(
    name="eccube",
    title="EC-CUBE 4 受注CSV / 会員CSV",
    orders={
        "order_id": ("注文番号",),
        "customer_id": ("会員ID",),
        "email": ("メールアドレス",),
        "name": ("お名前(姓)", "お名前(名)"),
        "placed_at": ("受注日",),
        "paid_at": ("入金日",),
        "shipped_at": ("発送日",),
        "desired_delivery_date": ("お届け希望日",),
        "status": ("対応状況(名称)",),
        "total": ("支払合計",),
        "tax": ("税金",),
        "shipping_fee": ("送料",),
        "payment_method": ("支払方法(名称)",),
        "prefecture": ("配送先_都道府県(名称)",),
        "postal_code": ("配送先_郵便番号",),
        "line_name": ("商品名",),
        "line_quantity": ("個数",),
        "line_price": ("価格",),
    },
    customers={
        "customer_id": ("会員ID",),
        "email": ("メールアドレス",),
        "name": ("お名前(姓)", "お名前(名)"),
        "birthday": ("誕生日",),
        "purchase_count": ("購入回数",),
        "member": ("会員ステータス(名称)",),
    },
    signature=("注文番号", "支払合計", "対応状況(名称)"),
    # mtb_order_status: 注文取消し, 返品; 購入処理中 is a checkout never finished.
    cancelled_status=("注文取消し", "返品", "購入処理中", "キャンセル"),
    line_kind="明細区分(ID)",
    product_kinds=("1",),
)

#: MakeShop writes the columns of the shop's own 注文出力用テンプレート. The names its manual gives
#: (manual.makeshop.jp/hc/ja/articles/33957532168345) are used where it names them: 日付 (the order date,
#: ``2022/8/10``; 注文時間 beside it holds ``hhmmss``), 注文番号, 処理状況 (配送, 未処理, 注文キャンセル,
#: 返送) and 注文者. The other columns are the template's usual item names; compare them with the header
#: row of the shop's own file and map differences in ``run.columns``.
MAKESHOP = Preset(
    name="makeshop",
    title="MakeShop 注文データCSV",
    orders={
        "order_id": ("注文番号",),
        "customer_id": ("会員ID",),
        "email": ("注文者メールアドレス",),
        "name": ("注文者",),
        "placed_at": ("日付",),
        "paid_at": ("入金日",),
        "shipped_at": ("発送日",),
        "desired_delivery_date": ("配送希望日",),
        "status": ("処理状況",),
        "total": ("合計金額",),
        "tax": ("消費税",),
        "shipping_fee": ("送料",),
        "payment_method": ("決済方法",),
        "prefecture": ("配送先都道府県",),
        "line_name": ("商品名",),
        "line_quantity": ("数量",),
        "line_price": ("販売価格",),
    },
    customers={
        "customer_id": ("会員ID",),
        "email": ("メールアドレス",),
        "name": ("氏名",),
        "birthday": ("生年月日",),
        "purchase_count": ("購入回数",),
    },
    signature=("注文番号", "日付", "処理状況"),
    cancelled_status=("注文キャンセル", "返送", "キャンセル"),
)

GENERIC = Preset(
    name="generic",
    title="CSV with run.columns",
    orders={},
    customers={},
    signature=(),
    cancelled_status=("cancelled", "canceled", "キャンセル"),
)

PRESETS: dict[str, Preset] = {p.name: p for p in (SHOPIFY, ECCUBE, MAKESHOP, GENERIC)}

#: Payment names as carts write them (compared without case and spaces), to the policy's payment methods.
PAYMENT_NAMES: dict[str, str] = {
    "credit_card": "credit_card",
    "クレジットカード": "credit_card",
    "クレジットカード決済": "credit_card",
    "クレジット": "credit_card",
    "creditcard": "credit_card",
    "shopifypayments": "credit_card",
    "stripe": "credit_card",
    "bank_transfer": "bank_transfer",
    "銀行振込": "bank_transfer",
    "銀行振り込み": "bank_transfer",
    "banktransfer": "bank_transfer",
    "bankdeposit": "bank_transfer",
    "convenience_store": "convenience_store",
    "コンビニ決済": "convenience_store",
    "コンビニ払い": "convenience_store",
    "コンビニ後払い": "convenience_store",
    "cash_on_delivery": "cash_on_delivery",
    "代金引換": "cash_on_delivery",
    "代引き": "cash_on_delivery",
    "代引": "cash_on_delivery",
    "cashondelivery(cod)": "cash_on_delivery",
    "cashondelivery": "cash_on_delivery",
    "carrier_billing": "carrier_billing",
    "キャリア決済": "carrier_billing",
    "paypay": "paypay",
}

#: Prefecture names and codes (JIS X 0401, as Shopify writes them) that are not the mainland.
REGIONS: dict[str, str] = {
    "北海道": "hokkaido",
    "hokkaido": "hokkaido",
    "jp-01": "hokkaido",
    "沖縄県": "okinawa",
    "沖縄": "okinawa",
    "okinawa": "okinawa",
    "jp-47": "okinawa",
}
JAPAN = ("", "jp", "japan", "日本")


def normal(text: str) -> str:
    return "".join(text.split()).lower()


def detect(header: Sequence[str], configured: str, has_columns: bool) -> Preset | None:
    """The preset for an export with ``header``: the configured one, else the one whose signature it carries."""
    if configured != "auto":
        return PRESETS[configured]
    cells = {cell.strip() for cell in header}
    for preset in (SHOPIFY, ECCUBE, MAKESHOP):
        if all(name in cells for name in preset.signature):
            return preset
    return GENERIC if has_columns else None


def mapping(preset: Preset, overrides: Mapping[Any, str], customers: bool = False) -> dict[str, tuple[str, ...]]:
    """The preset's columns with the shop's ``run.columns`` laid over them."""
    base = dict(preset.customers if customers else preset.orders)
    base.update({key: (value,) for key, value in overrides.items()})
    return base
