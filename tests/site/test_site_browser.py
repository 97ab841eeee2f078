"""The built site in Chromium: Japanese search, no script from user text, and golden screenshots.

Screenshots are compared with the golden PNGs in ``golden/`` inside the browser
itself (a canvas diff, so no imaging library is needed). After a deliberate
change, look at the new screenshots and refresh them with
``OTOKUI_UPDATE_GOLDEN=1 python -m pytest tests/site/test_site_browser.py``.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.site.site_variants import BuiltSite

pytestmark = pytest.mark.browser

GOLDEN = Path(__file__).parent / "golden"
VIEWPORT = {"width": 900, "height": 700}
PAGE_TYPES = {
    "home": "index.html",
    "benefits": "benefits.html",
    "ranks": "ranks.html",
    "rank": "ranks/gold.html",
    "notices": "notices.html",
    "faq": "faq.html",
}


@pytest.fixture(scope="module")
def site_url(surprise_site: BuiltSite, serve: Callable[[Path], str]) -> str:
    return serve(surprise_site.out)


def search(page: Any, url: str, query: str) -> list[str]:
    """Type ``query`` into Material's search box; the result pages, as paths below the site root."""
    page.set_viewport_size({"width": 1300, "height": 900})
    page.goto(url)
    box = "input.md-search__input"
    page.fill(box, query)
    page.press(box, "End")  # Material reads the query on keyup; fill() types no keys
    page.wait_for_function(
        "() => !!document.querySelector('.md-search-result__meta') &&"
        " /[0-9]/.test(document.querySelector('.md-search-result__meta').textContent)",
        timeout=10_000,
    )
    links = page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.href)")
    return [urlsplit(link).path for link in links]  # the site is served at the server's root


@pytest.mark.parametrize(
    ("start", "query", "expected"),
    [
        ("index.html", "ポイント", "/benefits.html"),
        ("index.html", "送料無料", "/benefits.html"),
        ("index.html", "お誕生月クーポン", "/benefits.html"),
        ("index.html", "新豆の先行案内", "/ranks.html"),
        ("index.html", "会員ランク", "/ranks.html"),
        ("index.html", "ゲスト", "/faq.html"),
        ("index.html", "退会", "/faq.html"),
        ("index.html", "ゴールド", "/ranks/gold.html"),
        ("en/index.html", "Free shipping", "/en/benefits.html"),
        ("en/index.html", "Birthday coupon", "/en/ranks.html"),
    ],
)
def test_search_finds_benefits_and_titles(page: Any, site_url: str, start: str, query: str, expected: str) -> None:
    results = search(page, site_url + start, query)
    assert expected in results, results


@pytest.mark.parametrize(("start", "query"), [("index.html", "ポイント"), ("en/index.html", "Free shipping")])
def test_search_loads_every_script_it_needs_and_the_site_publishes_no_other(
    page: Any, surprise_site: BuiltSite, site_url: str, start: str, query: str
) -> None:
    fetched: dict[str, int] = {}
    page.on("response", lambda r: fetched.__setitem__(urlsplit(r.url).path, r.status) if "/lunr/" in r.url else None)
    root = start.removesuffix("index.html")
    assert f"/{root}benefits.html" in search(page, site_url + start, query)
    published = {
        "/" + p.relative_to(surprise_site.out).as_posix()
        for p in (surprise_site.out / root / "assets/javascripts/lunr").rglob("*")
        if p.is_file()
    }
    assert fetched and set(fetched.values()) == {200}, fetched
    assert set(fetched) == published


def test_hostile_text_runs_no_script(page: Any, hostile_site: BuiltSite, serve: Callable[[Path], str]) -> None:
    url = serve(hostile_site.out)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in ("index.html", "ranks.html", "ranks/silver.html", "notices.html", "en/faq.html"):
        page.goto(url + path)
        assert "<script>alert(1)</script> *Bold*" in page.title()  # shown as text
        assert page.locator("h1").first.inner_text().count("<script>alert(1)</script>") <= 1
    assert dialogs == []


# ---------------------------------------------------------------------------- golden screenshots

DIFF_JS = """
async ([a, b]) => {
  const load = src => new Promise((ok, fail) => {
    const img = new Image(); img.onload = () => ok(img); img.onerror = fail; img.src = src;
  });
  const [x, y] = await Promise.all([load(a), load(b)]);
  if (x.width !== y.width || x.height !== y.height) return 1;
  const pixels = img => {
    const c = document.createElement("canvas"); c.width = img.width; c.height = img.height;
    const g = c.getContext("2d"); g.drawImage(img, 0, 0);
    return g.getImageData(0, 0, img.width, img.height).data;
  };
  const p = pixels(x), q = pixels(y);
  let diff = 0;
  for (let i = 0; i < p.length; i += 4)
    if (Math.abs(p[i] - q[i]) + Math.abs(p[i + 1] - q[i + 1]) + Math.abs(p[i + 2] - q[i + 2]) > 96) diff++;
  return diff / (p.length / 4);
}
"""


def _data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@pytest.fixture(scope="module")
def golden_url(golden_site: BuiltSite, serve: Callable[[Path], str]) -> str:
    return serve(golden_site.out)


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_page_matches_golden_screenshot(
    page: Any, golden_url: str, kind: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    page.set_viewport_size(VIEWPORT)
    page.goto(golden_url + PAGE_TYPES[kind])
    page.wait_for_load_state("networkidle")
    shot: bytes = page.screenshot(animations="disabled", caret="hide")
    golden = GOLDEN / f"{kind}.ja.png"
    if os.environ.get("OTOKUI_UPDATE_GOLDEN") == "1" or not golden.exists():
        golden.write_bytes(shot)
        pytest.skip(f"wrote {golden.name}: look at it before committing")
    page.goto("about:blank")
    share = page.evaluate(DIFF_JS, [_data_url(golden.read_bytes()), _data_url(shot)])
    if share > 0.01:
        actual = tmp_path_factory.mktemp("screenshots") / golden.name
        actual.write_bytes(shot)
        pytest.fail(f"{kind}: {share:.1%} of pixels differ from {golden}; new screenshot at {actual}")
