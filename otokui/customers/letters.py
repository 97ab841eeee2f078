"""The day's letters as one print-ready PDF, one letter per page, printed by Chromium.

Each letter is the shop's letter template (``letters/letter.html.j2``, the same one ``build`` renders)
filled with one customer's data by :func:`otokui.emails.letters.letter_data` (the paper of
``run.letters``, Japanese top to bottom for ``writing: vertical``, the date of the run, the shop's logo,
the owner's photo and signature). Chromium (Python playwright, Debian's ``/usr/bin/chromium``) prints
each letter; pypdfium2 joins the pages. The page may load the letter's own images and the shop's host,
nothing else.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from otokui.browser import CHROMIUM, CHROMIUM_ARGS
from otokui.customers.mail import with_customer
from otokui.emails.content import ContentBuilder
from otokui.emails.letters import LETTER_TEMPLATE, SIZES, Images, letter_data, page_css, render_letter
from otokui.emails.templates import Templates
from otokui.emails.variants import Variant
from otokui.errors import BuildError
from otokui.policy.model import Policy

__all__ = ["SIZES", "Letter", "LetterWriter", "page_css", "print_pdf"]


@dataclass(frozen=True)
class Letter:
    key: str
    locale: str
    html: str


class _Images(HTMLParser):
    """The ``src`` of every ``<img>`` of a letter (the template's images, from the policy)."""

    def __init__(self) -> None:
        super().__init__()
        self.sources: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources.update(value for name, value in attrs if name == "src" and value)


def _sources(html: str) -> set[str]:
    parser = _Images()
    parser.feed(html)
    return parser.sources


def _only(route: object, host: str, sources: set[str]) -> None:
    """Let the page load the shop's own host and the letter's images, nothing else from the network."""
    from urllib.parse import urlsplit

    url = route.request.url  # type: ignore[attr-defined]
    remote = url.startswith(("http:", "https:"))
    if remote and url not in sources and (not host or urlsplit(url).hostname != host):
        route.abort()  # type: ignore[attr-defined]
    else:
        route.continue_()  # type: ignore[attr-defined]


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
    """Print ``letters`` into ``target`` (written atomically); the number of pages.

    Playwright's synchronous API refuses a thread that already runs an event loop (a caller that drives
    a browser of its own), so there the letters are printed from a thread of their own.
    """
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _print_pdf(letters, target, allowed_host)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print_pdf, letters, target, allowed_host).result()


def _print_pdf(letters: list[Letter], target: Path, allowed_host: str) -> int:
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BuildError("printing letters needs Python playwright (pip install playwright)") from None
    import pypdfium2 as pdfium

    if not Path(CHROMIUM).exists():
        raise BuildError(f"printing letters needs Chromium at {CHROMIUM} (apt-get install chromium)")
    merged = pdfium.PdfDocument.new()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context()
                sources = set().union(*(_sources(letter.html) for letter in letters))
                context.route("**/*", lambda route: _only(route, allowed_host, sources))
                page = context.new_page()
                for letter in letters:
                    page.set_content(letter.html, wait_until="load")
                    data = page.pdf(prefer_css_page_size=True, print_background=True)
                    one = pdfium.PdfDocument(data)
                    merged.import_pages(one)
                    one.close()
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise BuildError(f"Chromium could not print the letters: {exc}") from None
    temp = target.with_name(f".{target.name}.tmp")
    merged.save(temp)
    pages = len(merged)
    merged.close()
    os.replace(temp, target)
    return pages
