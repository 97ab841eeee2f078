"""Reading exports: encodings detected, bad rows named by file, line and column, nothing guessed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from otokui.cli import run
from otokui.customers.encoding import detect
from otokui.customers.readers import OrderReader
from otokui.customers.records import Order, RowError
from otokui.errors import UsageError
from otokui.policy.model import Run
from tests.customers.conftest import ROOT, said

HEADER = "注文番号,日付,注文時間,会員ID,注文者,注文者メールアドレス,処理状況,決済方法,配送先都道府県,商品名,数量,販売価格,送料,消費税,合計金額,配送希望日,発送日"
GOOD = 'A-1,2026/11/1,100000,12,髙橋 ①子,a@example.jp,未処理,銀行振込,沖縄県,ブレンド,1,1620円,600円,147円,"￥2,220",2026-11-03,2026-11-02'


def write(tmp_path: Path, text: str, codec: str, name: str = "orders.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(codec))
    return path


@pytest.mark.parametrize(
    ("codec", "bom", "detected"),
    [("utf-8", False, "utf-8-sig"), ("utf-8", True, "utf-8-sig"), ("cp932", False, "cp932")],
)
def test_encodings_are_detected_and_read(tmp_path: Path, codec: str, bom: bool, detected: str) -> None:
    path = write(tmp_path, f"{HEADER}\r\n{GOOD}\r\n", codec, bom=bom)
    assert detect(path) == detected
    (order,) = list(OrderReader(path, Run()))
    assert isinstance(order, Order)
    assert order.name == "髙橋 ①子"  # CP932's own characters, not plain Shift_JIS
    assert order.total == 2220 and order.shipping_fee == 600 and order.tax == 147
    assert order.payment_method == "bank_transfer" and order.region == "okinawa"
    assert order.customer == "m:12" and order.member is True
    assert order.lines[0].price == 1620


def test_shift_jis_yen_sign_reads_as_yen(tmp_path: Path) -> None:
    plain = GOOD.replace("髙", "高").replace("①", "1").replace("￥", "¥")
    path = write(tmp_path, f"{HEADER}\r\n{plain}\r\n", "shift_jis")
    (order,) = list(OrderReader(path, Run()))
    assert isinstance(order, Order) and order.total == 2220


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('"￥2,220"', "abc"), "orders.csv:3: 合計金額: 'abc' is not an amount"),
        (("2026/11/1", "2026/13/01"), "orders.csv:3: 日付: '2026/13/01' is not a date on the calendar"),
        (
            ("2026/11/1", "yesterday"),
            "orders.csv:3: 日付: 'yesterday' is not a date (expected 2024-01-31 or 2024/01/31)",
        ),
        (
            ("銀行振込", "ツケ払い"),
            "orders.csv:3: 決済方法: 'ツケ払い' is not a payment method otokui knows (add it to run.payment_methods, e.g. 'ツケ払い': credit_card)",
        ),
        (
            ("a@example.jp", "not-an-address"),
            "orders.csv:3: 注文者メールアドレス: not an e-mail address",
        ),
        ((",1,1620円", ",x,1620円"), "orders.csv:3: 数量: 'x' is not a whole number"),
    ],
)
def test_a_bad_row_is_named_and_skipped(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    bad = GOOD.replace("A-1", "A-2").replace(*change)
    path = write(tmp_path, f"{HEADER}\r\n{GOOD}\r\n{bad}\r\n{GOOD.replace('A-1', 'A-3')}\r\n", "cp932")
    items = list(OrderReader(path, Run()))
    errors = [i for i in items if isinstance(i, RowError)]
    assert [str(e).replace(str(tmp_path) + "/", "") for e in errors] == [message]
    assert [i.id for i in items if isinstance(i, Order)] == ["A-1", "A-3"]


def test_header_injection_in_an_address_is_refused(tmp_path: Path) -> None:
    bad = GOOD.replace("a@example.jp", '"a@example.jp\r\nBcc: all@example.jp"')
    path = write(tmp_path, f"{HEADER}\r\n{bad}\r\n", "utf-8")
    (item,) = list(OrderReader(path, Run()))
    assert isinstance(item, RowError) and item.column == "注文者メールアドレス"


def cli(*argv: str | Path) -> tuple[int, str]:
    err = io.StringIO()
    code = run([str(a) for a in argv], io.StringIO(), err)
    return code, err.getvalue()


def test_on_error_stop_stops_at_the_first_bad_row(tmp_path: Path) -> None:
    bad = GOOD.replace("A-1", "A-2").replace('"￥2,220"', "abc")
    orders = write(tmp_path, f"{HEADER}\r\n{GOOD}\r\n{bad}\r\n", "cp932")
    policy = tmp_path / "rules.yaml"
    policy.write_text((ROOT / "rules.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    args = (
        "run",
        "--policy",
        policy,
        "--orders",
        orders,
        "--out",
        tmp_path / "out",
        "--on",
        "2026-11-02",
        "--no-check",
    )
    code, err = cli(*args, "--on-error", "stop", "--dry-run")
    assert code == 2
    assert err.strip().endswith("orders.csv:3: 合計金額: 'abc' is not an amount (stopped: --on-error stop)")
    assert "Traceback" not in err
    code, err = cli(*args, "--dry-run")
    assert code == 1  # the run went on, but a row was left out: the shop should look
    assert "orders.csv:3: 合計金額: 'abc' is not an amount" in err
    assert said("summary_errors", count=1) in err


def test_an_export_of_unknown_shape_is_refused(tmp_path: Path) -> None:
    orders = write(tmp_path, "when,who,how much\r\n2026-11-01,a@example.jp,100\r\n", "utf-8")
    with pytest.raises(UsageError, match=r"orders.csv:1: cannot tell which cart wrote this export; set run.format"):
        OrderReader(orders, Run())
    with pytest.raises(UsageError, match=r"orders.csv:1: Totl: no such column \(needed for total\)"):
        OrderReader(
            orders,
            Run(format="generic", columns={"order_id": "who", "placed_at": "when", "total": "Totl", "email": "who"}),
        )


def test_a_hostile_name_is_escaped_in_the_mail(tmp_path: Path) -> None:
    import email
    from email.policy import default

    header = "order,mail,name,date,shipped,amount,payment"
    row = "Z-1,x@example.jp,<script>alert(1)</script> &amp;,2026-11-01,2026-11-02,3000,card"
    orders = write(tmp_path, f"{header}\r\n{row}\r\n", "utf-8")
    policy = tmp_path / "rules.yaml"
    text = (ROOT / "rules.yaml").read_text(encoding="utf-8")
    text += (
        "\nrun:\n  format: generic\n  payment_methods: {card: credit_card}\n"
        "  columns: {order_id: order, email: mail, name: name, placed_at: date, shipped_at: shipped,"
        " total: amount, payment_method: payment}\n"
    )
    policy.write_text(text, encoding="utf-8")
    args = ("run", "--policy", policy, "--orders", orders, "--out", tmp_path / "out", "--no-check")
    assert cli(*args, "--on", "2026-11-05")[0] == 0
    code, err = cli(*args, "--on", "2026-11-06")
    assert code == 0, err
    (path,) = (tmp_path / "out").rglob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=default)
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp;" in html
    assert message["To"].addresses[0].display_name == "<script>alert(1)</script> &amp;"


def test_an_ec_cube_export_as_ec_cube_writes_it(tmp_path: Path) -> None:
    """EC-CUBE 4's own 受注CSV header (dtb_csv.csv), CP932: the shipping fee item is not a line of goods."""
    from tests.customers.history import ECCUBE_ORDER_COLUMNS, generate
    from tests.customers.history import write as write_export

    people = generate(40, seed=2)
    export = write_export(people, tmp_path, "eccube")
    raw = export.orders.read_bytes()
    assert raw.decode("cp932").splitlines()[0] == ",".join(ECCUBE_ORDER_COLUMNS)
    orders = {o.id: o for o in OrderReader(export.orders, Run()) if isinstance(o, Order)}
    made = {o.id: o for p in people for o in p.orders}
    assert orders.keys() == made.keys()
    for order_id, order in orders.items():
        want = made[order_id]
        assert [(line.name, line.quantity, line.price) for line in order.lines] == want.lines
        assert order.total == want.total and order.shipping_fee == want.shipping
        assert order.cancelled == want.cancelled
        assert order.region == {"北海道": "hokkaido", "沖縄県": "okinawa"}.get(want.prefecture, "mainland")
    assert any(o.shipping for o in made.values())  # some orders carry a 送料 item row


