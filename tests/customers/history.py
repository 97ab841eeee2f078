"""A generated but realistic shop history, written as each cart's export (seeded, so every run is the same).

Several thousand customers, two years of orders: members and guests, a few heavy buyers who reach the
top rank, birthdays, cancelled and unshipped orders, bank transfers with a wish for fast delivery,
Okinawa and Hokkaido addresses, pre-orders, and members whose cart counts orders from before the export.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

START = dt.date(2024, 12, 1)
END = dt.date(2026, 11, 30)

SURNAMES = [
    "山田",
    "佐藤",
    "鈴木",
    "髙橋",
    "田中",
    "渡辺",
    "伊藤",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山本",
    "﨑田",
    "斎藤",
]
GIVEN = ["花子", "太郎", "陽子", "健一", "美咲", "翔太", "由美", "大輔", "さくら", "蓮", "結衣", "悠真"]
PRODUCTS = [
    ("季節のブレンド 200g", 1620),
    ("エチオピア イルガチェフェ 200g", 1980),
    ("ドリップバッグ 10袋", 1200),
    ("深煎りマンデリン 500g", 4200),
    ("カップ＆ソーサー", 3800),
    ("コーヒーミル ①型", 12800),
]
PREFECTURES = ["東京都"] * 12 + ["大阪府"] * 5 + ["神奈川県"] * 4 + ["北海道"] * 2 + ["沖縄県"] * 2 + ["福岡県"] * 2
PAYMENTS = ["credit_card"] * 6 + ["bank_transfer"] * 2 + ["convenience_store", "cash_on_delivery"]
PAYMENT_NAMES = {
    "shopify": {
        "credit_card": "Shopify Payments",
        "bank_transfer": "Bank Deposit",
        "convenience_store": "コンビニ決済",
        "cash_on_delivery": "Cash on Delivery (COD)",
    },
    "eccube": {
        "credit_card": "クレジットカード決済",
        "bank_transfer": "銀行振込",
        "convenience_store": "コンビニ決済",
        "cash_on_delivery": "代金引換",
    },
}
PAYMENT_NAMES["makeshop"] = PAYMENT_NAMES["eccube"]
PAYMENT_NAMES["generic"] = {
    "credit_card": "card",
    "bank_transfer": "furikomi",
    "convenience_store": "konbini",
    "cash_on_delivery": "cod",
}
#: The generic format's mapping, as a shop writes it in rules.yaml.
GENERIC_COLUMNS = {
    "order_id": "order_no",
    "customer_id": "member_no",
    "email": "mail",
    "name": "customer_name",
    "placed_at": "ordered",
    "shipped_at": "shipped",
    "status": "state",
    "total": "amount",
    "tax": "tax",
    "shipping_fee": "postage",
    "payment_method": "payment",
    "prefecture": "pref",
    "tags": "labels",
    "desired_delivery_date": "wish_date",
    "line_name": "item",
    "line_quantity": "qty",
    "line_price": "unit_price",
    "birthday": "born",
}
GENERIC_PAYMENTS = {
    "card": "credit_card",
    "furikomi": "bank_transfer",
    "konbini": "convenience_store",
    "cod": "cash_on_delivery",
}


@dataclass
class GOrder:
    id: str
    customer: int
    placed: dt.date
    lines: list[tuple[str, int, int]]
    shipping: int
    payment: str
    prefecture: str
    shipped: dt.date | None
    cancelled: bool
    preorder: bool
    desired: dt.date | None

    @property
    def subtotal(self) -> int:
        return sum(q * p for _, q, p in self.lines)

    @property
    def total(self) -> int:
        return self.subtotal + self.shipping

    @property
    def tax(self) -> int:
        return self.subtotal * 10 // 110


@dataclass
class GCustomer:
    index: int
    name: str
    email: str
    member: bool
    birthday: dt.date | None
    prior_orders: int  # orders the cart counts from before the export
    orders: list[GOrder] = field(default_factory=list)

    @property
    def member_id(self) -> str:
        return str(self.index + 1) if self.member else "0"


def generate(customers: int = 3000, seed: int = 12) -> list[GCustomer]:
    rng = random.Random(seed)
    people: list[GCustomer] = []
    for i in range(customers):
        member = rng.random() < 0.6
        birthday = None
        if member and rng.random() < 0.8:
            birthday = dt.date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
            if rng.random() < 0.01:
                birthday = dt.date(1996, 2, 29)
        people.append(
            GCustomer(
                index=i,
                name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                email=f"c{i:05d}@example.jp",
                member=member,
                birthday=birthday,
                prior_orders=rng.choice([0, 0, 0, 0, 1, 3, 6]) if member else 0,
            )
        )
    drafts: list[tuple[dt.date, int, GOrder]] = []
    span = (END - START).days
    for person in people:
        heavy = rng.random() < 0.06
        count = rng.randint(8, 22) if heavy else min(1 + int(rng.expovariate(0.7)), 12)
        for _ in range(count):
            placed = START + dt.timedelta(days=rng.randint(0, span))
            lines = []
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                name, price = rng.choice(PRODUCTS)
                lines.append((name, rng.choice([1, 1, 2]) * (2 if heavy else 1), price))
            cancelled = rng.random() < 0.03
            delay = rng.randint(1, 3)
            shipped = None if cancelled else placed + dt.timedelta(days=delay)
            if shipped is not None and shipped > END:
                shipped = None
            desired = placed + dt.timedelta(days=rng.randint(2, 10)) if rng.random() < 0.3 else None
            order = GOrder(
                id="",
                customer=person.index,
                placed=placed,
                lines=lines,
                shipping=0,
                payment=rng.choice(PAYMENTS),
                prefecture=rng.choice(PREFECTURES),
                shipped=shipped,
                cancelled=cancelled,
                preorder=rng.random() < 0.04,
                desired=desired,
            )
            order.shipping = 0 if order.subtotal >= 5000 else 600
            drafts.append((placed, rng.randint(0, 10**9), order))
    drafts.sort(key=lambda d: (d[0], d[1]))
    for number, (_, _, order) in enumerate(drafts, start=10001):
        order.id = f"KC-{number}"
        people[order.customer].orders.append(order)
    return people


def all_orders(people: list[GCustomer]) -> list[GOrder]:
    return sorted((o for p in people for o in p.orders), key=lambda o: o.id)


# --------------------------------------------------------------------------- writers


def _stamp(day: dt.date | None, style: str) -> str:
    if day is None:
        return ""
    if style == "shopify":
        return f"{day.isoformat()} 10:15:00 +0900"
    if style == "slash":
        return f"{day.year}/{day.month:02d}/{day.day:02d} 10:15:00"
    if style == "slash_short":
        return f"{day.year}/{day.month}/{day.day} 10:15"
    return day.isoformat()


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def shopify(people: list[GCustomer]) -> tuple[str, str]:
    header = [
        "Name",
        "Email",
        "Financial Status",
        "Paid at",
        "Fulfillment Status",
        "Fulfilled at",
        "Accepts Marketing",
        "Currency",
        "Subtotal",
        "Shipping",
        "Taxes",
        "Total",
        "Discount Code",
        "Discount Amount",
        "Shipping Method",
        "Created at",
        "Lineitem quantity",
        "Lineitem name",
        "Lineitem price",
        "Lineitem sku",
        "Billing Name",
        "Shipping Name",
        "Shipping Province",
        "Shipping Country",
        "Notes",
        "Cancelled at",
        "Payment Method",
        "Tags",
        "Id",
    ]
    codes = {
        "北海道": "JP-01",
        "沖縄県": "JP-47",
        "東京都": "JP-13",
        "大阪府": "JP-27",
        "神奈川県": "JP-14",
        "福岡県": "JP-40",
    }
    rows = []
    for order in all_orders(people):
        person = people[order.customer]
        for n, (name, qty, price) in enumerate(order.lines):
            line = [f"{qty}", name, f"{price}.00", f"SKU{price}"]
            if n == 0:
                rows.append(
                    [
                        f"#{order.id}",
                        person.email,
                        "refunded" if order.cancelled else "paid",
                        _stamp(order.placed, "shopify"),
                        "fulfilled" if order.shipped else "unfulfilled",
                        _stamp(order.shipped, "shopify"),
                        "no",
                        "JPY",
                        f"{order.subtotal}.00",
                        f"{order.shipping}.00",
                        f"{order.tax}.00",
                        f"{order.total}.00",
                        "",
                        "0.00",
                        "Standard",
                        _stamp(order.placed, "shopify"),
                        *line,
                        person.name,
                        person.name,
                        codes[order.prefecture],
                        "JP",
                        "",
                        _stamp(order.placed + dt.timedelta(days=1), "shopify") if order.cancelled else "",
                        PAYMENT_NAMES["shopify"][order.payment],
                        "preorder" if order.preorder else "",
                        str(order.customer),
                    ]
                )
            else:
                rows.append([f"#{order.id}", person.email] + [""] * 14 + line + [""] * 9)
    customers = _csv(
        ["First Name", "Last Name", "Email", "Accepts Email Marketing", "Total Orders", "Tags"],
        [
            [
                p.name.split()[1],
                p.name.split()[0],
                p.email,
                "no",
                str(len([o for o in p.orders if not o.cancelled]) + p.prior_orders),
                "",
            ]
            for p in people
            if p.member
        ],
    )
    return _csv(header, rows), customers


#: The columns of EC-CUBE 4's 受注CSV and 会員CSV as it writes them by default, in order: the ``disp_name``
#: of csv_type 3 and 2 in src/Eccube/Resource/doctrine/import_csv/ja/dtb_csv.csv (github.com/EC-CUBE/ec-cube).
ECCUBE_ORDER_COLUMNS = [
    "注文ID",
    "注文番号",
    "会員ID",
    "お名前(姓)",
    "お名前(名)",
    "お名前(セイ)",
    "お名前(メイ)",
    "会社名",
    "郵便番号",
    "都道府県(ID)",
    "都道府県(名称)",
    "住所1",
    "住所2",
    "メールアドレス",
    "TEL",
    "性別(ID)",
    "性別(名称)",
    "職業(ID)",
    "職業(名称)",
    "誕生日",
    "ショップ用メモ欄",
    "小計",
    "値引き",
    "送料",
    "税金",
    "合計",
    "支払合計",
    "対応状況(ID)",
    "対応状況(名称)",
    "支払方法(ID)",
    "支払方法(名称)",
    "受注日",
    "入金日",
    "注文詳細ID",
    "商品ID",
    "商品規格ID",
    "商品名",
    "商品コード",
    "規格名1",
    "規格名2",
    "規格分類名1",
    "規格分類名2",
    "価格",
    "個数",
    "税率",
    "税率ルール(ID)",
    "明細区分(ID)",
    "明細区分(名称)",
    "出荷ID",
    "配送先_お名前(姓)",
    "配送先_お名前(名)",
    "配送先_お名前(セイ)",
    "配送先_お名前(メイ)",
    "配送先_会社名",
    "配送先_郵便番号",
    "配送先_都道府県(ID)",
    "配送先_都道府県(名称)",
    "配送先_住所1",
    "配送先_住所2",
    "配送先_TEL",
    "配送業者(ID)",
    "配送業者(名称)",
    "お届け時間ID",
    "お届け時間(名称)",
    "お届け希望日",
    "送料",
    "発送日",
    "出荷伝票番号",
    "配達用メモ",
    "出荷メール送信日",
]
ECCUBE_CUSTOMER_COLUMNS = [
    "会員ID",
    "お名前(姓)",
    "お名前(名)",
    "お名前(セイ)",
    "お名前(メイ)",
    "会社名",
    "郵便番号",
    "都道府県(ID)",
    "都道府県(名称)",
    "住所1",
    "住所2",
    "メールアドレス",
    "TEL",
    "性別(ID)",
    "性別(名称)",
    "職業(ID)",
    "職業(名称)",
    "誕生日",
    "初回購入日",
    "最終購入日",
    "購入回数",
    "ショップ用メモ欄",
    "会員ステータス(ID)",
    "会員ステータス(名称)",
    "登録日",
    "更新日",
    "ポイント",
]
ECCUBE_STATUS = {"new": ("1", "新規受付"), "cancelled": ("3", "注文取消し"), "shipped": ("5", "発送済み")}


def _eccube_time(day: dt.date | None) -> str:
    """Dates as EC-CUBE's CSV export writes them (``eccube_csv_export_date_format``: Y-m-d H:i:s)."""
    return f"{day.isoformat()} 10:15:00" if day else ""


