"""Rebuilding what changed, keeping the last good build, and the gallery's escaping."""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from preview_http import get

from otokui.pipeline import Project
from otokui.preview import PreviewServer, serve
from otokui.preview.emailview import dark_mode
from otokui.preview.state import EMAILS, POLICY, SITE, PreviewState


def state_of(preview: PreviewServer) -> dict[str, object]:
    status, _, body = get(preview.url, "/api/state.json")
    assert status == 200
    result: dict[str, object] = json.loads(body)
    return result


def wait_until(check: Callable[[], bool], timeout: float = 15.0) -> float:
    """Seconds until ``check()`` held (fails after ``timeout``)."""
    started = time.perf_counter()
    while not check():
        if time.perf_counter() - started > timeout:
            pytest.fail("timed out waiting for the preview to rebuild")
        time.sleep(0.02)
    return time.perf_counter() - started


def email_text(preview: PreviewServer, path: str) -> str:
    status, _, body = get(preview.url, path)
    assert status == 200, path
    return body.decode("utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


GREETING = "email_templates/blocks/greeting.mjml.j2"
FIRST = "/email/order_confirmation/ja/first.html"


def test_template_edit_rerenders_emails_only(preview: PreviewServer, shop: Project) -> None:
    before = state_of(preview)
    edit(
        shop.templates / "blocks/greeting.mjml.j2",
        "<p>{{ tier.greeting }}</p>",
        "<p>{{ tier.greeting }}</p><p>MARK-1</p>",
    )
    seconds = wait_until(lambda: "MARK-1" in email_text(preview, FIRST))
    after = state_of(preview)
    assert after["email_build"] != before["email_build"]
    assert after["site"] == before["site"]  # the member site was not rebuilt
    assert not after["errors"]
    assert seconds < 5
    # the Renderer is new each time: a second edit shows too (no stale compiled template)
    edit(shop.templates / "blocks/greeting.mjml.j2", "MARK-1", "MARK-2")
    wait_until(lambda: "MARK-2" in email_text(preview, FIRST))


def test_site_edit_rebuilds_site_only(preview: PreviewServer, shop: Project) -> None:
    before = state_of(preview)
    edit(shop.site_src / "docs/ja/about.md", "小さな焙煎所です。", "小さな焙煎所です。SITE-MARK")
    wait_until(lambda: "SITE-MARK" in email_text(preview, "/site/about.html"))
    after = state_of(preview)
    assert after["site"] != before["site"]
    assert after["email_build"] == before["email_build"]


def test_broken_policy_keeps_the_last_good_build_and_recovers(preview: PreviewServer, shop: Project) -> None:
    good = email_text(preview, FIRST)
    edit(shop.policy, "default_locale: ja", "default_locale: [1")
    wait_until(lambda: bool(state_of(preview)["errors"]))
    errors = state_of(preview)["errors"]
    assert isinstance(errors, dict) and list(errors) == [POLICY]
    assert any(re.search(r"rules\.yaml:12:\d+: ", line) for line in errors[POLICY])
    assert email_text(preview, FIRST) == good  # still serving the last good build
    page = email_text(preview, "/")
    assert 'role="alert"' in page and "rules.yaml:12:" in page
    edit(shop.policy, "default_locale: [1", "default_locale: ja")
    wait_until(lambda: not state_of(preview)["errors"])
    assert 'role="alert"' not in email_text(preview, "/")


def test_every_policy_problem_is_in_the_banner(preview: PreviewServer, shop: Project) -> None:
    edit(shop.policy, "currency: JPY", "currency: 12")
    edit(shop.policy, "timezone: Asia/Tokyo", "timezone: [a, b]")
    wait_until(lambda: bool(state_of(preview)["errors"]))
    lines = state_of(preview)["errors"][POLICY]  # type: ignore[index]
    located = [line for line in lines if re.match(r".*rules\.yaml:\d+:\d+: ", line)]
    assert len(located) >= 2, lines


def test_template_error_names_file_and_line(preview: PreviewServer, shop: Project) -> None:
    good = email_text(preview, FIRST)
    path = shop.templates / "blocks/greeting.mjml.j2"
    edit(path, "{{ tier.greeting }}", "{{ tier.greeting }")
    wait_until(lambda: bool(state_of(preview)["errors"]))
    errors = state_of(preview)["errors"]
    assert isinstance(errors, dict) and list(errors) == [EMAILS]
    assert any("email_templates/blocks/greeting.mjml.j2:3" in line for line in errors[EMAILS])
    assert email_text(preview, FIRST) == good
    edit(path, "{{ tier.greeting }", "{{ tier.greeting }}")
    wait_until(lambda: not state_of(preview)["errors"])


def test_broken_site_source_is_reported(preview: PreviewServer, shop: Project) -> None:
    edit(
        shop.site_src / "docs/ja/about.md",
        "# 木漏れ日珈琲について",
        "# 木漏れ日珈琲について\n\n[broken](missing-page.md)",
    )
    wait_until(lambda: bool(state_of(preview)["errors"]))
    errors = state_of(preview)["errors"]
    assert isinstance(errors, dict) and list(errors) == [SITE]
    assert get(preview.url, "/site/about.html")[0] == 200  # the last good site is still served


def test_gallery_escapes_what_it_shows(preview: PreviewServer, shop: Project) -> None:
    edit(shop.policy, "currency: JPY", "currency: '<script>alert(1)</script>'")
    wait_until(lambda: bool(state_of(preview)["errors"]))
    page = email_text(preview, "/?kind=%3Cimg%20src%3Dx%3E&variant=%22%3E%3Cscript%3E")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "<img src=x>" not in page and '"><script>' not in page


def test_dark_mode_turns_the_dark_rules_on() -> None:
    html = (
        '<html><head><meta name="color-scheme" content="light dark"><style>'
        "@media (prefers-color-scheme: dark) { body { background: #111 } }"
        "@media (prefers-color-scheme:light) { body { background: #fff } }</style></head><body>"
        "<p>(prefers-color-scheme: dark)</p></body></html>"
    )
    dark = dark_mode(html)
    assert "@media (min-width: 0px) { body { background: #111 } }" in dark
    assert "@media (max-width: -1px) { body { background: #fff } }" in dark
    assert "<p>(prefers-color-scheme: dark)</p>" in dark  # text outside <style> is left alone
    assert 'content="dark"' in dark and "color-scheme: dark" in dark


def test_a_policy_broken_from_the_start_still_serves(shop: Project) -> None:
    edit(shop.policy, "default_locale: ja", "default_locale: [1")
    log = io.StringIO()
    with PreviewServer(shop, log=log, interval=0.1) as preview:
        page = email_text(preview, "/")
        assert "Nothing built yet" in page and "rules.yaml:12:" in page
        edit(shop.policy, "default_locale: [1", "default_locale: ja")
        wait_until(lambda: state_of(preview)["emails"] == 96)
    assert "policy: rebuild failed" in log.getvalue()


def test_state_rebuild_parts(shop: Project, tmp_path: Path) -> None:
    state = PreviewState(shop, tmp_path / "work", None)
    (tmp_path / "work").mkdir()
    state.rebuild({EMAILS})  # nothing loaded yet: a full build
    snap = state.snapshot()
    assert snap.emails is not None and snap.site is not None and set(snap.timings) == {POLICY, EMAILS, SITE}
    state.rebuild({EMAILS})
    again = state.snapshot()
    assert again.site == snap.site and again.emails is not None and again.emails.number != snap.emails.number


def test_serve_returns_zero_on_interrupt(shop: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(self: PreviewServer) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(PreviewServer, "wait", interrupt)
    log = io.StringIO()
    assert serve(shop, None, host="127.0.0.1", port=0, log=log) == 0
    assert re.search(r"http://127\.0\.0\.1:\d+/", log.getvalue())
    assert "preview stopped" in log.getvalue()


def test_busy_port_is_a_usage_error(example_preview: PreviewServer) -> None:
    from preview_http import address

    from otokui.errors import UsageError

    _, port = address(example_preview.url)
    with pytest.raises(UsageError, match="--port"):
        PreviewServer(example_preview.project, "127.0.0.1", port).start()


def test_a_saved_block_rerenders_only_the_kinds_using_it(shop: Project, tmp_path: Path) -> None:
    (tmp_path / "work").mkdir()
    state = PreviewState(shop, tmp_path / "work", None)
    state.rebuild({POLICY})
    first = state.snapshot().emails
    assert first is not None
    tracking = shop.templates / "blocks/tracking.mjml.j2"
    broken = shop.templates / "blocks/greeting.mjml.j2"
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good + "{% if %}", encoding="utf-8")  # a save that fails to compile
    state.rebuild({EMAILS}, {broken})
    assert state.snapshot().errors and state.snapshot().emails is first
    tracking.write_text(tracking.read_text(encoding="utf-8") + "<mj-text>TRACK-MARK</mj-text>\n", encoding="utf-8")
    broken.write_text(
        good.replace("<p>{{ tier.greeting }}</p>", "<p>{{ tier.greeting }}</p><p>GREET-MARK</p>"), "utf-8"
    )
    state.rebuild({EMAILS}, {broken})  # the tracking save came while the templates were broken
    after = state.snapshot().emails
    assert after is not None and not state.snapshot().errors
    for key, email in after.emails.items():
        assert "GREET-MARK" in email.html, key  # the greeting is in every kind
        assert ("TRACK-MARK" in email.html) == (key[0] == "shipped"), key
    state.rebuild({EMAILS}, {tracking})
    again = state.snapshot().emails
    assert again is not None
    assert {key for key in again.emails if again.emails[key] is not after.emails[key]} == {
        key for key in after.emails if key[0] == "shipped"
    }


def test_watcher_reports_the_saved_file(shop: Project) -> None:
    from otokui.preview.watch import Watcher

    seen: list[tuple[set[str], set[Path]]] = []
    watcher = Watcher(shop, lambda parts, paths: seen.append((parts, paths))).start()
    try:
        time.sleep(0.2)
        block = shop.templates / "blocks/tracking.mjml.j2"
        block.write_text(block.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        wait_until(lambda: bool(seen), timeout=10)
    finally:
        watcher.stop()
    assert seen[0] == ({EMAILS}, {block.resolve()})
