"""The day's letters as one print-ready PDF, one letter per page, printed by Chromium.

Each letter is the shop's letter template (``letters/letter.html.j2``, the same one ``build`` renders)
filled with one customer's data, with the page size and orientation of ``run.letters`` and, for
``writing: vertical``, Japanese set top to bottom (``writing-mode: vertical-rl``). Chromium (Python
playwright, Debian's ``/usr/bin/chromium``) prints each letter; pypdfium2 joins the pages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from otokui.browser import CHROMIUM, CHROMIUM_ARGS
from otokui.customers.mail import with_customer
from otokui.emails.content import ContentBuilder
from otokui.emails.letters import LETTER_TEMPLATE
from otokui.emails.templates import Templates
from otokui.emails.theme import theme
from otokui.emails.variants import Variant
from otokui.errors import BuildError
from otokui.policy.model import LetterSettings, Policy

#: Paper sizes in millimetres (portrait).
SIZES = {"A5": (148, 210), "A4": (210, 297), "B5": (182, 257), "B6": (128, 182), "postcard": (100, 148)}


@dataclass(frozen=True)
class Letter:
    key: str
    locale: str
    html: str


def page_css(settings: LetterSettings, locale: str) -> str:
    width, height = SIZES[settings.size]
    if settings.orientation == "landscape":
        width, height = height, width
    css = f"@page {{ size: {width}mm {height}mm; }}\nbody {{ max-width: none; }}\n"
    if settings.writing == "vertical" and locale == "ja":
        css += (
            "html { writing-mode: vertical-rl; }\n"
            f"body {{ height: {height - 30}mm; max-height: {height - 30}mm; }}\n"
            ".signature { text-align: end; }\n"
        )
    return css


def _only(route: object, host: str) -> None:
    """Let the page load the shop's own images (the owner's photo), nothing else from the network."""
    from urllib.parse import urlsplit

    url = route.request.url  # type: ignore[attr-defined]
    remote = url.startswith(("http:", "https:"))
    if remote and (not host or urlsplit(url).hostname != host):
        route.abort()  # type: ignore[attr-defined]
    else:
        route.continue_()  # type: ignore[attr-defined]


class LetterWriter:
    """Fills the letter template for real customers (templates compiled once)."""

    def __init__(self, policy: Policy, templates_dir: Path) -> None:
        self.policy = policy
        self.templates = Templates(templates_dir)
        self.available = self.templates.has(LETTER_TEMPLATE)
        self.theme = theme(policy)

    def html(self, variant: Variant, letter_kind: str, name: str, email: str) -> str:
        builder = ContentBuilder(with_customer(self.policy, name, email, variant.order))
        data = builder.build(variant)
        data.update(theme=self.theme, letter={"kind": letter_kind}, title=data["heading"])
        html = self.templates.render(LETTER_TEMPLATE, data)
        style = f"<style>{page_css(self.policy.run.letters, variant.locale)}</style>"
        return html.replace("</head>", style + "</head>", 1) if "</head>" in html else style + html


def print_pdf(letters: list[Letter], target: Path, allowed_host: str = "") -> int:
    """Print ``letters`` into ``target`` (written atomically); the number of pages."""
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
                context.route("**/*", lambda route: _only(route, allowed_host))
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
