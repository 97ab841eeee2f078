"""Money and dates as customers read them, one formatter per locale.

The email content, the member site, the letters and the exports all format
amounts and dates through here, so an amount reads the same in an email and on
the page that explains it. Formats do not depend on the machine's locale
settings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

from otokui.i18n.catalogue import default, fill

Currency = Literal["JPY", "USD", "EUR"]

#: Per currency: its sign and the digits after the decimal point.
CURRENCIES: dict[str, tuple[str, int]] = {"JPY": ("¥", 0), "USD": ("$", 2), "EUR": ("€", 2)}


def money(amount: float, currency: str, locale: str) -> str:
    """``amount`` in ``currency`` for ``locale``: ``1,620円`` in Japanese yen, ``¥1,620``, ``$19.50`` otherwise.

    Amounts carry the currency's minor digits (none for yen, two for dollars and euros).
    """
    symbol, digits = CURRENCIES.get(currency, ("", 0))
    number = f"{amount:,.{digits}f}"
    if currency == "JPY" and locale == "ja":
        return f"{number}円"
    return f"{symbol}{number}"


_KANJI_DIGITS = "〇一二三四五六七八九"


def _kanji(number: int, digit_by_digit: bool = False) -> str:
    """``number`` in kanji numerals: 十二 for 12, 二十一 for 21; a year digit by digit (二〇二六)."""
    if digit_by_digit or number >= 100:
        return "".join(_KANJI_DIGITS[int(d)] for d in str(number))
    tens, ones = divmod(number, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _KANJI_DIGITS[tens] + "十")
    return head + (_KANJI_DIGITS[ones] if ones or not head else "")


def long_date(
    value: str | dt.date, locale: str, vertical: bool = False, labels: Mapping[str, str] | None = None
) -> str:
    """A date written out: ``2026年12月1日`` (ja) or ``1 December 2026`` (en).

    The form is the locale catalogue's ``date_long`` with its ``month_names`` (from
    ``labels``, the shop's overrides applied, when given), so a new catalogue writes
    dates its own way.

    ``vertical`` is for Japanese set top to bottom, where numbers are written in
    kanji: ``二〇二六年十二月一日``. A string that is not an ISO date
    (``2026-12-01``) is returned unchanged, so policy text such as "within 3
    days" passes through.
    """
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return value
    else:
        day = value
    if locale == "ja" and vertical:
        return f"{_kanji(day.year, digit_by_digit=True)}年{_kanji(day.month)}月{_kanji(day.day)}日"
    try:
        table = labels if labels is not None else {k: default(locale, k) for k in ("date_long", "month_names")}
        pattern, months = table["date_long"], table["month_names"].split(",")
    except KeyError:
        pattern, months = default("en", "date_long"), default("en", "month_names").split(",")
    return fill(pattern, year=day.year, month_name=months[day.month - 1].strip(), day=day.day)