def eccube(people: list[GCustomer]) -> tuple[str, str]:
    rows = []
    detail = 0
    for n, order in enumerate(all_orders(people), start=1):
        person = people[order.customer]
        sei, mei = person.name.split()
        status = "cancelled" if order.cancelled else ("shipped" if order.shipped else "new")
        pref = order.prefecture
        common = {
            "注文ID": str(n),
            "注文番号": order.id,
            "会員ID": person.member_id if person.member else "",
            "お名前(姓)": sei,
            "お名前(名)": mei,
            "会社名": "㈱こもれび商会" if n % 97 == 0 else "",
            "郵便番号": "1500001",
            "都道府県(名称)": "東京都",  # the orderer's address; the parcel goes to 配送先_…
            "メールアドレス": person.email,
            "TEL": "0300000000",
            "小計": f"{order.subtotal}.00",
            "値引き": "0.00",
            "送料": f"{order.shipping}.00",
            "税金": f"{order.tax}.00",
            "合計": f"{order.total}.00",
            "支払合計": f"{order.total}.00",
            "対応状況(ID)": ECCUBE_STATUS[status][0],
            "対応状況(名称)": ECCUBE_STATUS[status][1],
            "支払方法(名称)": PAYMENT_NAMES["eccube"][order.payment],
            "受注日": _eccube_time(order.placed),
            "入金日": _eccube_time(order.placed),
            "出荷ID": str(n),
            "配送先_お名前(姓)": sei,
            "配送先_お名前(名)": mei,
            "配送先_都道府県(名称)": pref,
            "配送業者(名称)": "サンプル宅配",
            "お届け希望日": _eccube_time(order.desired).replace(" 10:15:00", " 00:00:00"),
            "発送日": _eccube_time(order.shipped),
        }
        items = [(name, qty, price, "1", "商品") for name, qty, price in order.lines]
        if order.shipping:
            items.append(("送料", 1, order.shipping, "2", "送料"))
        for name, qty, price, kind_id, kind in items:
            detail += 1
            values = dict(common)
            values.update(
                {
                    "注文詳細ID": str(detail),
                    "商品名": name,
                    "商品コード": f"P{price}" if kind_id == "1" else "",
                    "価格": f"{price}.00",
                    "個数": str(qty),
                    "税率": "10",
                    "明細区分(ID)": kind_id,
                    "明細区分(名称)": kind,
                }
            )
            rows.append([values.get(column, "") for column in ECCUBE_ORDER_COLUMNS])
    members = []
    for p in people:
        if not p.member:
            continue
        values = {
            "会員ID": p.member_id,
            "お名前(姓)": p.name.split()[0],
            "お名前(名)": p.name.split()[1],
            "メールアドレス": p.email,
            "誕生日": f"{p.birthday.isoformat()} 00:00:00" if p.birthday else "",
            "購入回数": str(len([o for o in p.orders if not o.cancelled]) + p.prior_orders),
            "会員ステータス(ID)": "2",
            "会員ステータス(名称)": "本会員",
        }
        members.append([values.get(column, "") for column in ECCUBE_CUSTOMER_COLUMNS])
    return _csv(ECCUBE_ORDER_COLUMNS, rows), _csv(ECCUBE_CUSTOMER_COLUMNS, members)


