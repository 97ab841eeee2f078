"""Colours for the email templates, derived from the shop's brand and kept readable.

Brand colours are used only where they keep text at a contrast of at least
4.5:1 (WCAG AA); otherwise a dark neutral takes their place. Badge colours
of ranks are used for borders and rules, never behind text.
"""

from __future__ import annotations

from otokui import color
from otokui.policy.model import Policy

WHITE = color.WHITE
INK = "#222222"


def readable(colour: str, background: str) -> str:
    """``colour`` if text in it reads well on ``background`` (4.5:1), else the ink colour."""
    return color.readable(colour, background, INK)


def text_on(background: str) -> str:
    """White or ink, whichever reads better on ``background``."""
    return color.text_on(background, WHITE, INK)


# Notice boxes: (background, border, text) per severity; each text/background pair is above 4.5:1.
NOTICE_COLORS: dict[str, tuple[str, str, str]] = {
    "info": ("#eef4fb", "#3b6ea5", "#1f2d3d"),
    "caution": ("#fff6e0", "#b7791f", "#3d2b00"),
    "important": ("#fdecea", "#b3261e", "#410e0b"),
}


def theme(policy: Policy) -> dict[str, str]:
    """The colour set the templates use, as ``#rrggbb`` strings."""
    brand = policy.shop.brand
    primary = brand.primary_color.lower()
    accent = (brand.accent_color or brand.primary_color).lower()
    surface = WHITE
    colors = {
        "page": "#f4f1ec",
        "surface": surface,
        "text": "#2b2b2b",
        "muted": "#595959",  # 7:1 on white, 6.4:1 on the page colour
        "rule": "#e2ddd5",
        "heading": readable(primary, surface),
        "link": readable(accent, surface),
        "button_bg": primary,
        "button_text": text_on(primary),
        "button2_bg": WHITE,
        "button2_text": readable(primary, WHITE),
        "footer_text": "#4d4d4d",
        "dark_page": "#161616",
        "dark_surface": "#222222",
        "dark_text": "#eeeeee",
        "dark_muted": "#c8c8c8",
        "dark_link": "#9ecbff",
    }
    for severity, (bg, border, text) in NOTICE_COLORS.items():
        colors[f"{severity}_bg"] = bg
        colors[f"{severity}_border"] = border
        colors[f"{severity}_text"] = text
    return colors
