"""Dark mode keeps every button, heading and benefit name readable, and notice severities apart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from otokui.color import contrast

from .test_line_breaks import shops  # noqa: F401 - the built example and pottery

CONTRAST_JS = """
() => {
  const bg = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c && c !== 'transparent' && !c.endsWith(', 0)')) return c;
    }
    return 'rgb(255, 255, 255)';
  };
  const out = [];
  for (const el of document.querySelectorAll('.button a, .button2 a, strong.benefit-name, h1, h2, p.rank-name, p.notice-title')) {
    if (!el.textContent.trim()) continue;
    out.push({text: el.textContent.trim().slice(0, 30), fg: getComputedStyle(el).color, bg: bg(el)});
  }
  const notices = {};
  for (const el of document.querySelectorAll('div.notice')) {
    const severity = [...el.classList].find(c => c.startsWith('notice-')).slice(7);
    const s = getComputedStyle(el);
    notices[severity] = s.backgroundColor + ' ' + s.borderLeftColor;
  }
  return {pairs: out, notices};
}
"""


def hex_of(css: str) -> str:
    r, g, b = (int(float(x)) for x in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


@pytest.mark.browser
@pytest.mark.parametrize("shop", ["example", "pottery"])
def test_dark_mode_keeps_text_readable_and_severities_apart(page: Any, shops: dict[str, Path], shop: str) -> None:  # noqa: F811
    page.emulate_media(color_scheme="dark")
    page.set_viewport_size({"width": 600, "height": 800})
    emails = sorted((shops[shop] / "emails").glob("*/*/*.html"))
    low, notices, checked = [], {}, 0
    for email in emails:
        page.goto(email.as_uri())
        found = page.evaluate(CONTRAST_JS)
        for pair in found["pairs"]:
            checked += 1
            ratio = contrast(hex_of(pair["fg"]), hex_of(pair["bg"]))
            if ratio < 4.5:
                low.append(
                    f"{email.parent.parent.name}/{email.stem}: {pair['text']!r} {pair['fg']} on {pair['bg']} ({ratio:.1f}:1)"
                )
        notices.update(found["notices"])
    assert checked > 100
    assert low == [], "\n".join(sorted(set(low))[:20])
    if shop == "example":  # it has a notice of each severity
        assert set(notices) == {"info", "caution", "important"}
        assert len(set(notices.values())) == 3, notices


GOLDEN = Path(__file__).resolve().parent / "golden"
ACTUAL = Path(__file__).resolve().parent / "actual"


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 600])
@pytest.mark.parametrize("shop", ["example", "pottery"])
def test_thank_you_mail_matches_its_golden_screenshot(
    page: Any,
    shops: dict[str, Path],  # noqa: F811
    shop: str,
    width: int,
    scheme: str,
) -> None:
    """The thank-you mail of each shop, side by side, reviewed by eye (OTOKUI_UPDATE_GOLDEN=1 rewrites them)."""
    import base64
    import os

    from tests.emails.test_browser import DIFF_JS, MAX_DIFF

    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto((shops[shop] / "emails" / "thanks_review" / "ja" / "first.html").as_uri())
    shot = page.screenshot(full_page=True)
    name = f"{shop}-thanks_review-ja-first-{width}-{scheme}.png"
    ACTUAL.mkdir(exist_ok=True)
    (ACTUAL / name).write_bytes(shot)
    if os.environ.get("OTOKUI_UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        (GOLDEN / name).write_bytes(shot)
    golden = GOLDEN / name
    if not golden.exists():
        pytest.fail(f"no golden image {name}: review {ACTUAL / name} and rerun with OTOKUI_UPDATE_GOLDEN=1")

    def url(png: bytes) -> str:
        return "data:image/png;base64," + base64.b64encode(png).decode()

    result = page.evaluate(DIFF_JS, [url(golden.read_bytes()), url(shot)])
    assert result["size"][0] == result["size"][1], f"size changed: {result['size']} (see {ACTUAL / name})"
    assert result["diff"] <= MAX_DIFF, f"{result['diff']:.1%} of pixels differ (see {ACTUAL / name})"
