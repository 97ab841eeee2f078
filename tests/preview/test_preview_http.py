"""The preview over raw sockets: no file outside the build folder, methods, limits, headers, load."""

from __future__ import annotations

import json
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from preview_http import get, parse, raw

from otokui.preview import PreviewServer
from tests import unprivileged

PASSWD = b"root:"

TRAVERSALS = [
    "/site/../../../../etc/passwd",
    "/site/..%2f..%2f..%2fetc%2fpasswd",
    "/site/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/site/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
    "/site/..%5c..%5c..%5cetc%5cpasswd",
    "/site/%252e%252e/%252e%252e/etc/passwd",
    "/site/.%2e/.%2e/.%2e/.%2e/etc/passwd",
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/email/../../../etc/passwd",
    "/_preview/../../../etc/passwd",
    "/etc/passwd",
    "//etc/passwd",
    "/site//etc/passwd",
    "/site/%00/etc/passwd",
    "/site/index.html%00.txt",
    "/site/\\..\\..\\etc\\passwd",
    "http://127.0.0.1/etc/passwd",
    "file:///etc/passwd",
    "/site/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "/site/" + "/".join([".."] * 40) + "/etc/passwd",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_no_file_outside_the_build_folder(example_preview: PreviewServer, target: str) -> None:
    status, headers, body = get(example_preview.url, target)
    assert status in (400, 404), (target, status)
    assert PASSWD not in body
    assert headers.get("x-content-type-options") == "nosniff"


def test_the_source_folders_are_not_served(example_preview: PreviewServer) -> None:
    for target in ("/rules.yaml", "/email_templates/layout.mjml.j2", "/site_src/mkdocs.yml", "/site/.nojekyll"):
        status, _, body = get(example_preview.url, target)
        assert status == 404, target
        assert b"shop:" not in body


def test_symlink_leading_out_of_the_site_is_refused(example_preview: PreviewServer, tmp_path: Path) -> None:
    state = example_preview.state
    assert state is not None
    site = state.snapshot().site
    assert site is not None
    secret = tmp_path / "secret.html"
    secret.write_text("TOP SECRET", encoding="utf-8")
    (site.directory / "leak.html").symlink_to(secret)
    (site.directory / "leakdir").symlink_to(tmp_path, target_is_directory=True)
    try:
        for target in ("/site/leak.html", "/site/leakdir/secret.html", "/site/leakdir/"):
            status, _, body = get(example_preview.url, target)
            assert status == 404, target
            assert b"TOP SECRET" not in body
    finally:
        (site.directory / "leak.html").unlink()
        (site.directory / "leakdir").unlink()


def test_site_and_email_are_served_with_their_types(example_preview: PreviewServer) -> None:
    status, headers, body = get(example_preview.url, "/site/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert b'lang="ja"' in body and b"/_preview/live.js" in body
    status, headers, body = get(example_preview.url, "/site/en/faq.html")
    assert status == 200 and b'lang="en"' in body
    status, headers, _ = get(example_preview.url, "/site")
    assert status == 301 and headers["location"] == "/site/"
    status, headers, _ = get(example_preview.url, "/site/ranks")
    assert status == 301 and headers["location"] == "/site/ranks/"
    status, headers, body = get(example_preview.url, "/email/order_confirmation/ja/first.html")
    assert status == 200 and body.startswith(b"<!DOCTYPE html>")
    assert "script-src" not in headers["content-security-policy"]  # emails never run scripts
    status, headers, body = get(example_preview.url, "/email/order_confirmation/ja/first.txt")
    assert status == 200 and headers["content-type"] == "text/plain; charset=utf-8"
    status, _, body = get(example_preview.url, "/source/order_confirmation/ja/first.mjml")
    assert status == 200 and body.startswith(b"<mjml")
    status, _, _ = get(example_preview.url, "/email/order_confirmation/ja/no-such-variant.html")
    assert status == 404


def test_every_answer_carries_the_security_headers(example_preview: PreviewServer) -> None:
    for target in ("/", "/site/", "/email/shipped/en/first.html", "/_preview/gallery.js", "/nope", "/%2e%2e/"):
        _, headers, _ = get(example_preview.url, target)
        assert headers.get("x-content-type-options") == "nosniff", target
        assert "default-src" in headers.get("content-security-policy", ""), target
        assert headers.get("cache-control") == "no-store", target
    _, headers, _ = get(example_preview.url, "/")
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp


def test_head_answers_headers_without_a_body(example_preview: PreviewServer) -> None:
    status, headers, body = get(example_preview.url, "/", method="HEAD")
    assert status == 200 and body == b""
    assert int(headers["content-length"]) > 1000
    status, _, body = get(example_preview.url, "/site/index.html", method="HEAD")
    assert status == 200 and body == b""


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "BREW"])
def test_only_get_and_head(example_preview: PreviewServer, method: str) -> None:
    status, headers, body = get(example_preview.url, "/", method=method, headers="Content-Length: 5\r\n")
    assert status in (405, 501), method
    assert PASSWD not in body and b"<form" not in body
    if status == 405:
        assert headers["allow"] == "GET, HEAD"


