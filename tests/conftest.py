"""Shared fixtures: the example policy, and a headless Chromium for browser tests.

Browser tests skip with a reason where Chromium is absent; under ``CI=true``
a missing browser fails them instead, so CI can never pass by skipping.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from otokui.browser import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A copy of the example shop (policy, email templates, site sources) to change at will."""
    for name in ("email_templates", "site_src"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "rules.yaml", tmp_path / "rules.yaml")
    return tmp_path


def _browser_missing() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-ipaexfont-gothic)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python playwright is not installed (make test installs it)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Debian Chromium driven by playwright."""
    reason = _browser_missing()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests cannot run under CI=true: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(offline=False)
    # Nothing outside loopback may be fetched: the build must be self-contained.
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://127.0.0.1", "http://localhost", "file:", "data:", "about:"))
            else route.abort()
        ),
    )
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()


#: Tests that take seconds each (measured with ``pytest --durations=0``): whole builds, the preview
#: server, benchmarks, disk and kill tests, reference template engines in subprocesses (Ruby, PHP,
#: Django), the large property tests. They are marked
#: ``slow`` here, in one place; ``pytest -m "not slow"`` leaves them out of the fast loop.
SLOW = (
    "tests/bench/",
    "tests/export/",
    "tests/emails/test_letters.py",
    "tests/spine/test_cli.py::test_build_and_check_example_exit_codes",
    "tests/customers/test_run.py::test_customer_data_stays_private",
    "tests/customers/test_ranks_tiers_notices.py::test_a_full_size_history_gives_the_independent_result",
    "tests/hostile/test_workers.py",
    "tests/hostile/test_template_files.py::test_plain_templates_still_build",
    "tests/hostile/test_templates.py::test_a_runaway_template_fails_the_build_and_keeps_dist",
    "tests/emails/test_fill.py::test_tokens_are_inert_with_hostile_samples_and_premailer",
    "tests/site/test_site_plugin.py::test_mkdocs_build_strict_from_the_command_line",
    "tests/spine/test_policy_rules.py::test_a_policy_finding_does_not_stop_the_build",
    "tests/preview/",
    "tests/reliability/",
    "tests/hostile/test_properties.py",
    "tests/hostile/test_corpus.py::test_build_case",
    "tests/spine/test_build_atomic.py",
    "tests/spine/test_build_streamed.py",
    "tests/spine/test_cache.py",
    "tests/lint/test_checked_while_built.py",
    "tests/lint/test_memo.py",
    "tests/newshop/",
    "tests/lint/test_cases.py::test_case[OT1501/",
    "tests/lint/test_render.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow tests: those listed in :data:`SLOW`, and every browser test."""
    for item in items:
        browser = item.get_closest_marker("browser") is not None or "browser" in getattr(item, "fixturenames", ())
        if browser or item.nodeid.startswith(SLOW):
            item.add_marker(pytest.mark.slow)
