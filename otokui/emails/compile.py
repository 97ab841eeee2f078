"""From MJML to the HTML sent: MRML (mjml-python), then a CSS inliner.

MRML renders the responsive table layout; it does not honour
``<mj-style inline="inline">``, so the CSS meant for inlining lives in its own
file (``styles/inline.css.j2``) and is handed to the inliner here. Two
inliners are offered, chosen by the policy's ``build.inliner``: css-inline
(default, fast) and premailer. Neither fetches anything over the network,
and MRML is given no web fonts.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import css_inline
import mjml

from otokui.errors import TemplateError

Inline = Callable[[str], str]

# Meta tags every email needs; added if a custom layout left them out.
_DARK_META = (
    '<meta name="color-scheme" content="light dark">',
    '<meta name="supported-color-schemes" content="light dark">',
)
_HTML_OPEN = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_LANG = re.compile(r'\blang="[^"]*"')
_DIR = re.compile(r'\bdir="[^"]*"')
_POSITION = re.compile(r"at position (\d+):(\d+)")
# MRML writes some invisible characters in attribute values as Rust escapes (\u{fe0f}).
_RUST_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]{1,6})\}")


def _unescape_rust(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)


#: Deepest nesting of elements handed to MRML, which recurses per level and overflows its stack in
#: the low thousands; a real email nests a few dozen deep.
MAX_MARKUP_DEPTH = 256
_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)[^>]*?(/?)>")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "mj-all"}
)


def markup_depth_error(source: str, limit: int | None = None) -> str | None:
    """Where ``source`` nests elements deeper than ``limit`` (``None`` when it does not); one pass."""
    limit = MAX_MARKUP_DEPTH if limit is None else limit
    depth = 0
    for match in _TAG.finditer(source):
        closing, name, self_closing = match.groups()
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name.lower() not in _VOID:
            depth += 1
            if depth > limit:
                line = source.count("\n", 0, match.start()) + 1
                return f"MJML: elements nested more than {limit} deep (rendered MJML line {line})"
    return None


def mjml_to_html(source: str, file: str) -> str:
    """Render MJML to HTML; an MJML error names ``file`` (the template that produced it)."""
    too_deep = markup_depth_error(source)
    if too_deep:
        raise TemplateError(file, None, too_deep)
    try:
        html: str = mjml.mjml2html(source, disable_comments=True, fonts={})
    except Exception as error:  # MRML raises ValueError with a short description
        raise TemplateError(file, None, f"MJML: {error}{_locate(source, str(error))}") from error
    return _RUST_ESCAPE.sub(_unescape_rust, html) if "\\u{" in html else html


def _locate(source: str, message: str) -> str:
    """Where MRML's ``at position start:end`` falls in the rendered MJML, with that line quoted."""
    match = _POSITION.search(message)
    if not match:
        return ""
    # MRML counts bytes of UTF-8, not characters
    start = len(source.encode("utf-8")[: int(match.group(1))].decode("utf-8", errors="ignore"))
    line = source.count("\n", 0, start) + 1
    column = start - (source.rfind("\n", 0, start) + 1) + 1
    text = source.splitlines()[line - 1].strip() if source else ""
    return f" (rendered MJML line {line}, column {column}: {text[:120]!r})"


def make_inliner(kind: str, css: str) -> Inline:
    """An inliner function applying ``css`` (and nothing from the network)."""
    if kind == "premailer":
        return _premailer(css)
    inliner = css_inline.CSSInliner(
        inline_style_tags=False,  # MRML's own <style> blocks (media queries, resets) stay in <head>
        keep_style_tags=True,
        keep_link_tags=False,
        load_remote_stylesheets=False,
        extra_css=css,
    )

    def inline(html: str) -> str:
        return str(inliner.inline(html))

    return inline


def _premailer(css: str) -> Inline:
    from premailer import Premailer

    def inline(html: str) -> str:
        return str(
            Premailer(
                html,
                css_text=css,
                allow_network=False,
                keep_style_tags=True,
                strip_important=False,
                disable_validation=True,
                cssutils_logging_level=logging.CRITICAL,
                remove_classes=False,
                cache_css_parsing=True,
            ).transform(pretty_print=False)
        )

    return inline


def finish(html: str, locale: str) -> str:
    """Make sure ``<html>`` carries ``lang`` and ``dir`` and the dark-mode meta tags are there."""
    match = _HTML_OPEN.search(html)
    if match:
        tag = match.group(0)
        new = _LANG.sub(f'lang="{locale}"', tag) if _LANG.search(tag) else tag[:-1] + f' lang="{locale}">'
        new = new if _DIR.search(new) else new[:-1] + ' dir="ltr">'
        html = html[: match.start()] + new + html[match.end() :]
    missing = [meta for meta in _DARK_META if meta.split("content")[0] not in html]
    if missing:
        html = html.replace("</head>", "".join(missing) + "</head>", 1)
    return html
