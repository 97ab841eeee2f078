"""Reading the shop's exports into :class:`~otokui.customers.records.Order` and ``Customer`` records.

Rows are streamed, never all held at once. Rows of one order (Shopify and EC-CUBE write one row per line
item) follow each other in every export, so an order is complete when the next order id starts. A row
that cannot be read yields a :class:`~otokui.customers.records.RowError` naming file, line and column;
the whole order it belongs to is left out, never half-read.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from otokui.customers import encoding, formats
from otokui.customers.records import Customer, Line, Order, RowError
from otokui.errors import UsageError
from otokui.policy.model import PaymentMethod, Region, Run
from otokui.policy.semantics import suggest

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT].*)?$")
# In Shift_JIS the yen sign is byte 0x5C, which CP932 reads as a backslash: both mean yen here.
_AMOUNT = re.compile(r"^[¥￥\\$€]?\s*-?[\d,]+(?:\.\d+)?\s*(?:円|JPY|USD|EUR)?$")
_EMAIL = re.compile(r"^[^@\s<>\"',;()\[\]\\]+@[^@\s<>\"',;()\[\]\\]+\.[^@\s<>\"',;()\[\]\\]+$")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_TRUE = ("1", "true", "yes", "y", "○", "有", "あり", "予約")
_FALSE = ("", "0", "false", "no", "n", "無", "なし")
_MEMBER_GONE = ("退会", "仮会員", "deleted", "disabled")

REQUIRED_ORDER = ("order_id", "placed_at", "total")

#: The rows of one order: (line number in the file, cells).
Group = list[tuple[int, list[str]]]


class RowProblem(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


class Table:
    """A CSV file's header and rows, with the column of each field resolved."""

    def __init__(self, path: Path, fields: Mapping[str, tuple[str, ...]]) -> None:
        self.path, self.display = path, str(path)
        self.codec = encoding.detect(path)
        self.handle = path.open(encoding=self.codec, newline="", errors="strict")
        self.reader = csv.reader(self.handle)
        try:
            self.header = [cell.strip() for cell in next(self.reader)]
        except StopIteration:
            self.handle.close()
            raise UsageError(f"{path}: the file is empty (expected a header row)") from None
        except (UnicodeDecodeError, csv.Error) as exc:
            self.handle.close()
            raise UsageError(f"{path}:1: cannot read the header row ({exc})") from None
        self.fields = fields

    def resolve(self, fields: Mapping[str, tuple[str, ...]], required: Sequence[str]) -> dict[str, list[int]]:
        where = {name: i for i, name in enumerate(self.header)}
        out: dict[str, list[int]] = {}
        for field, columns in fields.items():
            missing = [c for c in columns if c not in where]
            if missing:
                if field in required:
                    column = missing[0]
                    hint = suggest(column, self.header)
                    raise UsageError(
                        f"{self.display}:1: {column}: no such column (needed for {field}){hint};"
                        " name the right one in run.columns"
                    )
                continue
            out[field] = [where[c] for c in columns]
        for field in required:
            if field not in out:
                raise UsageError(f"{self.display}:1: {field}: no column is mapped to it; add it to run.columns")
        return out

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        line = 1
        while True:
            try:
                row = next(self.reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                raise UsageError(
                    f"{self.display}:{line + 1}: not {self.codec} text ({exc.reason}); save the export as UTF-8"
                ) from None
            except csv.Error as exc:
                raise UsageError(f"{self.display}:{self.reader.line_num}: not valid CSV ({exc})") from None
            line_start, line = line + 1, self.reader.line_num
            if any(cell.strip() for cell in row):
                yield line_start, row

    def close(self) -> None:
        self.handle.close()


# --------------------------------------------------------------------------- values


def clean(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


def parse_date(column: str, text: str, extra: Sequence[str] = ()) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    match = _DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise RowProblem(column, f"{text!r} is not a date on the calendar") from None
    for fmt in extra:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowProblem(column, f"{text!r} is not a date (expected 2024-01-31 or 2024/01/31)")


def parse_amount(column: str, text: str) -> int:
    text = text.strip()
    if not text:
        return 0
    if not _AMOUNT.match(text):
        raise RowProblem(column, f"{text!r} is not an amount")
    number = float(re.sub(r"[^\d.\-]", "", text))
    if number < 0:
        raise RowProblem(column, f"{text!r} is negative")
    return round(number)


def parse_count(column: str, text: str) -> int:
    text = text.strip().replace(",", "")
    if not text.isdigit():
        raise RowProblem(column, f"{text!r} is not a whole number")
    return int(text)


def parse_flag(column: str, text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise RowProblem(column, f"{text!r} is neither yes nor no")


def parse_payment(column: str, text: str, run: Run) -> PaymentMethod:
    if text in run.payment_methods:
        return run.payment_methods[text]
    known = formats.PAYMENT_NAMES.get(formats.normal(text))
    if known is None:
        hint = f" (add it to run.payment_methods, e.g. {text!r}: credit_card)" if text.strip() else ""
        raise RowProblem(column, f"{text!r} is not a payment method otokui knows{hint}")
    return known  # type: ignore[return-value]


def parse_region(
    prefecture: str, country: str, postal: str = "", islands: Sequence[str] = (), column: str = "postal_code"
) -> Region:
    """The policy's region of a shipping address: ``run.remote_postal_codes`` first, then the prefecture."""
    if formats.normal(country) not in formats.JAPAN:
        return "overseas"
    if islands and postal:
        digits = postal_digits(column, postal)
        if any(digits.startswith(prefix.replace("-", "")) for prefix in islands):
            return "remote_island"
    return formats.REGIONS.get(formats.normal(prefecture), "mainland")  # type: ignore[return-value]


def postal_digits(column: str, text: str) -> str:
    """A Japanese postal code's seven digits (``〒100-0101``, full-width digits too)."""
    digits = unicodedata.normalize("NFKC", text).replace("〒", "").replace("-", "").replace("ー", "").strip()
    if not re.fullmatch(r"[0-9]{7}", digits):
        raise RowProblem(column, "not a postal code (expected seven digits, such as 100-0101)")
    return digits


def parse_email(column: str, text: str) -> str:
    text = text.strip()
    if not _EMAIL.match(text):
        # The value is not repeated: a line on the terminal never carries a customer's address.
        raise RowProblem(column, "not an e-mail address" if text else "empty (every order needs an address)")
    return text


# --------------------------------------------------------------------------- orders


class OrderReader:
    """Orders from one export file, one :class:`Order` (or :class:`RowError`) at a time."""

    def __init__(self, path: Path, run: Run) -> None:
        self.run = run
        probe = Table(path, {})
        preset = formats.detect(probe.header, run.format, bool(run.columns))
        if preset is None:
            probe.close()
            raise UsageError(
                f"{path}:1: cannot tell which cart wrote this export; set run.format"
                " (shopify, eccube, makeshop) or map its columns in run.columns"
            )
        self.preset, self.table = preset, probe
        self.fields = formats.mapping(preset, run.columns)
        self.cancelled = {formats.normal(s) for s in (*preset.cancelled_status, *run.cancelled_statuses)}
        self.index = probe.resolve(self.fields, REQUIRED_ORDER)
        where = {name: i for i, name in enumerate(probe.header)}
        self.kind = where.get(preset.line_kind) if preset.line_kind else None
        self.single = [(field, cells[0]) for field, cells in self.index.items() if len(cells) == 1]
        self.joined = [field for field, cells in self.index.items() if len(cells) > 1]
        if "email" not in self.index and "customer_id" not in self.index:
            probe.close()
            raise UsageError(f"{path}:1: email: no column is mapped to it; add it to run.columns")

    def close(self) -> None:
        self.table.close()

    def _get(self, row: list[str], field: str) -> str:
        cells = self.index.get(field)
        if not cells:
            return ""
        if len(cells) == 1:
            i = cells[0]
            return row[i].strip() if i < len(row) else ""
        return " ".join(row[i].strip() for i in cells if i < len(row) and row[i].strip())

    def _goods(self, row: list[str]) -> bool:
        """Whether ``row`` is a line of goods (not the shipping fee, a charge or a discount as an item)."""
        if self.kind is None:
            return True
        kind = row[self.kind].strip() if self.kind < len(row) else ""
        return kind in self.preset.product_kinds

    def column(self, field: str) -> str:
        return " ".join(self.fields.get(field, (field,)))

    def __iter__(self) -> Iterator[Order | RowError]:
        return (self.parse(group) for group in self.groups())

    def groups(self) -> Iterator[Group]:
        """The rows of each order, unread (:meth:`parse` reads them; a worker process can do that part)."""
        group: Group = []
        current = None
        try:
            for line, row in self.table.rows():
                order_id = self._get(row, "order_id")
                if group and order_id != current:
                    yield group
                    group = []
                current = order_id
                group.append((line, row))
            if group:
                yield group
        finally:
            self.close()

    def parse(self, group: Group) -> Order | RowError:
        """One order from its rows, or the first problem in them."""
        return self._order(group)

    def _values(self, group: list[tuple[int, list[str]]]) -> tuple[dict[str, str], dict[str, int]]:
        """Each field's first non-empty value in the order's rows, and the line it came from."""
        first_line, first = group[0]
        width = len(first)
        values = {field: first[i].strip() if i < width else "" for field, i in self.single}
        values.update((field, self._get(first, field)) for field in self.joined)
        lines = dict.fromkeys(values, first_line)
        if len(group) > 1:
            for field, value in values.items():
                if value:
                    continue
                for line, row in group[1:]:
                    found = self._get(row, field)
                    if found:
                        values[field], lines[field] = found, line
                        break
        return values, lines

    def _order(self, group: list[tuple[int, list[str]]]) -> Order | RowError:
        line = group[0][0]
        try:
            return self._parse(group)
        except RowProblem as problem:
            return RowError(self.table.display, getattr(problem, "line", line), problem.column, problem.message)

    def _parse(self, group: list[tuple[int, list[str]]]) -> Order:
        run, col = self.run, self.column
        first_line = group[0][0]
        values, lines_of = self._values(group)

        def at(field: str, parse: object) -> object:
            try:
                return parse(col(field), values.get(field, ""))  # type: ignore[operator]
            except RowProblem as problem:
                problem.line = lines_of.get(field, first_line)  # type: ignore[attr-defined]
                raise

        def date(field: str) -> dt.date | None:
            return at(field, lambda c, v: parse_date(c, v, run.date_formats))  # type: ignore[return-value]

        order_id = clean(values["order_id"])
        if not order_id:
            raise RowProblem(col("order_id"), "empty (every row needs its order number)")
        if len(order_id) > 40:
            raise RowProblem(col("order_id"), f"{order_id[:40]!r}… is longer than 40 characters")
        member_id = clean(values.get("customer_id", ""))
        email = values.get("email", "")
        email = at("email", parse_email) if email or not member_id else email.strip()  # type: ignore[assignment]
        placed = date("placed_at")
        if placed is None:
            raise RowProblem(col("placed_at"), "empty (every order needs its date)")
        status = formats.normal(values.get("status", ""))
        cancelled = bool(values.get("cancelled_at")) or status in self.cancelled
        if values.get("cancelled_at"):
            date("cancelled_at")
        total = at("total", parse_amount)
        payment = values.get("payment_method", "")
        payment_method = at("payment_method", lambda c, v: parse_payment(c, v, run)) if payment else "credit_card"
        if not payment and self.index.get("payment_method") and total:
            raise RowProblem(col("payment_method"), "empty (the notices depend on it)")
        tracking = values.get("tracking_url", "")
        if tracking and not tracking.startswith("https://"):
            raise RowProblem(col("tracking_url"), f"{clean(tracking)!r} is not an https:// address")
        locale = values.get("locale", "").lower()[:2]
        if locale and not (len(locale) == 2 and locale.isascii() and locale.isalpha()):
            # Any language code: one the shop does not write in gets its default language (mail.locale_for).
            raise RowProblem(col("locale"), f"{clean(values['locale'])!r} is not a language code (ja, en, fr…)")
        lines: list[Line] = []
        for row_line, row in group:
            name = clean(self._get(row, "line_name"))
            if not name or not self._goods(row):
                continue
            try:
                quantity = parse_count(col("line_quantity"), self._get(row, "line_quantity") or "1")
                price = parse_amount(col("line_price"), self._get(row, "line_price"))
            except RowProblem as problem:
                problem.line = row_line  # type: ignore[attr-defined]
                raise
            lines.append(Line(name[:200], quantity, price))
        tags = tuple(t.strip() for t in re.split(r"[,、;]", values.get("tags", "")) if t.strip())
        pre_order = bool(at("pre_order", parse_flag)) if values.get("pre_order") else False
        purchase_count = at("purchase_count", parse_count) if values.get("purchase_count") else None
        guest = member_id in self.preset.guest_ids
        return Order(
            id=order_id,
            customer=f"m:{member_id}" if not guest else f"e:{email.lower()}",
            email=str(email),
            name=clean(values.get("name", ""))[:100],
            placed=placed,
            total=int(total),  # type: ignore[call-overload]
            tax=int(at("tax", parse_amount)),  # type: ignore[call-overload]
            shipping_fee=int(at("shipping_fee", parse_amount)),  # type: ignore[call-overload]
            payment_method=payment_method,  # type: ignore[arg-type]
            region=at(  # type: ignore[arg-type]
                "postal_code",
                lambda c, v: parse_region(
                    values.get("prefecture", ""), values.get("country", ""), v, run.remote_postal_codes, c
                ),
            ),
            tags=tags,
            pre_order=pre_order,
            paid=date("paid_at"),
            shipped=date("shipped_at"),
            delivered=date("delivered_at"),
            desired_delivery=date("desired_delivery_date"),
            cancelled=cancelled,
            tracking_url=tracking,
            locale=locale,
            lines=tuple(lines),
            member=(not guest) if "customer_id" in self.index else None,
            birthday=date("birthday"),
            purchase_count=purchase_count,  # type: ignore[arg-type]
            source_line=first_line,
        )


# --------------------------------------------------------------------------- customers


def read_customers(path: Path, run: Run, preset_name: str) -> Iterator[Customer | RowError]:
    """Customers from a customer export (EC-CUBE 会員CSV, Shopify customers…), joined to orders by key."""
    preset = formats.PRESETS[preset_name]
    fields = formats.mapping(preset, run.columns, customers=True)
    table = Table(path, fields)
    keys = ("customer_id",) if "customer_id" in fields else ("email",)
    index = table.resolve(fields, keys)

    def get(row: list[str], field: str) -> str:
        return " ".join(row[i].strip() for i in index.get(field, []) if i < len(row) and row[i].strip())

    try:
        for line, row in table.rows():
            column = ""
            try:
                member_id = clean(get(row, "customer_id"))
                column = " ".join(fields.get("email", ("email",)))
                email = get(row, "email")
                email = parse_email(column, email) if email or not member_id else ""
                column = " ".join(fields.get("birthday", ("birthday",)))
                birthday = parse_date(column, get(row, "birthday"), run.date_formats)
                column = " ".join(fields.get("purchase_count", ("purchase_count",)))
                count_text = get(row, "purchase_count")
                count = parse_count(column, count_text) if count_text else None
            except RowProblem as problem:
                yield RowError(table.display, line, problem.column, problem.message)
                continue
            status = get(row, "member")
            member = not any(word in status.lower() for word in _MEMBER_GONE)
            key = f"m:{member_id}" if member_id and member_id not in preset.guest_ids else f"e:{email.lower()}"
            yield Customer(
                key=key,
                email=email,
                name=clean(get(row, "name"))[:100],
                member=member,
                birthday=birthday,
                purchase_count=count,
            )
    finally:
        table.close()
