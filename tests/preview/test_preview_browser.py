"""The gallery in headless Chromium: pick a variant, mobile and dark mode, live reload, the error banner."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from otokui.pipeline import Project
from otokui.preview import PreviewServer

pytestmark = pytest.mark.browser

TIMEOUT = 15_000  # ms: a rebuild takes well under a second, the site about two


def rgb(colour: str) -> tuple[int, int, int]:
    found = re.findall(r"\d+(?:\.\d+)?", colour)
    assert len(found) >= 3, colour
    red, green, blue = (round(float(v)) for v in found[:3])
    return red, green, blue


def luminance(colour: str) -> float:
    red, green, blue = rgb(colour)
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def email_frame(page: Any) -> Any:
    handle = page.wait_for_selector("#preview")
    frame = handle.content_frame()
    frame.wait_for_load_state()
    return frame


def body_background(page: Any) -> str:
    return str(email_frame(page).evaluate("getComputedStyle(document.body).backgroundColor"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_gallery_pick_mobile_dark(page: Any, preview: PreviewServer) -> None:
    from playwright.sync_api import expect

    page.goto(preview.url)
    kinds = page.locator("#variants details > summary")
    expect(kinds).to_have_count(7)
    expect(kinds.first).to_contain_text("order_confirmation")

    # pick: thank-you mail, English, repeat tier, to a member
    with page.expect_navigation():
        page.select_option("#kind", "thanks_review")
    with page.expect_navigation():
        page.select_option("#locale", "en")
    with page.expect_navigation():
        page.select_option("#tier", "repeat")
    with page.expect_navigation():
        page.select_option("#customer", "member")
    frame_src = page.locator("#preview").get_attribute("src")
    assert frame_src is not None and frame_src.startswith("/email/thanks_review/en/repeat--member.html")
    expect(page.locator("#subject")).not_to_be_empty()
    expect(page.locator("#size")).to_contain_text("KB")
    expect(page.locator("#findings h2")).to_contain_text("Findings")

    # a caution notice, by its own control
    with page.expect_navigation():
        page.select_option("#kind", "order_confirmation")
    with page.expect_navigation():
        page.select_option("#notices", "remote_island")
    # locale, tier and customer carry over where the new kind has them
    assert (page.locator("#preview").get_attribute("src") or "").startswith(
        "/email/order_confirmation/en/repeat--notice-remote_island.html"
    )

    light = body_background(page)
    assert luminance(light) > 0.8, light

    with page.expect_navigation():
        page.check("input[name=width][value='375']")
    box = page.locator("#preview").bounding_box()
    assert box is not None and box["width"] == 375
    assert email_frame(page).evaluate("window.innerWidth") == 375

    with page.expect_navigation():
        page.check("input[name=scheme][value='dark']")
    dark = body_background(page)
    assert luminance(dark) < 0.2, dark
    text_colour = email_frame(page).evaluate(
        "getComputedStyle(document.querySelector('.surface p, .surface div')).color"
    )
    assert luminance(text_colour) > 0.6, text_colour  # light text on the dark surface

    # the other views
    with page.expect_navigation():
        page.check("input[name=view][value='text']")
    assert "/email/order_confirmation/en/repeat--notice-remote_island.txt" in (
        page.locator("#preview").get_attribute("src") or ""
    )
    with page.expect_navigation():
        page.check("input[name=view][value='mjml']")
    expect(page.frame_locator("#preview").locator("body")).to_contain_text("<mjml")


def test_live_reload_error_banner_and_recovery(page: Any, preview: PreviewServer, shop: Project) -> None:
    from playwright.sync_api import expect

    page.goto(preview.url + "?kind=shipped&locale=ja&tier=first")
    expect(page.locator("#live-status")).to_have_text("live", timeout=TIMEOUT)
    frame = page.frame_locator("#preview")
    expect(frame.locator("body")).to_contain_text("山田")

    # a template edit appears in the frame without touching the page
    page.evaluate("window.notReloaded = true")
    edit(
        shop.templates / "blocks/greeting.mjml.j2",
        "<p>{{ tier.greeting }}</p>",
        "<p>{{ tier.greeting }}</p><p>PREVIEW-MARK</p>",
    )
    expect(frame.locator("body")).to_contain_text("PREVIEW-MARK", timeout=TIMEOUT)
    assert page.evaluate("window.notReloaded") is True  # refreshed in place

    # a broken policy: the banner names rules.yaml:LINE:COL, the last good build stays
    banner = page.locator("#banner")
    expect(banner).to_be_hidden()
    edit(shop.policy, "default_locale: ja", "default_locale: [1")
    expect(banner).to_be_visible(timeout=TIMEOUT)
    expect(banner).to_contain_text(re.compile(r"rules\.yaml:12:\d+: "))
    expect(frame.locator("body")).to_contain_text("PREVIEW-MARK")

    # fixed: the banner goes away
    edit(shop.policy, "default_locale: [1", "default_locale: ja")
    expect(banner).to_be_hidden(timeout=TIMEOUT)
    expect(frame.locator("body")).to_contain_text("PREVIEW-MARK")


def test_member_site_alongside_with_live_reload(page: Any, preview: PreviewServer, shop: Project) -> None:
    from playwright.sync_api import expect

    page.goto(preview.url)
    with page.expect_navigation():
        page.click(".site-links a >> nth=0")
    assert page.url.endswith("/site/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    page.goto(preview.url + "site/about.html")
    expect(page.locator("article")).to_contain_text("焙煎所")
    page.wait_for_timeout(300)  # the live-reload stream connects
    edit(shop.site_src / "docs/ja/about.md", "小さな焙煎所です。", "小さな焙煎所です。SITE-LIVE")
    expect(page.locator("article")).to_contain_text("SITE-LIVE", timeout=TIMEOUT)
