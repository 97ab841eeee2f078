"""The preview shows the exported source of the picked variant, per target that has the mail."""

from __future__ import annotations

from preview_http import get

from otokui.preview import PreviewServer


def test_the_gallery_links_each_target_and_the_link_gives_the_template_carrying_the_variant(
    example_preview: PreviewServer,
) -> None:
    status, _, page = get(example_preview.url, "/?kind=order_confirmation&locale=ja&tier=repeat")
    assert status == 200
    html = page.decode()
    assert '/export/shopify/order_confirmation/ja/repeat.html"' in html
    assert '/export/makeshop/order_confirmation/ja/repeat.html"' in html
    assert "/export/klaviyo/order_confirmation" not in html  # Klaviyo has no order confirmation
    status, headers, body = get(example_preview.url, "/export/shopify/order_confirmation/ja/repeat.html")
    assert status == 200 and headers["content-type"].startswith("text/plain")
    source = body.decode()
    assert "{% for line in line_items %}" in source and "otk_tier == 'repeat'" in source
    status, _, body = get(example_preview.url, "/export/ec-cube/order_confirmation/ja/repeat.txt")
    assert status == 200 and "{%- autoescape 'safe_textmail' -%}" in body.decode()
    status, _, body = get(example_preview.url, "/export/makeshop/order_confirmation/ja/repeat.txt")
    assert status == 200 and "[SENDER_NAME]" in body.decode()


def test_no_export_for_unknown_targets_kinds_or_variants(example_preview: PreviewServer) -> None:
    for path in (
        "/export/shopfy/order_confirmation/ja/first.html",
        "/export/shopify/rank_up/ja/gold--first.html",
        "/export/shopify/order_confirmation/ja/nope.html",
        "/export/shopify/order_confirmation/ja/first.exe",
        "/export/shopify/../../etc/passwd",
    ):
        status, _, body = get(example_preview.url, path)
        assert status in (400, 404), path
        assert b"root:" not in body
