"""One HTTP request to the preview: limits, routing, and the headers every answer carries.

Routes (GET and HEAD only; anything else is 405)::

    /                               the gallery (query: kind, locale, tier, rank, notices, customer,
                                    variant, width, scheme, view)
    /events                         Server-Sent Events: {"version": N, "site": "…"} on every rebuild
    /api/state.json                 version, errors and timings (for scripts and tests)
    /email/…, /source/…             one email variant (see :mod:`otokui.preview.emailview`)
    /site/…                         the member site, from the preview's own build folder
    /_preview/<asset>               the gallery's stylesheet and scripts

Limits: a request line of at most 8 KiB (else 414), headers of at most
16 KiB and 64 lines (else 431), all of them received within
:data:`REQUEST_SECONDS` in all (else 408: a client sending a byte a second
is cut off, not kept), a socket timeout of 10 s for the answer. Every answer
carries ``X-Content-Type-Options: nosniff``, ``Cache-Control: no-store``, a
Content Security Policy fitting what it is, and ``Referrer-Policy: no-referrer``.
Requests whose ``Host`` is not on the allow-list (``localhost``, the
loopback addresses, the bound address; this machine's name on a wildcard
bind) are refused whatever address is bound (DNS rebinding).
"""

from __future__ import annotations

import io
import json
import time
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING

from otokui.preview import emailview, exportview, gallery
from otokui.preview.assets import ASSETS
from otokui.preview.paths import BadTarget, Target, content_type, file_under, is_directory_under, split_target

if TYPE_CHECKING:
    from otokui.preview.server import PreviewHTTPServer

MAX_REQUEST_LINE = 8 * 1024
MAX_HEADER_BYTES = 16 * 1024
MAX_HEADER_LINES = 64
KEEPALIVE_SECONDS = 10.0
#: The whole request line and headers must arrive within this time (a client sending a byte a second is cut off).
REQUEST_SECONDS = 5.0

CSP_GALLERY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
    " frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# Emails never run scripts; their images may come from the shop's own site.
CSP_EMAIL = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: https:; font-src data:;"
    " form-action 'none'; base-uri 'none'; frame-ancestors 'self'"
)
# MkDocs Material inlines small scripts and styles; everything else comes from the site folder.
CSP_SITE = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline';"
    " img-src 'self' data: https:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self';"
    " form-action 'self'; base-uri 'self'; frame-ancestors 'self'"
)
CSP_DEFAULT = "default-src 'none'; frame-ancestors 'none'"

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})


