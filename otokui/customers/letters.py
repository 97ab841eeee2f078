"""The day's letters as one print-ready PDF, one letter per page, printed by Chromium.

Each letter is the shop's letter template (``letters/letter.html.j2``, the same one ``build`` renders)
filled with one customer's data by :func:`otokui.emails.letters.letter_data` (the paper of
``run.letters``, Japanese top to bottom for ``writing: vertical``, the date of the run, the shop's logo,
the owner's photo and signature). Chromium (Python playwright, Debian's ``/usr/bin/chromium``) prints
each letter (:mod:`otokui.customers.printer`); pypdfium2 joins the pages. The page may load the
letter's own images and the shop's host, nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from otokui.customers.mail import with_customer
from otokui.emails.content import ContentBuilder
from otokui.emails.letters import LETTER_TEMPLATE, SIZES, Images, letter_data, page_css, render_letter
from otokui.emails.templates import Templates
from otokui.emails.variants import Variant
from otokui.policy.model import Policy

__all__ = ["SIZES", "Letter", "LetterWriter", "page_css", "print_pdf"]


@dataclass(frozen=True)
class Letter:
    key: str
    locale: str
    html: str


class LetterWriter:
    """Fills the letter template for real customers (templates compiled once, images read once)."""

    def __init__(self, policy: Policy, templates_dir: Path, day: dt.date | None = None) -> None:
        self.policy = policy
        self.templates = Templates(templates_dir)
        self.available = self.templates.has(LETTER_TEMPLATE)
        self.day = day or dt.date.today()
        self.images = Images.of(policy) if self.available else Images()

    def html(self, variant: Variant, letter_kind: str, name: str, email: str) -> str:
        policy = with_customer(self.policy, name, email, variant.order)
        data = ContentBuilder(policy).build(variant)
        return render_letter(
            self.templates, policy, letter_data(policy, data, letter_kind, variant.locale, self.day, self.images)
        )


def print_pdf(letters: list[Letter], target: Path, allowed_host: str = "") -> int:
    """Print ``letters`` into ``target`` (written atomically); the number of pages."""
    from otokui.customers.printer import Printer

    printer = Printer(target.parent, allowed_host)
    try:
        for letter in letters:
            printer.add(letter.html)
        return printer.finish(target)
    except BaseException:
        printer.abandon()
        raise