def makeshop(people: list[GCustomer]) -> str:
    header = [
        "注文番号",
        "日付",
        "注文時間",
        "会員ID",
        "注文者",
        "注文者メールアドレス",
        "処理状況",
        "決済方法",
        "配送先都道府県",
        "商品名",
        "数量",
        "販売価格",
        "送料",
        "消費税",
        "合計金額",
        "配送希望日",
        "発送日",
    ]
    rows = []
    for order in all_orders(people):
        person = people[order.customer]
        for name, qty, price in order.lines:
            rows.append(
                [
                    order.id,
                    f"{order.placed.year}/{order.placed.month}/{order.placed.day}",
                    order.placed.strftime("%H%M%S"),
                    person.member_id if person.member else "",
                    person.name,
                    person.email,
                    "注文キャンセル" if order.cancelled else "配送",
                    PAYMENT_NAMES["makeshop"][order.payment],
                    order.prefecture,
                    name.replace("①", "1"),
                    str(qty),
                    f"{price}円",
                    f"{order.shipping}円",
                    f"{order.tax}円",
                    f"¥{order.total:,}",
                    order.desired.isoformat() if order.desired else "",
                    _stamp(order.shipped, "iso"),
                ]
            )
    return _csv(header, rows)


def generic(people: list[GCustomer]) -> str:
    header = list(GENERIC_COLUMNS.values())
    rows = []
    for order in all_orders(people):
        person = people[order.customer]
        for name, qty, price in order.lines:
            values = {
                "order_id": order.id,
                "customer_id": person.member_id if person.member else "",
                "email": person.email,
                "name": person.name,
                "placed_at": order.placed.isoformat(),
                "shipped_at": _stamp(order.shipped, "iso"),
                "status": "キャンセル" if order.cancelled else "ok",
                "total": str(order.total),
                "tax": str(order.tax),
                "shipping_fee": str(order.shipping),
                "payment_method": PAYMENT_NAMES["generic"][order.payment],
                "prefecture": order.prefecture,
                "tags": "preorder" if order.preorder else "",
                "desired_delivery_date": order.desired.isoformat() if order.desired else "",
                "line_name": name,
                "line_quantity": str(qty),
                "line_price": str(price),
                "birthday": person.birthday.isoformat() if person.birthday else "",
            }
            rows.append([values[k] for k in GENERIC_COLUMNS])
    return _csv(header, rows)


