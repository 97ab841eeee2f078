"""Jinja for generated Markdown pages: every value is escaped for Markdown *and* HTML.

A shop's name, a rank's name or a notice's text is data, never markup: a
shop called ``<script>*Komorebi*`` must read exactly so on the page.
Two layers do that, in this order, for each ``{{ value }}``:

1. :func:`md_escape` (Jinja's ``finalize``) puts a backslash before each
   ASCII punctuation character Markdown could read as syntax; the site
   enables ``pymdownx.escapeall`` so every such escape renders as the
   plain character. Newlines become spaces, so a value cannot start a list
   or a heading of its own.
2. Autoescape then turns ``& < > " '`` into entities (they are left alone
   by step 1, or the backslash would eat the ``&`` of the entity).

``Markup`` values skip both layers: use them only for markup the kit writes
itself. Links go through :func:`md_link`, which percent-encodes the address.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from otokui import cache

TEMPLATES = Path(__file__).parent / "templates"

# ASCII punctuation that Markdown (with the site's extensions) may treat as syntax,
# minus the five characters HTML escaping takes care of.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~^=:;$%?@,/])")
_SPACES = re.compile(r"\s+")


def md_escape(value: Any) -> Any:
    """Backslash-escape Markdown syntax in ``value``; ``Markup`` and non-strings pass through."""
    if isinstance(value, Markup) or value is None:
        return value
    if not isinstance(value, str):
        value = str(value)
    return _MD_SPECIAL.sub(r"\\\1", _SPACES.sub(" ", value))


def safe_url(url: object) -> str:
    """An address fit for a Markdown link destination and an HTML attribute."""
    return quote(str(url), safe=":/?#@!$&*+,;=%~-._[]")


def md_link(label: object, url: object) -> Markup:
    """``[label](url)`` with the label escaped and the address percent-encoded."""
    text = md_escape(label)
    return Markup(f"[{Markup.escape(text)}]({Markup.escape(safe_url(url))})")


def environment(templates: Path = TEMPLATES) -> Environment:
    """The Jinja environment of the generated pages: one per folder (and cache folder) per process."""
    return _environment(templates, cache.current())


@lru_cache(maxsize=8)
def _environment(templates: Path, cache_root: Path | None) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=True,
        finalize=md_escape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=cache.bytecode_cache("site-pages") if cache_root is not None else None,
    )
    env.filters["link"] = md_link
    return env
