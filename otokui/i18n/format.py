"""Money and dates as customers read them, one formatter per locale.

The email content, the member site, the letters and the exports all format
amounts and dates through here, so an amount reads the same in an email and on
the page that explains it. Formats do not depend on the machine's locale
settings.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

Currency = Literal["JPY", "USD", "EUR"]

#: Per currency: its sign and the digits after the decimal point.
CURRENCIES: dict[str, tuple[str, int]] = {"JPY": ("¥", 0), "USD": ("$", 2), "EUR": ("€", 2)}

_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


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


def long_date(value: str | dt.date, locale: str, vertical: bool = False) -> str:
    """A date written out: ``2026年12月1日`` (ja) or ``1 December 2026`` (en).

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
    if locale == "ja":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
