"""The one colour module: every CSS colour syntax reads the same, and contrast follows WCAG 2."""

from __future__ import annotations

import pytest

from otokui import color


@pytest.mark.parametrize(
    ("css", "expected"),
    [
        ("#c00", "#cc0000"),
        ("#CC0000", "#cc0000"),
        ("#cc0000ff", "#cc0000"),
        ("red", "#ff0000"),
        ("rebeccapurple", "#663399"),
        ("rgb(204, 0, 0)", "#cc0000"),
        ("rgb(80% 0% 0%)", "#cc0000"),
        ("rgba(204,0,0,1)", "#cc0000"),
        ("hsl(0, 100%, 40%)", "#cc0000"),
        ("1px solid #c00", "#cc0000"),
        ("url(a.png) no-repeat #fff", "#ffffff"),
    ],
)
def test_any_css_colour_is_read(css: str, expected: str) -> None:
    parsed = color.parse(css)
    assert parsed is not None and color.hex_of(parsed) == expected


@pytest.mark.parametrize("css", ["transparent", "rgba(0,0,0,0.5)", "#00000080", "hsl(0 0% 0% / 50%)"])
def test_translucent_colours_are_not_opaque(css: str) -> None:
    assert color.parse(css) is None
    assert color.parse_alpha(css) is not None


@pytest.mark.parametrize("css", ["", "inherit", "url(a.png)", "linear-gradient", "12px", "bold"])
def test_values_without_a_colour(css: str) -> None:
    assert color.parse(css) is None


def test_wcag_contrast_figures() -> None:
    assert color.contrast("#000", "#fff") == pytest.approx(21.0)
    assert color.contrast("#fff", "#fff") == pytest.approx(1.0)
    # #767676 is the lightest grey passing AA on white; #777777 just fails.
    assert color.contrast("#767676", "#ffffff") >= 4.5 > color.contrast("#777777", "#ffffff")
    assert color.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert color.contrast((1.0, 0.0, 0.0), "white") == pytest.approx(color.contrast("#ff0000", "#ffffff"))


def test_compositing_and_palette_helpers() -> None:
    half_black = color.over((0.0, 0.0, 0.0), 0.5, (1.0, 1.0, 1.0))
    assert color.hex_of(half_black) == "#808080"
    assert color.mix("#000000", "#ffffff", 0.2) == "#333333"
    assert color.text_on("#ffe066") == "#000000" and color.text_on("#123456") == "#ffffff"
    assert color.readable("#ffe066", "#ffffff", "#222222") == "#222222"
    darkened = color.darken_until("#ffe066", "#ffffff")
    assert darkened != "#ffe066" and color.contrast(darkened, "#ffffff") >= 4.5
    assert color.darken_until("#5b4030", "#ffffff") == "#5b4030"