@dataclass(frozen=True)
class Export:
    """One cart's export of the history, as files on disk, and what that cart can say."""

    format: str
    orders: Path
    customers: Path | None
    members_known: bool  # the export says who has an account
    prior_counts: bool  # the cart counts orders from before the export
    birthdays: bool
    desired_dates: bool
    tags: bool


def write(people: list[GCustomer], folder: Path, fmt: str, bom: bool = False) -> Export:
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "shopify":
        orders, customers = shopify(people)
        (folder / "orders_export.csv").write_bytes((b"\xef\xbb\xbf" if bom else b"") + orders.encode("utf-8"))
        (folder / "customers_export.csv").write_text(customers, encoding="utf-8")
        return Export(
            fmt, folder / "orders_export.csv", folder / "customers_export.csv", True, True, False, False, True
        )
    if fmt == "eccube":
        orders, members = eccube(people)
        (folder / "order.csv").write_bytes(orders.encode("cp932"))
        (folder / "customer.csv").write_bytes(members.encode("cp932"))
        return Export(fmt, folder / "order.csv", folder / "customer.csv", True, True, True, True, False)
    if fmt == "makeshop":
        text = makeshop(people).replace("髙", "高").replace("﨑", "崎")  # plain Shift_JIS has neither
        (folder / "makeshop_orders.csv").write_bytes(text.encode("shift_jis"))
        return Export(fmt, folder / "makeshop_orders.csv", None, True, False, False, True, False)
    (folder / "orders.csv").write_text(generic(people), encoding="utf-8")
    return Export(fmt, folder / "orders.csv", None, True, False, True, True, True)
