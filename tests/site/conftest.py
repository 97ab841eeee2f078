"""Member-site fixtures: each policy variant's site built once per session.

MkDocs builds take about half a second per locale, so every test that needs a
built site shares one of these builds instead of building its own.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from otokui.artifacts import Artifact
from otokui.policy.model import Policy
from otokui.site import render_snippets
from tests.site.site_variants import (
    GOLDEN_RULES,
    BuiltSite,
    build,
    example_data,
    hostile_data,
    make_policy,
    published_data,
)


@pytest.fixture(scope="session")
def example_policy() -> Policy:
    return make_policy(example_data())


@pytest.fixture(scope="session")
def surprise_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build(tmp_path_factory, "surprise", example_data())


@pytest.fixture(scope="session")
def golden_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The example shop as pinned for the golden screenshots, with a logo file (its logo_url is offline here)."""
    data = example_data(GOLDEN_RULES)
    data["shop"]["brand"]["logo_file"] = str(GOLDEN_RULES.parent / "logo.svg")
    return build(tmp_path_factory, "golden", data)


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build(tmp_path_factory, "published", published_data())


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build(tmp_path_factory, "hostile", hostile_data())


@pytest.fixture(scope="session")
def snippets(example_policy: Policy) -> list[Artifact]:
    return render_snippets(example_policy)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Path], str]]:
    """Serve a folder over http on 127.0.0.1 in a thread; returns its base URL."""
    servers: list[ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