class Handler(BaseHTTPRequestHandler):
    """Answers one connection (HTTP/1.0: one request per connection)."""

    server: PreviewHTTPServer
    server_version = "otokui-preview"
    sys_version = ""
    protocol_version = "HTTP/1.0"
    default_request_version = "HTTP/1.0"  # errors about a bad version still get a status line
    timeout = 10
    _csp = CSP_DEFAULT

    # -- reading the request, within limits -------------------------------------

    def handle_one_request(self) -> None:
        try:
            received = self._receive_head()
            self.server.head_received()  # from here on the request holds a handling slot, not a pending one
            if received is None:
                self.close_connection = True
                return
            if isinstance(received, tuple):
                self._refuse(*received)
                return
            line, _, head = received.partition(b"\n")
            line += b"\n"
            if len(line.split()) != 3:
                self._refuse(HTTPStatus.BAD_REQUEST, "malformed request line")
                return
            if head.count(b"\n") > MAX_HEADER_LINES + 1:
                self._refuse(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request headers too large")
                return
            if not self.server.take_slot():
                self._refuse(HTTPStatus.SERVICE_UNAVAILABLE, "the preview is busy; try again")
                return
            self.connection.settimeout(self.timeout)
            self.raw_requestline = line
            socket_file, self.rfile = self.rfile, io.BytesIO(head)
            try:
                parsed = self.parse_request()
            finally:
                self.rfile = socket_file
            if parsed:
                self._dispatch()
                self.wfile.flush()
            self.close_connection = True
        except (TimeoutError, ConnectionError):
            self.close_connection = True

    def _receive_head(self) -> bytes | tuple[HTTPStatus, str] | None:
        """The request line and headers, read within :data:`REQUEST_SECONDS` in all (not per byte).

        Returns the bytes up to the blank line, ``None`` when the client sent
        nothing, or the status and reason to refuse the request with.
        """
        deadline = time.monotonic() + REQUEST_SECONDS
        buffer = bytearray()
        while True:
            end = _head_end(buffer)
            first_line = buffer.find(b"\n")
            if (first_line < 0 and len(buffer) > MAX_REQUEST_LINE) or first_line > MAX_REQUEST_LINE:
                return HTTPStatus.REQUEST_URI_TOO_LONG, "request line too long"
            if end >= 0:
                return bytes(buffer[:end])
            if len(buffer) - max(first_line, 0) > MAX_HEADER_BYTES:
                return HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request headers too large"
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return HTTPStatus.REQUEST_TIMEOUT, "request not received in time"
            self.connection.settimeout(remaining)
            try:
                chunk = self.connection.recv(16384)
            except TimeoutError:
                return HTTPStatus.REQUEST_TIMEOUT, "request not received in time"
            if not chunk:
                return bytes(buffer) + b"\n" if buffer else None
            buffer += chunk

    def _refuse(self, status: HTTPStatus, message: str) -> None:
        self.connection.settimeout(self.timeout)
        self.requestline, self.request_version, self.command = "", "HTTP/1.0", ""
        self.send_error(status, message)
        self.close_connection = True
        self._drain()

    def _drain(self) -> None:
        """Read what the client is still sending, briefly, so closing does not reset the connection."""
        try:
            self.wfile.flush()
            self.connection.settimeout(0.3)
            for _ in range(64):
                if not self.connection.recv(16384):
                    break
        except OSError:
            pass

    # -- answering -------------------------------------------------------------

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", self._csp)
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Requests are not logged: the log carries rebuilds and problems only."""

    def _send(self, status: int, body: bytes, ctype: str, csp: str = CSP_DEFAULT, **headers: str) -> None:
        self._csp = csp
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self._send(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain; charset=utf-8", Location=location)

    def _host_allowed(self) -> bool:
        """Whether the Host header names this machine (an allow-list, whatever address is bound)."""
        host = (self.headers.get("Host") or "").strip().lower()
        if host.startswith("["):
            name = host[1:].partition("]")[0]
        else:
            name, colon, port = host.rpartition(":")
            if not colon or not port.isdigit():
                name = host
        return not host or name.rstrip(".") in self.server.allowed_hosts

    def _dispatch(self) -> None:
        if self.command not in ("GET", "HEAD"):
            self._csp = CSP_DEFAULT
            self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
            self.send_header("Allow", "GET, HEAD")
            self.send_header("Content-Length", "0")
            self.end_headers()
            self._drain()
            return
        if not self._host_allowed():
            self.send_error(HTTPStatus.FORBIDDEN, "unexpected Host header")
            return
        try:
            target = split_target(self.path)
        except BadTarget as error:
            self.send_error(HTTPStatus.BAD_REQUEST, str(error))
            return
        try:
            self._route(target)
        except (TimeoutError, ConnectionError):
            raise
        except Exception as error:  # a bug: answer 500, keep serving, and say what happened in the log
            log = self.server.log
            if log is not None:
                log.write("preview: " + "".join(traceback.format_exception(error)))
            self.send_error(HTTPStatus.INTERNAL_SERVER_ERROR, "the preview failed on this request")

    def _route(self, target: Target) -> None:
        segments = target.segments
        head = segments[0] if segments else ""
        if not segments:
            self._gallery(target)
        elif head == "_preview" and len(segments) == 2 and segments[1] in ASSETS:
            data, ctype = ASSETS[segments[1]]
            self._send(HTTPStatus.OK, data, ctype)
        elif segments == ("events",):
            self._events()
        elif segments == ("api", "state.json"):
            self._state_json()
        elif head in ("email", "source"):
            self._email(segments, target.query)
        elif head == "site":
            self._site(target)
        elif head == "export":
            self._export(segments)
        elif segments == ("favicon.ico",):
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    def _gallery(self, target: Target) -> None:
        snapshot = self.server.state.snapshot()
        roots = list(snapshot.site.roots) if snapshot.site else []
        html = gallery.page(snapshot, target.query, roots, self.server.state.findings)
        self._send(HTTPStatus.OK, html.encode("utf-8"), "text/html; charset=utf-8", CSP_GALLERY)

    def _state_json(self) -> None:
        snapshot = self.server.state.snapshot()
        body = {
            "version": snapshot.version,
            "errors": {part: list(lines) for part, lines in snapshot.errors},
            "timings": snapshot.timings,
            "emails": len(snapshot.emails.emails) if snapshot.emails else 0,
            "email_build": snapshot.emails.number if snapshot.emails else None,
            "site": snapshot.site.directory.name if snapshot.site else None,
        }
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self._send(HTTPStatus.OK, data, "application/json; charset=utf-8")

    def _email(self, segments: tuple[str, ...], query: dict[str, str]) -> None:
        where = emailview.parse(segments)
        build = self.server.state.snapshot().emails
        email = build.get(where.kind, where.locale, where.name) if where and build else None
        if where is None or email is None:
            self.send_error(HTTPStatus.NOT_FOUND, "no such email variant")
            return
        data, ctype = emailview.body(email, where.view, dark=query.get("scheme") == "dark")
        self._send(HTTPStatus.OK, data, ctype, CSP_EMAIL)

    def _export(self, segments: tuple[str, ...]) -> None:
        build = self.server.state.snapshot().emails
        templates = self.server.state.project.templates
        text = exportview.source(build.policy, templates, segments, build.number) if build else None
        if text is None:
            self.send_error(HTTPStatus.NOT_FOUND, "no exported file for this variant")
            return
        self._send(HTTPStatus.OK, text.encode("utf-8"), "text/plain; charset=utf-8")

    def _site(self, target: Target) -> None:
        site = self.server.state.snapshot().site
        if site is None:
            self.send_error(HTTPStatus.NOT_FOUND, "the member site has not been built")
            return
        inner = target.segments[1:]
        if not target.trailing_slash and (not inner or is_directory_under(site.directory, inner)):
            self._redirect("/" + "/".join(("site", *inner)) + "/")
            return
        path = file_under(site.directory, inner)
        if path is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        data = path.read_bytes()
        ctype = content_type(path)
        if ctype.startswith("text/html"):
            data = _with_live_reload(data, site.directory.name)
        self._send(HTTPStatus.OK, data, ctype, CSP_SITE)

    def _events(self) -> None:
        server = self.server
        if not server.stream_slots.acquire(blocking=False):
            self.send_error(HTTPStatus.SERVICE_UNAVAILABLE, "too many live-reload streams")
            return
        try:
            self._csp = CSP_DEFAULT
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.end_headers()
            if self.command == "HEAD":
                return
            self.wfile.write(b"retry: 1000\n\n")
            seen: int | None = None
            while not server.state.closed:
                snapshot = server.state.snapshot()
                if snapshot.version != seen:
                    seen = snapshot.version
                    site = snapshot.site.directory.name if snapshot.site else ""
                    data = json.dumps({"version": seen, "site": site})
                    self.wfile.write(f"event: version\ndata: {data}\n\n".encode())
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
                server.state.wait_for_change(seen, KEEPALIVE_SECONDS)
        except OSError:
            pass  # the browser went away
        finally:
            server.stream_slots.release()
            self.close_connection = True


def _head_end(buffer: bytearray) -> int:
    """Where the header block in ``buffer`` ends (after its blank line), or -1."""
    ends = [at + len(mark) for mark in (b"\r\n\r\n", b"\n\n") if (at := buffer.find(mark)) >= 0]
    return min(ends) if ends else -1


def _with_live_reload(html: bytes, site_id: str) -> bytes:
    """A member-site page with the script that reloads it after a rebuild."""
    tag = f'<script src="/_preview/live.js" data-site="{site_id}"></script>'.encode()
    at = html.rfind(b"</body>")
    return html + tag if at < 0 else html[:at] + tag + html[at:]
