"""What the texts and addresses of a policy may contain.

Every text ends up in pages, mails, plain-text parts or mail headers, and
every address in an ``href`` or ``src``. Escaping keeps markup inert; these
checks refuse what escaping cannot make harmless:

* control characters (a YAML ``"\\e"`` or ``"\\x00"`` escape) and the
  invisible bidirectional overrides (U+202A–U+202E, U+2066–U+2069) that can
  make a text read differently from what it says;
* line breaks in a subject or preheader, which become mail headers;
* names and subjects longer than :data:`MAX_LINE` characters, other texts
  longer than :data:`MAX_TEXT`;
* addresses that are not ``https://`` (the guidelines ask for https links
  throughout) or that carry a user name or password (``https://shop.example@evil.example``
  hides the real site). ``javascript:`` and ``data:`` never get this far:
  the model's address type accepts only http and https.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from pydantic import AnyUrl

from otokui.policy.source import KeyPath

Found = list[tuple[KeyPath, str]]

MAX_LINE = 200
MAX_TEXT = 5_000
#: Fields shown on one line: names, labels, titles, and the mail header fields.
ONE_LINE = ("name", "legal_name", "label", "title", "subject", "preheader", "heading", "signature")
HEADERS = ("subject", "preheader")
LOCALES = ("ja", "en")

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _strings(node: Any, path: KeyPath) -> Iterator[tuple[KeyPath, Any]]:
    """Every string and address in the dumped policy, with its path."""
    if isinstance(node, str | AnyUrl):
        yield path, node
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from _strings(item, (*path, str(key)))
    elif isinstance(node, list | tuple):
        for index, item in enumerate(node):
            yield from _strings(item, (*path, index))


def _field(path: KeyPath, locales: tuple[str, ...] = LOCALES) -> str:
    """The policy key a string belongs to (``name`` for ``shop.name.ja``)."""
    names = [part for part in path if isinstance(part, str)]
    if len(names) >= 2 and names[-1] in locales:
        return names[-2]
    return names[-1] if names else ""


def _text_problems(text: str, field: str) -> list[str]:
    found: list[str] = []
    control = _CONTROL.search(text)
    if control:
        found.append(f"contains the control character U+{ord(control.group()):04X}; remove it")
    bidi = _BIDI.search(text)
    if bidi:
        found.append(
            f"contains the invisible direction override U+{ord(bidi.group()):04X}, "
            "which can make a text read differently from what it says; remove it"
        )
    if field in HEADERS and ("\n" in text.strip() or "\r" in text):
        found.append("must be one line: it becomes a mail header")
    limit = MAX_LINE if field in ONE_LINE else MAX_TEXT
    if len(text) > limit:
        found.append(f"at most {limit:,} characters, got {len(text):,}")
    return found


def _url_problems(address: str) -> list[str]:
    try:
        parts = urlsplit(address.strip())
        userinfo = parts.username is not None or parts.password is not None
    except ValueError:
        return []  # not an address at all: the model says so
    found: list[str] = []
    if parts.scheme.lower() == "http":
        found.append("use an https:// address (got http://): links in pages and mails must be https")
    if parts.scheme.lower() in ("http", "https") and userinfo:
        found.append("an address may not carry a user name or password (…@): it hides the real site")
    return found


def _is_address(path: KeyPath) -> bool:
    key = next((part for part in reversed(path) if isinstance(part, str)), "")
    return key == "url" or key.endswith("_url")


def check(data: dict[str, Any], locales: tuple[str, ...] = LOCALES) -> Found:
    """Problems with the texts and addresses of a policy: raw YAML data, or the validated policy dumped by alias.

    Addresses are found by their key (``url``, ``…_url``); other schemes than
    http and https are left to the model, which refuses them.
    """
    found: Found = []
    for path, value in _strings(data, ()):
        if path[:1] == ("export",) or path[:2] == ("checks", "rules"):
            continue  # reserved and checker settings: not shown to customers
        if isinstance(value, AnyUrl) or _is_address(path):
            messages = _url_problems(str(value))
        else:
            messages = _text_problems(value, _field(path, locales))
        found += [(path, message) for message in messages]
    return found
