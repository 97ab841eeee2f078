"""Placeholders: ``{name}`` slots in policy texts and catalogue sentences, and the one way they are filled.

Policy texts (subjects, preheaders, headings) may carry ``{shop}``,
``{order_id}``, ``{name}`` and ``{rank}``; catalogue sentences of the emails and
the site carry their own slots. All are filled by :func:`substitute`, a
whitelist substitution in one pass, never ``str.format``:
a customer name such as ``{shop.__class__}`` or ``{0}`` stays literal text,
and a value is never scanned again for placeholders.

Subjects and preheaders end up in mail headers, so :func:`header_text`
removes line breaks and control characters from them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

#: Every placeholder a policy text may use. The policy loader reports any other name.
PLACEHOLDERS: tuple[str, ...] = ("shop", "order_id", "name", "rank")

#: The placeholders each email kind can fill (``rank`` needs a rank; ``order_id`` an order).
PLACEHOLDERS_BY_KIND: dict[str, tuple[str, ...]] = {
    "order_confirmation": ("shop", "order_id", "name"),
    "payment_received": ("shop", "order_id", "name"),
    "shipped": ("shop", "order_id", "name"),
    "thanks_review": ("shop", "order_id", "name"),
    "membership_invite": ("shop", "order_id", "name"),
    "rank_up": ("shop", "name", "rank"),
    "birthday": ("shop", "name", "rank"),
}

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


class PlaceholderError(ValueError):
    """A text names a placeholder that is unknown or not available in its email kind."""

    def __init__(self, name: str, available: tuple[str, ...]) -> None:
        self.name, self.available = name, available
        known = ", ".join("{" + a + "}" for a in available) or "none"
        hint = "" if name in PLACEHOLDERS else " (unknown placeholder)"
        super().__init__(f"{{{name}}} cannot be filled here{hint}; available: {known}")


def placeholders_in(text: str) -> list[str]:
    """The placeholder names used in ``text``, in order of appearance."""
    return [match.group(1) for match in _PLACEHOLDER.finditer(text)]


def unknown_placeholders(text: str, allowed: tuple[str, ...] = PLACEHOLDERS) -> list[str]:
    """The names in ``text`` that are not in ``allowed`` (for the policy loader's report)."""
    return [name for name in placeholders_in(text) if name not in allowed]


def substitute(text: str, values: Mapping[str, str | int], *, keep_unknown: bool = False) -> str:
    """Replace each ``{name}`` in ``text`` by ``values[name]`` in one pass.

    A name missing from ``values`` raises :class:`PlaceholderError`, or is left
    as it is with ``keep_unknown``. Braces that do not form a placeholder
    (``{ }``, ``{1}``) are left as they are. A value is never scanned again.
    """

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            if keep_unknown:
                return match.group(0)
            raise PlaceholderError(name, tuple(values))
        return str(values[name])

    return _PLACEHOLDER.sub(replace, text)


def header_text(text: str) -> str:
    """``text`` made safe for a mail header: no CR, LF or other control characters.

    Each run of control characters becomes one space, other whitespace runs are
    collapsed, and format characters (zero-width joiners aside) are dropped.
    """
    text = _CONTROL.sub(" ", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf" or ch in "\u200d\u200c")
    return " ".join(text.split())
