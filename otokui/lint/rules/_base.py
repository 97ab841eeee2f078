"""Helpers shared by several rules."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar, get_args

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, OptionValue, Output, Rule
from otokui.policy.model import Email

#: Email categories, as the policy names them (``emails.<kind>.category``).
EMAIL_CATEGORIES: tuple[str, ...] = get_args(Email.model_fields["category"].annotation)
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９，", "0123456789,")


class PhraseRule(Rule):
    """A rule that reports every phrase of one list found in the visible text."""

    phrase_list: ClassVar[str]
    message: ClassVar[str]  # formatted with {phrase} (the text found) and {locale}
    hint: ClassVar[str] = ""

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        for match in output.phrases(self.phrase_list):
            found = output.text[match.start : match.end]
            yield Hit(self.message.format(phrase=found, locale=output.locale or ""), self.hint, output.at(match.start))


class WordingRule(PhraseRule):
    """A phrase rule on member pages and on the emails of the categories in its ``categories`` option."""

    surfaces = ("email", "page")
    options: ClassVar[dict[str, OptionValue]] = {"categories": ("relationship", "marketing")}
    choices: ClassVar[dict[str, tuple[str, ...]]] = {"categories": EMAIL_CATEGORIES}

    def applies(self, output: Output, options: Options) -> bool:
        return output.surface == "page" or output.category in options.strings("categories")


#: Schemes a link must never use: they run code or carry content instead of pointing to a page.
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")


def unsafe_scheme(value: str) -> str | None:
    """The unsafe scheme an address uses (``javascript``…), read as browsers do: white space ignored."""
    compact = "".join(value.split()).lower()
    return compact.split(":", 1)[0] if compact.startswith(UNSAFE_SCHEMES) else None


def squash(text: str) -> str:
    """``text`` without any whitespace, for comparing policy texts with rendered ones."""
    return "".join(text.split())  # split() drops exactly the characters the regex \s matches, and is faster


def contains_text(haystack: str, needle: str) -> bool:
    """Whether ``needle`` is in ``haystack``, whitespace and case aside."""
    return squash(needle).casefold() in squash(haystack).casefold()


def digits(text: str) -> str:
    """``text`` with full-width digits and commas made ASCII (same length, same offsets)."""
    return text.translate(_FULL_WIDTH_DIGITS)


def amount_pattern(amount: int) -> re.Pattern[str]:
    """Ways an amount is written: 20000, 20,000, ¥20,000, 20,000円, 20,000 yen, 2万円."""
    grouped = f"{amount:,}".replace(",", ",?")
    forms = [rf"(?<![\d,.]){grouped}(?![\d,]|\.\d)"]
    if amount % 10000 == 0:
        man = amount // 10000
        forms.append(rf"(?<![\d,.]){man}万")
    return re.compile("|".join(forms))


def count_pattern(count: int) -> re.Pattern[str]:
    """Ways an order count is written: 5回, 5 orders, 5 purchases, five orders is not recognised."""
    return re.compile(rf"(?<![\d,.]){count}\s?(?:回|件|orders?\b|purchases?\b|times\b)", re.IGNORECASE)


def member_variant(output: Output) -> bool:
    """Whether ``output`` is a variant for a customer who already has an account."""
    variant = output.context.variant if output.context else None
    return bool(variant and variant.endswith("--member"))
