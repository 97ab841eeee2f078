"""One email as the preview shows it: HTML (light or dark), plain text, MJML or HTML source.

URLs::

    /email/<kind>/<locale>/<variant>.html     the email, as sent (?scheme=dark: in dark mode)
    /email/<kind>/<locale>/<variant>.txt      its plain-text part
    /source/<kind>/<locale>/<variant>.mjml    the MJML the templates produced
    /source/<kind>/<locale>/<variant>.html    the HTML source, shown as text

**Dark mode.** A browser applies an email's ``@media (prefers-color-scheme:
dark)`` rules only when the whole browser is in dark mode, and an iframe
cannot be switched on its own. So for ``?scheme=dark`` the preview rewrites
the email's ``<style>`` elements: ``(prefers-color-scheme: dark)`` becomes a
condition that always holds and ``(prefers-color-scheme: light)`` one that
never does, and the document gets ``color-scheme: dark``. What shows is
exactly the email's own dark styles, as Apple Mail and other clients that
honour the media query show them. (Clients that invert colours on their own,
such as Gmail's apps and Outlook, are not simulated.)

Links open in a new tab (``<base target="_blank">``), so clicking one never
navigates the preview frame away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from otokui.emails import RenderedEmail

_STYLE = re.compile(r"(<style\b[^>]*>)(.*?)(</style\s*>)", re.IGNORECASE | re.DOTALL)
_DARK = re.compile(r"\(\s*prefers-color-scheme\s*:\s*dark\s*\)", re.IGNORECASE)
_LIGHT = re.compile(r"\(\s*prefers-color-scheme\s*:\s*light\s*\)", re.IGNORECASE)
_SCHEME_META = re.compile(r"<meta\s+name=[\"']?color-scheme[\"']?[^>]*>", re.IGNORECASE)
_HEAD_OPEN = re.compile(r"<head\b[^>]*>", re.IGNORECASE)

ALWAYS = "(min-width: 0px)"
NEVER = "(max-width: -1px)"
DARK_ROOT = "<style>:root { color-scheme: dark; }</style>"
BASE = '<base target="_blank">'

#: Gmail clips a message whose HTML is larger than this (about 102 KB).
GMAIL_CLIP_BYTES = 102 * 1024

VIEWS = ("html", "text", "mjml", "source")


@dataclass(frozen=True)
class EmailPath:
    """A parsed ``/email/…`` or ``/source/…`` path."""

    kind: str
    locale: str
    name: str
    view: str  # one of VIEWS


def parse(segments: tuple[str, ...]) -> EmailPath | None:
    """``("email", kind, locale, "name.html")`` → EmailPath, or None when it is no email URL."""
    if len(segments) != 4 or segments[0] not in ("email", "source"):
        return None
    root, kind, locale, file = segments
    stem, dot, suffix = file.rpartition(".")
    if not dot or not stem:
        return None
    views = {
        ("email", "html"): "html",
        ("email", "txt"): "text",
        ("source", "mjml"): "mjml",
        ("source", "html"): "source",
    }
    view = views.get((root, suffix))
    return EmailPath(kind, locale, stem, view) if view else None


def url(email: RenderedEmail, view: str, *, dark: bool = False, build: int | None = None) -> str:
    """The URL of ``view`` of ``email`` (``build`` makes it change whenever the email is rebuilt)."""
    variant = email.variant
    root, suffix = {"html": ("email", "html"), "text": ("email", "txt"), "mjml": ("source", "mjml")}.get(
        view, ("source", "html")
    )
    query = []
    if dark and view == "html":
        query.append("scheme=dark")
    if build is not None:
        query.append(f"build={build}")
    tail = "?" + "&".join(query) if query else ""
    return f"/{root}/{_quote(variant.kind)}/{_quote(variant.locale)}/{_quote(variant.name)}.{suffix}{tail}"


def _quote(segment: str) -> str:
    from urllib.parse import quote

    return quote(segment, safe="")


def body(email: RenderedEmail, view: str, *, dark: bool = False) -> tuple[bytes, str]:
    """What to send for ``view`` of ``email``: bytes and Content-Type."""
    if view == "html":
        html = dark_mode(email.html) if dark else email.html
        return preview_html(html).encode("utf-8"), "text/html; charset=utf-8"
    text = {"text": email.text, "mjml": email.mjml}.get(view, email.html)
    return text.encode("utf-8"), "text/plain; charset=utf-8"


def preview_html(html: str) -> str:
    """``html`` with links opening in a new tab."""
    match = _HEAD_OPEN.search(html)
    if match is None:
        return BASE + html
    return html[: match.end()] + BASE + html[match.end() :]


def dark_mode(html: str) -> str:
    """``html`` as a client in dark mode shows it: its ``prefers-color-scheme: dark`` rules always on."""

    def rewrite(match: re.Match[str]) -> str:
        css = _LIGHT.sub(NEVER, _DARK.sub(ALWAYS, match.group(2)))
        return match.group(1) + css + match.group(3)

    html = _STYLE.sub(rewrite, html)
    html = _SCHEME_META.sub('<meta name="color-scheme" content="dark">', html)
    if "</head>" in html:
        return html.replace("</head>", DARK_ROOT + "</head>", 1)
    return DARK_ROOT + html


def sizes(email: RenderedEmail) -> dict[str, int]:
    """Bytes of the HTML and text parts."""
    return {"html": len(email.html.encode("utf-8")), "text": len(email.text.encode("utf-8"))}
