"""Colours: reading CSS colours, the WCAG contrast ratio, and contrast-safe palettes.

The one place that knows what a colour is. Parsing is coloraide's (every CSS
colour syntax: ``#rgb``, ``#rrggbbaa``, names, ``rgb()``/``rgba()``, ``hsl()``,
``hwb()``…); relative luminance is WCAG 2's, from coloraide's linear sRGB
channels with the WCAG weights. The email theme, the site stylesheet and the
contrast check (OT1402) all import from here, so a colour reads the same
everywhere.
"""

from __future__ import annotations

from functools import lru_cache

import tinycss2
from coloraide import Color

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
        try:
            colour = Color(token.serialize())
        except ValueError:
            continue
        srgb = colour.convert("srgb").clip()
        r, g, b = (float(c) for c in srgb.coords())
        return (r, g, b), float(srgb.alpha())
    return None


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
    linear = Color("srgb", list(channels)).convert("srgb-linear").coords()
    return sum(w * float(c) for w, c in zip(WCAG_WEIGHTS, linear, strict=True))


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
