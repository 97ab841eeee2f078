"""The built member site: what each page shows, in each disclosure mode, and that it holds together."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.site.pagetext import article, html_files, read, visible_text
from tests.site.site_variants import BuiltSite, threshold_pattern, thresholds

VENDOR = ("assets/javascripts/", "assets/stylesheets/main.", "assets/stylesheets/palette.", "assets/images/")
PRESSURE = ["今すぐ", "急いで", "お見逃しなく", "どんどん", "残りわずか", "limited time", "hurry"]
FORCED = ["登録が必要", "登録必須", "要登録", "must register", "account required", "sign up to buy", "log in to buy"]


def site_texts(site: BuiltSite) -> dict[str, str]:
    """Every file of the site a visitor or a crawler can read, Material's own scripts and styles aside."""
    texts = {}
    for path in sorted(site.out.rglob("*")):
        rel = path.relative_to(site.out).as_posix()
        if path.is_file() and not rel.split("en/", 1)[-1].startswith(VENDOR) and path.suffix != ".gz":
            texts[rel] = path.read_text(encoding="utf-8")
    return texts


def search_text(site: BuiltSite, root: str = "") -> str:
    index = json.loads((site.out / root / "search/search_index.json").read_text(encoding="utf-8"))
    return "\n".join(f"{doc['title']}\n{doc['text']}" for doc in index["docs"])


# ---------------------------------------------------------------------------- artifacts


def test_artifacts_describe_every_page(surprise_site: BuiltSite) -> None:
    by_path = {a.path: a for a in surprise_site.artifacts}
    assert {"site/index.html", "site/benefits.html", "site/ranks.html", "site/notices.html", "site/faq.html"} <= set(
        by_path
    )
    gold = by_path["site/en/ranks/gold.html"].context
    assert gold is not None
    assert (gold.surface, gold.locale, gold.kind, gold.rank, gold.disclosure) == (
        "page",
        "en",
        "rank",
        "gold",
        "surprise",
    )
    about = by_path["site/about.html"].context
    assert about is not None and about.kind == "page"
    for artifact in surprise_site.artifacts:
        assert artifact.data == (surprise_site.out / artifact.path.removeprefix("site/")).read_bytes()
        assert artifact.context is not None
        expected_lang = "en" if artifact.path.startswith("site/en/") else "ja"
        assert artifact.context.locale == expected_lang
        assert f'<html lang="{expected_lang}"' in artifact.text


# ---------------------------------------------------------------------------- disclosure


def test_surprise_site_shows_no_threshold_anywhere(surprise_site: BuiltSite) -> None:
    values = thresholds(surprise_site.policy)
    assert values == [20000, 50000, 120000]
    for rel, content in site_texts(surprise_site).items():
        for value in values:
            match = threshold_pattern(value).search(content)
            assert match is None, f"{rel}: threshold {value} shown as {match.group(0) if match else ''!r}"
    for root in ("", "en/"):
        text = search_text(surprise_site, root)
        assert not any(threshold_pattern(value).search(text) for value in values)


def test_surprise_site_says_selected(surprise_site: BuiltSite) -> None:
    assert "ゴールド会員に選ばれました" in visible_text(surprise_site.page("ranks/gold.html"))
    assert "You have been selected as a Gold member" in visible_text(surprise_site.page("en/ranks/gold.html"))
    assert "お選び" in visible_text(article(surprise_site.page("ranks.html")))


@pytest.mark.parametrize("root", ["", "en/"])
def test_published_site_shows_each_threshold(published_site: BuiltSite, root: str) -> None:
    ranks = visible_text(article(published_site.page(f"{root}ranks.html")))
    for rank in published_site.policy.membership.ranks[1:4]:
        assert rank.threshold.spend
        assert threshold_pattern(rank.threshold.spend).search(ranks), rank.id
        announcement = visible_text(article(published_site.page(f"{root}ranks/{rank.id}.html")))
        assert threshold_pattern(rank.threshold.spend).search(announcement), rank.id
    assert threshold_pattern(40000).search(ranks)  # gold's retain rule
    assert ("税込" if root == "" else "including tax") in ranks


def test_hidden_rank_is_not_listed(published_site: BuiltSite) -> None:
    assert not (published_site.out / "ranks/obsidian.html").exists()
    for rel, content in site_texts(published_site).items():
        assert "オブシディアン" not in content and "Obsidian" not in content, rel
        assert not threshold_pattern(300000).search(content), rel