SHOPIFY = (
    "Name,Email,Created at,Total,Shipping,Taxes,Payment Method,Shipping Zip,Shipping Province,Shipping Country,"
    "Lineitem quantity,Lineitem name,Lineitem price\n"
)


def shopify_order(number: int, zip_code: str, province: str = "JP-13") -> str:
    return f"#{number},c{number}@example.jp,2026-11-01 10:00:00 +0900,2220,600,147,Shopify Payments,{zip_code},{province},JP,1,ブレンド,1620\n"


def test_remote_islands_are_the_postal_codes_the_shop_lists(tmp_path: Path) -> None:
    orders = write(
        tmp_path,
        SHOPIFY
        + shopify_order(1, "100-0101")  # 伊豆大島 (東京都): listed
        + shopify_order(2, "100-0001")  # 千代田区: not listed
        + shopify_order(3, "９０７－０００１".replace("－", "-"), "JP-47")  # 石垣市, full-width digits: listed
        + shopify_order(4, "900-0001", "JP-47")  # 那覇市: Okinawa, not an island the shop listed
        + shopify_order(5, ""),  # no postal code: the prefecture decides
        "utf-8",
    )
    run = Run(remote_postal_codes=["100-01", "9070"])
    regions = [o.region for o in OrderReader(orders, run) if isinstance(o, Order)]
    assert regions == ["remote_island", "mainland", "remote_island", "okinawa", "mainland"]
    assert next(o.region for o in OrderReader(orders, Run()) if isinstance(o, Order)) == "mainland"  # none listed

    bad = write(tmp_path, SHOPIFY + shopify_order(6, "1000-1"), "utf-8", name="bad.csv")
    (problem,) = list(OrderReader(bad, run))
    assert str(problem) == f"{bad}:2: Shipping Zip: not a postal code (expected seven digits, such as 100-0101)"


