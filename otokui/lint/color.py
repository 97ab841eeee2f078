"""CSS colours and the WCAG 2 contrast ratio between two of them."""

from __future__ import annotations

import re

RGB = tuple[float, float, float]

NAMED: dict[str, str] = {
    "black": "#000000",
    "white": "#ffffff",
    "red": "#ff0000",
    "green": "#008000",
    "blue": "#0000ff",
    "yellow": "#ffff00",
    "orange": "#ffa500",
    "gray": "#808080",
    "grey": "#808080",
    "silver": "#c0c0c0",
    "maroon": "#800000",
    "navy": "#000080",
    "purple": "#800080",
    "teal": "#008080",
    "olive": "#808000",
    "lime": "#00ff00",
    "aqua": "#00ffff",
    "cyan": "#00ffff",
    "fuchsia": "#ff00ff",
    "magenta": "#ff00ff",
    "lightgray": "#d3d3d3",
    "lightgrey": "#d3d3d3",
    "darkgray": "#a9a9a9",
    "darkgrey": "#a9a9a9",
    "dimgray": "#696969",
    "dimgrey": "#696969",
    "gainsboro": "#dcdcdc",
    "whitesmoke": "#f5f5f5",
    "pink": "#ffc0cb",
    "gold": "#ffd700",
    "brown": "#a52a2a",
    "beige": "#f5f5dc",
    "ivory": "#fffff0",
}
_HEX = re.compile(r"#([0-9a-fA-F]{3,8})\b")
_RGB = re.compile(r"rgba?\(\s*([\d.]+%?)[\s,]+([\d.]+%?)[\s,]+([\d.]+%?)(?:[\s,/]+([\d.]+%?))?\s*\)", re.IGNORECASE)


def parse(value: str) -> RGB | None:
    """The first opaque colour in a CSS value (``#abc``, ``#aabbcc``, ``rgb()``, a basic name), or None.

    Transparent and semi-transparent colours give None: their contrast depends
    on what is underneath, so they are not judged.
    """
    value = value.strip().lower()
    hex_match = _HEX.search(value)
    rgb_match = _RGB.search(value)
    if hex_match and (not rgb_match or hex_match.start() < rgb_match.start()):
        digits = hex_match.group(1)
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits)
        if len(digits) == 8:
            if digits[6:] != "ff":
                return None
            digits = digits[:6]
        if len(digits) != 6:
            return None
        return (int(digits[0:2], 16) / 255, int(digits[2:4], 16) / 255, int(digits[4:6], 16) / 255)
    if rgb_match:
        channels = [_channel(rgb_match.group(i)) for i in (1, 2, 3)]
        alpha = rgb_match.group(4)
        if alpha is not None and _alpha(alpha) < 1:
            return None
        return (channels[0], channels[1], channels[2])
    for word in re.findall(r"[a-z]+", value):
        if word in NAMED:
            return parse(NAMED[word])
    return None


def _channel(text: str) -> float:
    if text.endswith("%"):
        return min(float(text[:-1]) / 100, 1.0)
    return min(float(text) / 255, 1.0)


def _alpha(text: str) -> float:
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


def luminance(color: RGB) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG 2 contrast ratio, from 1 to 21."""
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def hex_of(color: RGB) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in color)
