"""Request targets → safe path segments, and files that may be served from a build folder.

Nothing outside the preview's build folder may be read through the server.
Every request target goes through :func:`split_target` before routing: it
refuses (:class:`BadTarget`, answered with 400) anything that is not a plain
origin-form path — absolute URLs, ``//host``, backslashes, NUL and other
control characters, encoded slashes or backslashes (``%2f``, ``%5c``),
``.`` and ``..`` segments (also when percent-encoded: ``%2e%2e``), and bytes
that do not decode as UTF-8. :func:`file_under` then resolves the segments
below a root folder, following symlinks, and answers None unless the result
is a regular file inside that root.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote

#: Longest request target accepted (the request line is capped separately).
MAX_TARGET = 4096

_TEXT_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".md": "text/plain",
}
_BINARY_TYPES = {
    ".gz": "application/gzip",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}


class BadTarget(ValueError):
    """The request target is malformed or tries to leave the served folders."""


@dataclass(frozen=True)
class Target:
    """A checked request target: its decoded path segments and its query."""

    segments: tuple[str, ...]  # never empty strings, ".", ".." or anything with "/" or "\\"
    trailing_slash: bool
    query: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        joined = "/" + "/".join(self.segments)
        return joined + "/" if self.trailing_slash and self.segments else joined


def split_target(target: str) -> Target:
    """Check and split a request target such as ``/site/en/index.html?x=1``."""
    if len(target) > MAX_TARGET:
        raise BadTarget("request target too long")
    if not target.startswith("/") or target.startswith("//"):
        raise BadTarget("only paths starting with a single / are served")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target) or "\\" in target:
        raise BadTarget("control characters and backslashes are refused")
    raw_path, _, raw_query = target.partition("#")[0].partition("?")
    lowered = raw_path.lower()
    if "%2f" in lowered or "%5c" in lowered or "%00" in lowered:
        raise BadTarget("encoded slashes, backslashes and NUL are refused")
    try:
        decoded = unquote(raw_path, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise BadTarget("the path is not UTF-8") from None
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in decoded) or "\\" in decoded:
        raise BadTarget("control characters and backslashes are refused")
    parts = decoded.split("/")[1:]
    trailing = bool(parts) and parts[-1] == ""
    segments = tuple(part for part in parts if part)
    for segment in segments:
        if segment in (".", ".."):
            raise BadTarget("'.' and '..' segments are refused")
    try:
        pairs = parse_qsl(raw_query, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=50)
    except (UnicodeDecodeError, ValueError):
        raise BadTarget("the query is malformed") from None
    query: dict[str, str] = {}
    for key, value in pairs:
        if "\x00" in key or "\x00" in value:
            raise BadTarget("NUL in the query is refused")
        query.setdefault(key, value)
    return Target(segments, trailing, query)


def file_under(root: Path, segments: tuple[str, ...]) -> Path | None:
    """The regular file ``root/segments…`` (or its ``index.html``), if it is inside ``root``.

    Hidden names (starting with ``.``) are never served. Symlinks are followed
    and the final path must still be inside ``root``.
    """
    if any(segment.startswith(".") or "/" in segment or "\\" in segment for segment in segments):
        return None
    try:
        base = root.resolve(strict=True)
        resolved = base.joinpath(*segments).resolve(strict=True)
        if resolved.is_dir():
            resolved = (resolved / "index.html").resolve(strict=True)
    except (OSError, RuntimeError):  # missing, unreadable, or a symlink loop
        return None
    if not resolved.is_relative_to(base) or not resolved.is_file():
        return None
    return resolved


def is_directory_under(root: Path, segments: tuple[str, ...]) -> bool:
    """Whether ``root/segments…`` is a folder inside ``root`` (to redirect ``/x`` to ``/x/``)."""
    if not segments or any(segment.startswith(".") for segment in segments):
        return False
    try:
        base = root.resolve(strict=True)
        resolved = base.joinpath(*segments).resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return resolved.is_relative_to(base) and resolved.is_dir()


def content_type(path: Path | str) -> str:
    """The Content-Type to serve a file with (UTF-8 for text)."""
    suffix = Path(path).suffix.lower()
    if suffix in _TEXT_TYPES:
        return f"{_TEXT_TYPES[suffix]}; charset=utf-8"
    if suffix in _BINARY_TYPES:
        return _BINARY_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(str(path))
    return guessed or "application/octet-stream"
