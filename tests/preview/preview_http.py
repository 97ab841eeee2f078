"""Raw HTTP for the preview tests: exact bytes on a socket, no client-side normalisation."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit


def address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port


def raw(url: str, request: bytes, timeout: float = 10.0) -> bytes:
    """Send ``request`` as is and return everything the server answers until it closes."""
    with socket.create_connection(address(url), timeout=timeout) as sock:
        sock.sendall(request)
        chunks: list[bytes] = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def get(url: str, target: str, method: str = "GET", headers: str = "") -> tuple[int, dict[str, str], bytes]:
    """``method target`` with a Host header; the status, headers (lower-case names) and body."""
    host, port = address(url)
    request = f"{method} {target} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n{headers}\r\n"
    return parse(raw(url, request.encode("latin-1")))


def parse(response: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = response.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body
