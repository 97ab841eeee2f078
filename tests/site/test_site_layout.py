"""The member site looks like the shop: its logo and colours, tabs, and no sidebars or search it does not need.

A small shop's site (the pottery: seven pages a locale) has no search and no table of contents on its
short pages; the example shop (nine pages) keeps its search. Phrase breaks are ``<wbr>`` elements: no page,
no search index and no copied text carries a zero-width space.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from otokui.policy.load import load_policy
from otokui.site import build_site
from otokui.site.layout import SEARCH_MIN_PAGES, TOC_MIN_SECTIONS
from tests.newshop.shop import copy_ceramics
from tests.site.site_variants import SITE_SRC, BuiltSite

ZWSP = "\u200b"


@pytest.fixture(scope="module")
def pottery(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    rules = copy_ceramics(tmp_path_factory.mktemp("pottery"))
    policy = load_policy(rules)
    out = rules.parent / "site"
    return BuiltSite(policy, out, build_site(policy, rules, SITE_SRC, out, handwritten=False))


def pages(site: BuiltSite) -> list[Path]:
    return [p for p in sorted(site.out.rglob("*.html")) if p.name != "404.html"]


def test_the_thresholds_are_what_the_docs_say() -> None:
    assert (SEARCH_MIN_PAGES, TOC_MIN_SECTIONS) == (8, 3)
    doc = (Path(__file__).resolve().parents[2] / "docs" / "site.md").read_text(encoding="utf-8")
    assert f"at least {SEARCH_MIN_PAGES} pages" in doc and f"at least {TOC_MIN_SECTIONS} headings" in doc


def test_a_small_site_has_no_search(pottery: BuiltSite) -> None:
    assert len([p for p in pages(pottery) if "/en/" not in p.as_posix()]) < SEARCH_MIN_PAGES
    assert not (pottery.out / "search").exists() and not (pottery.out / "en" / "search").exists()
    for root in ("", "en/"):  # nor any of the scripts a search would load
        assert not (pottery.out / root / "assets/javascripts/lunr").exists(), root
    for path in pages(pottery):
        assert 'for="__search"' not in path.read_text(encoding="utf-8"), path


def test_a_site_with_enough_pages_keeps_its_search(surprise_site: BuiltSite) -> None:
    assert len([p for p in pages(surprise_site) if "/en/" not in p.as_posix()]) >= SEARCH_MIN_PAGES
    assert (surprise_site.out / "search" / "search_index.json").is_file()
    assert 'for="__search"' in surprise_site.page("index.html")


def test_the_header_shows_the_shops_own_logo_file(pottery: BuiltSite) -> None:
    logo = pottery.out / "assets" / "images" / "shop-logo.svg"
    assert logo.read_bytes() == Path(pottery.policy.shop.brand.logo_file or "").read_bytes()
    assert re.search(
        r'class="md-header__button md-logo"[^>]*>\s*<img src="assets/images/shop-logo.svg"', pottery.page("index.html")
    )
    assert '<img src="assets/images/shop-logo.svg"' in pottery.page("en/index.html")  # each locale its own copy
    assert (pottery.out / "en" / "assets" / "images" / "shop-logo.svg").read_bytes() == logo.read_bytes()


def test_pages_are_tabs_and_short_pages_have_no_table_of_contents(pottery: BuiltSite) -> None:
    home, faq = pottery.page("index.html"), pottery.page("faq.html")
    assert 'class="md-tabs"' in home
    for html in (home, faq):  # the tabs list the pages: no sidebar repeats them
        assert re.search(r'class="md-sidebar md-sidebar--primary"[^>]*hidden', html)
    assert re.search(r'class="md-sidebar md-sidebar--secondary"[^>]*hidden', home)  # one section: no contents
    assert not re.search(r'class="md-sidebar md-sidebar--secondary"[^>]*hidden', faq)  # eight questions


def test_the_site_wears_the_shops_colours(pottery: BuiltSite) -> None:
    css = (pottery.out / "assets" / "stylesheets" / "otokui.css").read_text(encoding="utf-8")
    assert "--md-primary-fg-color: #7a4b2a;" in css
    assert re.search(r"--md-footer-bg-color: #[0-9a-f]{6};", css) and "text-wrap: balance;" in css


def test_no_page_and_no_search_index_carries_a_zero_width_space(pottery: BuiltSite, surprise_site: BuiltSite) -> None:
    for site in (pottery, surprise_site):
        for path in pages(site):
            assert ZWSP not in path.read_text(encoding="utf-8"), path
    assert "<wbr>" in surprise_site.page("benefits.html")  # the phrase breaks are there, as elements
    for root in ("", "en/"):
        index = json.loads((surprise_site.out / root / "search" / "search_index.json").read_text(encoding="utf-8"))
        text = "".join(doc["title"] + doc["text"] for doc in index["docs"])
        assert ZWSP not in text and "<wbr>" not in text
    assert "送料無料" in json.dumps(json.loads(surprise_site.page("search/search_index.json")), ensure_ascii=False)


def test_checkout_snippets_carry_no_zero_width_space(snippets: list[Any]) -> None:
    assert snippets
    for snippet in snippets:
        assert ZWSP not in snippet.text
    assert any("<wbr>" in s.text for s in snippets if s.context.locale == "ja")


@pytest.mark.browser
def test_copied_text_has_no_invisible_character(
    page: Any, surprise_site: BuiltSite, serve: Callable[[Path], str]
) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(serve(surprise_site.out) + "benefits.html")
    copied = page.evaluate(
        """() => {
          const range = document.createRange();
          range.selectNodeContents(document.querySelector('.md-content'));
          const selection = window.getSelection();
          selection.removeAllRanges(); selection.addRange(range);
          return selection.toString();
        }"""
    )
    assert "送料無料" in copied and ZWSP not in copied
    lines = page.evaluate(
        """() => [...document.querySelectorAll('.md-content p')].map(p => {
          const r = document.createRange(); r.selectNodeContents(p);
          return new Set([...r.getClientRects()].map(rect => Math.round(rect.top))).size;
        })"""
    )
    assert max(lines) > 1  # at 375 px some paragraphs wrap: the <wbr> elements are where they may