def test_post_with_a_body_is_refused_cleanly(example_preview: PreviewServer) -> None:
    request = b"POST /site/index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 11\r\n\r\nhello=world"
    status, _, _ = parse(raw(example_preview.url, request))
    assert status == 405


def test_oversized_request_line_and_headers(example_preview: PreviewServer) -> None:
    long_line = b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    assert parse(raw(example_preview.url, long_line))[0] == 414
    big_header = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"b" * 40_000 + b"\r\n\r\n"
    assert parse(raw(example_preview.url, big_header))[0] == 431
    many = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(200)) + b"\r\n"
    assert parse(raw(example_preview.url, many))[0] == 431
    assert parse(raw(example_preview.url, b"GARBAGE\r\n\r\n"))[0] == 400
    assert parse(raw(example_preview.url, b"GET / HTTP/9.9\r\n\r\n"))[0] in (400, 505)
    assert get(example_preview.url, "/")[0] == 200  # still serving


def test_foreign_host_header_is_refused(example_preview: PreviewServer) -> None:
    """A page on another site that resolves its name to 127.0.0.1 (DNS rebinding) cannot read the preview."""
    request = b"GET /api/state.json HTTP/1.1\r\nHost: attacker.example:8000\r\n\r\n"
    status, _, body = parse(raw(example_preview.url, request))
    assert status == 403 and b"version" not in body
    for host in (b"localhost:1234", b"127.0.0.1", b"[::1]:80"):
        assert parse(raw(example_preview.url, b"GET / HTTP/1.1\r\nHost: " + host + b"\r\n\r\n"))[0] == 200


def test_a_silent_client_does_not_block_others(example_preview: PreviewServer) -> None:
    import socket

    from preview_http import address

    idle = [socket.create_connection(address(example_preview.url)) for _ in range(5)]
    try:
        started = time.perf_counter()
        assert get(example_preview.url, "/api/state.json")[0] == 200
        assert time.perf_counter() - started < 2
    finally:
        for sock in idle:
            sock.close()


def test_fifty_concurrent_clients(example_preview: PreviewServer) -> None:
    targets = ["/", "/site/", "/email/birthday/ja/gold--first.html?scheme=dark", "/api/state.json", "/nope"]
    before = threading.active_count()

    def fetch(i: int) -> int:
        return get(example_preview.url, targets[i % len(targets)])[0]

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(fetch, range(200)))
    assert statuses.count(404) == 40
    assert all(s in (200, 404) for s in statuses), sorted(set(statuses))
    time.sleep(0.5)
    assert threading.active_count() <= before + 5  # handler threads finished: nothing piles up
    assert get(example_preview.url, "/")[0] == 200


def test_live_reload_stream_announces_the_version(example_preview: PreviewServer) -> None:
    import socket

    from preview_http import address

    with socket.create_connection(address(example_preview.url), timeout=5) as sock:
        sock.sendall(b"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        data = b""
        while b"event: version" not in data or not data.endswith(b"\n\n"):
            data += sock.recv(4096)
    assert b"text/event-stream" in data
    payload = json.loads(data.split(b"data: ", 1)[1].split(b"\n", 1)[0])
    _, _, body = get(example_preview.url, "/api/state.json")
    assert payload["version"] == json.loads(body)["version"]
    assert payload["site"].startswith("site-")


UNREADABLE_PROBE = """
import io, sys
from pathlib import Path
from otokui.pipeline import Project
from otokui.preview import PreviewServer
from tests import unprivileged
from tests import unprivileged
from tests.preview.preview_http import get
with PreviewServer(Project.locate(Path("rules.yaml")), "127.0.0.1", 0, log=io.StringIO()) as preview:
    site = preview.state.snapshot().site
    locked = site.directory / "locked.html"
    locked.write_text("secret", encoding="utf-8")
    locked.chmod(0)
    status, _, body = get(preview.url, "/site/locked.html")
    print(status, b"secret" in body)
"""


def test_unreadable_file_is_not_found(root: Path) -> None:
    """Run as a user chmod binds (``nobody`` when the suite is root): an unreadable file is not served."""
    shop = unprivileged.own_folder("otokui-preview-chmod-")
    try:
        for name in ("email_templates", "site_src"):
            shutil.copytree(root / name, shop / name)
        shutil.copy(root / "rules.yaml", shop / "rules.yaml")
        unprivileged.give(shop)
        done = unprivileged.command(["-c", UNREADABLE_PROBE], shop)
        assert done.returncode == 0, done.stderr
        status, leaked = done.stdout.split()
        assert int(status) in (403, 404, 500) and leaked == "False"
    finally:
        unprivileged.cleanup(shop)
