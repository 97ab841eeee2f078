"""Responsive rendering in headless Chromium: no sideways scrolling, no missing Japanese glyphs.

Golden screenshots in ``golden/`` are compared loosely: same size, and under
``MAX_DIFF`` of the pixels visibly different. Fresh screenshots go to
``actual/`` (ignored by git). After a reviewed design change, refresh the
goldens with ``OTOKUI_UPDATE_GOLDEN=1 pytest tests/emails/test_browser.py``.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import pytest

from otokui.emails import RenderedEmail

pytestmark = pytest.mark.browser

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
ACTUAL = HERE / "actual"
WIDTHS = (375, 600)
MAX_DIFF = 0.02  # share of pixels allowed to differ (font hinting, anti-aliasing)
GOLDEN_CASES = [("thanks_review", "ja", "first"), ("order_confirmation", "ja", "first--notice-bank_transfer_fast")]

# Draws each character and a codepoint no font has; identical pixels mean a missing glyph (tofu).
MISSING_GLYPHS_JS = """
([chars, font]) => {
  const canvas = document.createElement('canvas');
  canvas.width = 48; canvas.height = 48;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const draw = (ch) => {
    ctx.clearRect(0, 0, 48, 48);
    ctx.font = font; ctx.fillStyle = '#000'; ctx.textBaseline = 'top';
    ctx.fillText(ch, 4, 4);
    return Array.from(ctx.getImageData(0, 0, 48, 48).data).join(',');
  };
  const tofu = draw('\\u{10FFFD}');
  return {control: draw('\\u{10FFFC}') === tofu, latin: draw('A') === tofu,
          missing: chars.filter((ch) => draw(ch) === tofu)};
}
"""

# Compares two PNGs (data: URLs) on a canvas; returns sizes and the share of differing pixels.
DIFF_JS = """
async ([a, b]) => {
  const load = (src) => new Promise((ok, fail) => {
    const i = new Image(); i.onload = () => ok(i); i.onerror = fail; i.src = src;
  });
  const [x, y] = await Promise.all([load(a), load(b)]);
  if (x.width !== y.width || x.height !== y.height) return {size: [[x.width, x.height], [y.width, y.height]], diff: 1};
  const pixels = (img) => {
    const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
    const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
    return ctx.getImageData(0, 0, img.width, img.height).data;
  };
  const p = pixels(x), q = pixels(y);
  let differ = 0;
  for (let i = 0; i < p.length; i += 4) {
    if (Math.abs(p[i] - q[i]) + Math.abs(p[i + 1] - q[i + 1]) + Math.abs(p[i + 2] - q[i + 2]) > 48) differ++;
  }
  return {size: [[x.width, x.height], [y.width, y.height]], diff: differ / (p.length / 4)};
}
"""


def one_per_kind(rendered: list[RenderedEmail]) -> list[RenderedEmail]:
    seen: dict[tuple[str, str], RenderedEmail] = {}
    for email in rendered:
        seen.setdefault((email.variant.kind, email.variant.locale), email)
    return list(seen.values())


def open_email(page: Any, email: RenderedEmail, width: int, tmp_path: Path) -> None:
    path = tmp_path / f"{email.variant.kind}-{email.variant.locale}-{email.variant.name}.html"
    path.write_text(email.html, encoding="utf-8")
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(path.as_uri())
    page.wait_for_load_state("load")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_horizontal_overflow(page: Any, rendered: list[RenderedEmail], width: int, tmp_path: Path) -> None:
    for email in one_per_kind(rendered):
        open_email(page, email, width, tmp_path)
        scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{email.variant.stem} at {width}px scrolls sideways ({scroll} > {inner})"


def test_no_missing_japanese_glyphs(page: Any, rendered: list[RenderedEmail], tmp_path: Path) -> None:
    for email in one_per_kind(rendered):
        if email.variant.locale != "ja":
            continue
        open_email(page, email, 600, tmp_path)
        text = page.evaluate("document.body.innerText")
        chars = sorted({ch for ch in text if ord(ch) >= 0x3000})
        assert len(chars) > 20
        font = page.evaluate("getComputedStyle(document.querySelector('h1')).font")
        result = page.evaluate(MISSING_GLYPHS_JS, [chars, font])
        assert result["control"] and not result["latin"], "the tofu probe itself does not work here"
        assert not result["missing"], f"{email.variant.stem}: no glyph for {''.join(result['missing'])}"


def _data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("kind", "locale", "name"), GOLDEN_CASES)
def test_matches_golden_screenshot(
    page: Any, rendered: list[RenderedEmail], kind: str, locale: str, name: str, width: int, tmp_path: Path
) -> None:
    email = next(e for e in rendered if (e.variant.kind, e.variant.locale, e.variant.name) == (kind, locale, name))
    open_email(page, email, width, tmp_path)
    shot = page.screenshot(full_page=True)
    filename = f"{kind}-{locale}-{name}-{width}.png"
    ACTUAL.mkdir(exist_ok=True)
    (ACTUAL / filename).write_bytes(shot)
    golden = GOLDEN / filename
    if os.environ.get("OTOKUI_UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        golden.write_bytes(shot)
    if not golden.exists():
        pytest.fail(f"no golden image {golden.name}: review {ACTUAL / filename} and rerun with OTOKUI_UPDATE_GOLDEN=1")
    result = page.evaluate(DIFF_JS, [_data_url(golden.read_bytes()), _data_url(shot)])
    assert result["size"][0] == result["size"][1], f"size changed: {result['size']} (see {ACTUAL / filename})"
    assert result["diff"] <= MAX_DIFF, f"{result['diff']:.1%} of pixels differ (see {ACTUAL / filename})"