@pytest.mark.parametrize("variant", ["surprise_site", "published_site"])
def test_surprise_benefits_never_appear(variant: str, request: pytest.FixtureRequest) -> None:
    site: BuiltSite = request.getfixturevalue(variant)
    surprises = [b for b in site.policy.membership.benefits if b.surprise]
    assert surprises
    texts = site_texts(site)
    for benefit in surprises:
        for locale in ("ja", "en"):
            for words in (benefit.name.get(locale), benefit.description.get(locale)):
                assert not [rel for rel, content in texts.items() if words in content], words


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_every_public_benefit_is_on_its_pages(surprise_site: BuiltSite, locale: str) -> None:
    policy, root = surprise_site.policy, "" if locale == "ja" else "en/"
    benefits_page = visible_text(article(surprise_site.page(f"{root}benefits.html")))
    ranks_page = visible_text(article(surprise_site.page(f"{root}ranks.html")))
    for index, rank in enumerate(policy.membership.ranks):
        public = [b for b in policy.rank_benefits(rank) if not b.surprise]
        pages = [benefits_page, ranks_page]
        if index:
            pages.append(visible_text(article(surprise_site.page(f"{root}ranks/{rank.id}.html"))))
        for page in pages:
            assert rank.name.get(locale) in page
            for benefit in public:
                assert benefit.name.get(locale) in page
                assert benefit.description.get(locale) in page


# ---------------------------------------------------------------------------- customer-first wording


@pytest.mark.parametrize("variant", ["surprise_site", "published_site"])
def test_pages_carry_no_pressure_and_no_forced_signup(variant: str, request: pytest.FixtureRequest) -> None:
    site: BuiltSite = request.getfixturevalue(variant)
    for artifact in site.artifacts:
        text = visible_text(article(artifact.text)).lower()
        for phrase in PRESSURE + FORCED:
            assert phrase.lower() not in text, (artifact.path, phrase)
        assert not re.search(r"only \d+ left", text), artifact.path
        assert not re.search(r"<input[^>]*\bchecked\b", artifact.text), artifact.path


def test_guest_checkout_is_stated_and_signup_optional(surprise_site: BuiltSite) -> None:
    ja = visible_text(article(surprise_site.page("benefits.html")))
    en = visible_text(article(surprise_site.page("en/benefits.html")))
    assert "会員登録なしでもお買い物できます" in ja and "任意" in ja
    assert "Guest checkout is always available" in en and "optional" in en
    assert "次回のご注文で使える500円引きクーポン" in ja  # the sign-up coupon, usable on the next order
    assert "unticked" in en


def test_faq_covers_the_policy(surprise_site: BuiltSite) -> None:
    faq = read(surprise_site.page("faq.html"))
    assert {"guest", "membership", "ranks", "review", "downgrade", "points", "cancel", "contact"} <= faq.ids
    text = visible_text(article(surprise_site.page("faq.html")))
    assert "直近12か月" in text and "毎月" in text and "1つ下がります" in text and "退会はいつでもできます" in text


def test_notices_page_and_brand(surprise_site: BuiltSite) -> None:
    notices = read(surprise_site.page("notices.html"))
    assert {"bank-transfer-fast", "remote-island", "preorder"} <= notices.ids
    css = (surprise_site.out / "assets/stylesheets/otokui.css").read_text(encoding="utf-8")
    assert "--md-primary-fg-color: #5b4030;" in css
    assert 'data-md-color-primary="custom"' in surprise_site.page("index.html")


# ---------------------------------------------------------------------------- links and assets


def _target(page: Path, site: Path, ref: str) -> tuple[Path, str] | None:
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or ref.startswith(("#", "mailto:", "data:")):
        return None
    path = unquote(parts.path)
    base = site if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve() if path else page
    return (target / "index.html" if target.is_dir() else target), parts.fragment


@pytest.mark.parametrize("variant", ["surprise_site", "published_site", "hostile_site"])
def test_relative_links_resolve(variant: str, request: pytest.FixtureRequest) -> None:
    site: BuiltSite = request.getfixturevalue(variant)
    broken = []
    for page in html_files(site.out):
        if page.name == "404.html":
            continue  # served from any depth, so it links from the site root
        for _attr, ref in read(page.read_text(encoding="utf-8")).refs:
            found = _target(page, site.out, ref)
            if found is None:
                continue
            target, fragment = found
            if not target.is_file():
                broken.append(f"{page.relative_to(site.out)} -> {ref}")
            elif fragment and target.suffix == ".html" and fragment not in read(target.read_text("utf-8")).ids:
                broken.append(f"{page.relative_to(site.out)} -> {ref} (no such anchor)")
    assert not broken


def test_language_selector_links_the_same_page(surprise_site: BuiltSite) -> None:
    refs = [ref for _attr, ref in read(surprise_site.page("ranks/gold.html")).refs]
    assert "../en/ranks/gold.html" in refs
    refs = [ref for _attr, ref in read(surprise_site.page("en/ranks/gold.html")).refs]
    assert "../../ranks/gold.html" in refs


def test_nothing_is_loaded_from_elsewhere(surprise_site: BuiltSite) -> None:
    logo = str(surprise_site.policy.shop.brand.logo_url)
    for page in html_files(surprise_site.out):
        for attr, ref in read(page.read_text(encoding="utf-8")).refs:
            if attr == "src" and urlsplit(ref).scheme:
                assert ref == logo, (page, ref)  # the shop's own logo, shown as a remote image
        content = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in content and "fonts.gstatic" not in content