def test_a_remote_postal_code_prefix_is_checked_where_it_is_written(tmp_path: Path) -> None:
    from otokui.errors import PolicyError
    from otokui.policy.load import load_policy

    text = (ROOT / "rules.yaml").read_text(encoding="utf-8") + "run:\n  remote_postal_codes: ['100-01', '10a']\n"
    policy = tmp_path / "rules.yaml"
    policy.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(policy)
    (problem,) = caught.value.problems
    line = text.count("\n")
    assert (problem.line, problem.key) == (line, "run.remote_postal_codes[1]")
    assert problem.column == text.splitlines()[-1].index("'10a'") + 1


def test_shopify_birthdays_come_from_a_column_of_the_customers_csv(tmp_path: Path) -> None:
    """Shopify's exports have no birthday: the shop names the column of its customers CSV that has one."""
    import csv
    import shutil

    import yaml

    from tests.customers.conftest import policy_data

    shutil.copytree(ROOT / "email_templates", tmp_path / "email_templates")
    policy = tmp_path / "rules.yaml"
    data = policy_data(columns={"birthday": "Metafield: custom.birthday [date]"})
    policy.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    orders = write(tmp_path, SHOPIFY + shopify_order(1, "100-0001") + shopify_order(2, "100-0002"), "utf-8")
    customers = write(
        tmp_path,
        "First Name,Last Name,Email,Total Orders,Metafield: custom.birthday [date]\n"
        "花子,山田,c1@example.jp,1,1990-11-23\n"
        "太郎,佐藤,c2@example.jp,1,\n",
        "utf-8",
        name="customers_export.csv",
    )
    out = tmp_path / "out"
    code, err = cli(
        "run",
        "--policy",
        policy,
        "--orders",
        orders,
        "--customers",
        customers,
        "--out",
        out,
        "--on",
        "2026-11-20",
        "--dry-run",
        "--no-check",
    )
    assert code == 0, err
    with (out / "2026-11-20" / "report.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    birthdays = [(row[1], row[4]) for row in rows if row[3] == "birthday"]
    assert ("c1@example.jp", "due") in birthdays  # three days before 23 November (last year's: before the baseline)
    assert {email for email, _ in birthdays} == {"c1@example.jp"}  # no birthday, no birthday mail


def test_any_language_code_is_read_and_anything_else_is_a_bad_row(tmp_path: Path) -> None:
    run = Run.model_validate({"columns": {"locale": "言語"}})
    rows = [GOOD + ",fr-FR", GOOD.replace("A-1", "A-2") + ",ja", GOOD.replace("A-1", "A-3") + ",12"]
    path = write(tmp_path, "\r\n".join([HEADER + ",言語", *rows]) + "\r\n", "cp932")
    items = list(OrderReader(path, run))
    assert [(i.id, i.locale) for i in items if isinstance(i, Order)] == [("A-1", "fr"), ("A-2", "ja")]
    (error,) = [str(i).replace(str(tmp_path) + "/", "") for i in items if isinstance(i, RowError)]
    assert error == "orders.csv:4: 言語: '12' is not a language code (ja, en, fr…)"
