"""Colours: reading CSS colours, the WCAG contrast ratio, and contrast-safe palettes.

The one place that knows what a colour is. Parsing is coloraide's (every CSS
colour syntax: ``#rgb``, ``#rrggbbaa``, names, ``rgb()``/``rgba()``, ``hsl()``,
``hwb()``…); relative luminance is WCAG 2's, from coloraide's linear sRGB
channels with the WCAG weights. A plain ``#rgb``/``#rrggbb`` (the commonest
value in an email) is read directly and luminance uses sRGB's own transfer
function, the same arithmetic as coloraide's, so coloraide is imported only
for the first colour that needs it. The email theme, the site stylesheet and the
contrast check (OT1402) all import from here, so a colour reads the same
everywhere.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import tinycss2

#: sRGB channels from 0 to 1.
RGB = tuple[float, float, float]

#: WCAG 2 relative-luminance weights of the linear sRGB channels.
WCAG_WEIGHTS: RGB = (0.2126, 0.7152, 0.0722)
#: The WCAG AA contrast for normal text, and for large text.
AA_TEXT = 4.5
AA_LARGE = 3.0

WHITE = "#ffffff"
BLACK = "#000000"

Colour = str | RGB


@lru_cache(maxsize=4096)
def parse_alpha(value: str) -> tuple[RGB, float] | None:
    """The first colour in a CSS value and its alpha (0 to 1), or None if it has none.

    ``"1px solid #c00"`` gives red; ``"url(a.png) #fff"`` gives white;
    ``"transparent"`` gives black with alpha 0. Out-of-gamut values are clipped.
    """
    for token in tinycss2.parse_component_value_list(value):
        if token.type not in ("hash", "function", "ident"):
            continue
        plain = _hex(token.value) if token.type == "hash" else None
        if plain is not None:
            return plain
        try:
            colour = _coloraide()(token.serialize())
        except ValueError:
            continue
        srgb = colour.convert("srgb").clip()
        r, g, b = (float(c) for c in srgb.coords())
        return (r, g, b), float(srgb.alpha())
    return None


_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_CHANNEL_SCALE = 1.0 / 255.0  # as coloraide scales a hex channel, to the last bit


def _hex(digits: str) -> tuple[RGB, float] | None:
    """``#rgb``, ``#rgba``, ``#rrggbb`` or ``#rrggbbaa`` as channels and alpha (None for anything else)."""
    if len(digits) not in (3, 4, 6, 8) or not _HEX_DIGITS.issuperset(digits):
        return None
    if len(digits) < 6:
        digits = "".join(d * 2 for d in digits)
    values = [int(digits[i : i + 2], 16) * _CHANNEL_SCALE for i in range(0, len(digits), 2)]
    return (values[0], values[1], values[2]), (values[3] if len(values) == 4 else 1.0)


def _coloraide() -> Any:
    """coloraide's Color class, imported on first use (its import builds colour-temperature tables)."""
    from coloraide import Color

    return Color


def parse(value: str) -> RGB | None:
    """The first colour in a CSS value if it is opaque, else None.

    A translucent colour's contrast depends on what is underneath; use
    :func:`parse_alpha` and :func:`over` where the backdrop is known.
    """
    found = parse_alpha(value)
    if found is None or found[1] < 1:
        return None
    return found[0]


def over(colour: RGB, alpha: float, backdrop: RGB) -> RGB:
    """``colour`` at ``alpha`` composited over an opaque ``backdrop`` (source-over, in sRGB as browsers do)."""
    r, g, b = (alpha * c + (1 - alpha) * d for c, d in zip(colour, backdrop, strict=True))
    return (r, g, b)


def rgb(colour: Colour) -> RGB:
    """``colour`` as sRGB channels; a string must be an opaque CSS colour."""
    if isinstance(colour, tuple):
        return colour
    parsed = parse(colour)
    if parsed is None:
        raise ValueError(f"not an opaque colour: {colour!r}")
    return parsed


def hex_of(colour: Colour) -> str:
    """``colour`` as ``#rrggbb``."""
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb(colour))


@lru_cache(maxsize=4096)
def _luminance(channels: RGB) -> float:
    linear = (_linear(c) for c in channels)
    return sum(w * c for w, c in zip(WCAG_WEIGHTS, linear, strict=True))


def _linear(channel: float) -> float:
    """sRGB's transfer function, to linear light (as coloraide's ``srgb-linear`` computes it)."""
    size = abs(channel)
    return math.copysign(((size + 0.055) / 1.055) ** 2.4, channel) if size > 0.04045 else channel / 12.92


def luminance(colour: Colour) -> float:
    """WCAG 2 relative luminance, from 0 (black) to 1 (white)."""
    return _luminance(rgb(colour))


def contrast(a: Colour, b: Colour) -> float:
    """The WCAG 2 contrast ratio between two colours, from 1 to 21 (order does not matter)."""
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def mix(colour: Colour, other: Colour, share: float) -> str:
    """``colour`` moved ``share`` (0 to 1) of the way towards ``other``, as ``#rrggbb``."""
    return hex_of(over(rgb(other), share, rgb(colour)))


def readable(colour: str, background: str, fallback: str, minimum: float = AA_TEXT) -> str:
    """``colour`` if text in it reads on ``background`` (``minimum``:1), else ``fallback``."""
    return colour if contrast(colour, background) >= minimum else fallback


def text_on(background: Colour, light: str = WHITE, dark: str = BLACK) -> str:
    """``light`` or ``dark``, whichever reads better on ``background``."""
    return light if contrast(light, background) >= contrast(dark, background) else dark


def darken_until(colour: str, background: str, minimum: float = AA_TEXT, towards: str = BLACK) -> str:
    """``colour`` moved towards ``towards`` in 10% steps until it reaches ``minimum``:1 on ``background``."""
    current = hex_of(colour)
    for _ in range(64):
        if contrast(current, background) >= minimum:
            return current
        current = mix(current, towards, 0.1)
    return hex_of(towards)
