"""The preview server: start it in-process (tests) or block until Ctrl-C (``build.py serve``).

::

    with PreviewServer(project, "127.0.0.1", 0, log=sys.stderr) as preview:   # starts it
        print(preview.url)                                                     # http://127.0.0.1:PORT/

:class:`PreviewServer` builds everything once (a failing build is shown in
the gallery's banner, not raised), then serves from a background thread
while a :class:`~otokui.preview.watch.Watcher` rebuilds what changed.
Everything is built into a temporary folder of its own, removed on
:meth:`~PreviewServer.stop`; the user's ``dist/`` is never touched.

The server is the standard library's threading HTTP server with bounds:
at most :data:`MAX_CONNECTIONS` connections are handled at once (more are
answered 503 straight away), of which :data:`MAX_STREAMS` may be live-reload
streams, and a listen backlog large enough for a burst of clients.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import sys
import tempfile
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from otokui.errors import UsageError, printable
from otokui.pipeline import Project
from otokui.preview.handler import LOCAL_HOSTS, WILDCARD_HOSTS, Handler
from otokui.preview.state import PARTS, PreviewState
from otokui.preview.watch import Watcher

MAX_CONNECTIONS = 96
#: Connections still sending their request (each is cut off after REQUEST_SECONDS in all).
MAX_PENDING = 512
MAX_STREAMS = 32
BUSY = b"HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"


class PreviewHTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer with a bound on concurrent connections, holding the preview's state."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], state: PreviewState, log: TextIO | None) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.state = state
        self.log = log
        self.bound_host = address[0]
        self.pending = threading.BoundedSemaphore(MAX_PENDING)
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.stream_slots = threading.BoundedSemaphore(MAX_STREAMS)
        self._held = threading.local()
        super().__init__(address, Handler)
        self.allowed_hosts = allowed_hosts(self.bound_host)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.pending.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.sendall(BUSY)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:  # the thread never started: give its place back
            self.pending.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        self._held.pending, self._held.slot = True, False
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.head_received()
            if self._held.slot:
                self.slots.release()

    def head_received(self) -> None:
        """The connection's request has arrived (or never will): it stops counting as pending."""
        if getattr(self._held, "pending", False):
            self._held.pending = False
            self.pending.release()

    def take_slot(self) -> bool:
        """A handling slot for this connection's request; False when every slot is busy."""
        if getattr(self._held, "slot", False):
            return True
        self._held.slot = self.slots.acquire(blocking=False)
        return bool(self._held.slot)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection failed outside a handler's own care (a reset, say): nothing to report."""


def check_port(port: int) -> None:
    """Refuse a port that cannot be listened on, before anything is created."""
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise UsageError(f"--port {port}: expected a port number from 0 to 65535 (0 picks a free one)")


def allowed_hosts(bound: str) -> frozenset[str]:
    """Host header names the preview answers (DNS rebinding): localhost, the bound address, this machine.

    A wildcard bind (``0.0.0.0``) does not switch the check off: it adds this
    machine's own name; to open the preview from another machine by address,
    bind that address (``--host 192.168.1.5``).
    """
    names = set(LOCAL_HOSTS)
    if bound and bound not in WILDCARD_HOSTS:
        names.add(bound.lower())
    else:
        with contextlib.suppress(OSError):
            names.update({socket.gethostname().lower(), socket.getfqdn().lower()})
    return frozenset(names)


class PreviewServer:
    """The live preview, startable and stoppable in-process."""

    def __init__(
        self,
        project: Project,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        log: TextIO | None = None,
        interval: float = 0.3,
    ) -> None:
        self.project = project
        self.host = host
        self.port = port
        self.log = log
        self.interval = interval
        self.workdir: Path | None = None
        self.state: PreviewState | None = None
        self._httpd: PreviewHTTPServer | None = None
        self._watcher: Watcher | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The gallery's address (for a wildcard bind: its loopback address)."""
        if self._httpd is None:
            raise RuntimeError("the preview server is not started")
        port = self._httpd.server_address[1]
        host = self.host
        if host in WILDCARD_HOSTS:
            host = "::1" if host == "::" else "127.0.0.1"
        return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"

    def start(self) -> PreviewServer:
        """Build once, start serving and watching; returns at once (the server runs in threads)."""
        if self._httpd is not None:
            return self
        check_port(self.port)
        self.workdir = Path(tempfile.mkdtemp(prefix="otokui-preview-"))
        self.state = PreviewState(self.project, self.workdir, self.log)
        try:
            self._httpd = PreviewHTTPServer((self.host, self.port), self.state, self.log)
        except (OSError, OverflowError, ValueError, UnicodeError) as error:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = self.state = None
            reason = getattr(error, "strerror", None) or str(error)
            raise UsageError(
                f"cannot listen on {printable(self.host)}:{self.port} ({reason});"
                " pick another --host or --port (0 picks a free one)"
            ) from None
        self._watcher = Watcher(self.project, self.state.rebuild, interval=self.interval, log=self.log)
        self.state.rebuild(PARTS)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2}, name="otokui-preview-http", daemon=True
        )
        self._thread.start()
        self._watcher.start()
        return self

    def stop(self) -> None:
        """Stop watching and serving, end live-reload streams, remove the build folder."""
        if self.state is not None:
            self.state.close()  # a render in progress sees this and stops its workers at once
        if self._watcher is not None:
            self._watcher.stop()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
        self._httpd = self._watcher = self._thread = None

    def wait(self) -> None:
        """Block until the server stops (Ctrl-C raises KeyboardInterrupt here)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=0.1)  # a signal for another thread wakes this one only at its timeout

    def __enter__(self) -> PreviewServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


def serve(
    project: Project,
    out_dir: Path | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    log: TextIO | None = None,
) -> int:
    """Serve the preview until Ctrl-C; return 0.

    ``out_dir`` is accepted for the command line's sake and never written:
    the preview builds into a temporary folder of its own.
    """
    log = log if log is not None else sys.stderr
    server = PreviewServer(project, host, port, log=log).start()
    log.write(f"otokui preview: {server.url}  (member site: {server.url}site/; Ctrl-C to stop)\n")
    log.flush()
    previous = _stop_on_sigterm()
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    log.write("preview stopped\n")
    return 0


def _stop_on_sigterm() -> Any:
    """Let SIGTERM stop the preview like Ctrl-C (so its build folder is removed); the old handler."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)
