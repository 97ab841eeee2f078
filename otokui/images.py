"""Images a shop names in rules.yaml by file: its logo, the owner's photo and signature.

A file is named relative to the folder of rules.yaml and must stay inside it (no ``..`` out of the
folder, no absolute path, no symbolic link that leads elsewhere). Only images are accepted, recognised
by their first bytes rather than by their name: PNG, JPEG, GIF, WebP, and SVG without scripts. A file
may be at most :data:`MAX_BYTES`. Printed letters carry the image itself as a ``data:`` address, so a
letter prints the same without a network; the member site carries a copy.

Nothing here imports the rest of otokui: the policy loader reports a bad file at its line in rules.yaml
(:func:`problem`), the renderers read a good one (:func:`data_uri`).
"""

from __future__ import annotations

import base64
import difflib
import os
import re
from pathlib import Path, PurePosixPath

MAX_BYTES = 2_000_000

#: Media type and the usual file suffix of each image kind, by kind.
KINDS = {
    "png": ("image/png", ".png"),
    "jpeg": ("image/jpeg", ".jpg"),
    "gif": ("image/gif", ".gif"),
    "webp": ("image/webp", ".webp"),
    "svg": ("image/svg+xml", ".svg"),
}
_SVG_DANGER = re.compile(rb"<script|\son[a-z]+\s*=|javascript:|<foreignObject|href\s*=\s*[\"'](?!#)|<!ENTITY", re.I)


def kind_of(data: bytes) -> str | None:
    """The image kind of ``data`` from its first bytes, or None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096]:
        return "svg"
    return None


def resolve(base: Path, name: str) -> Path:
    """The file ``name`` names, relative to ``base`` (the folder of rules.yaml)."""
    return (base / name).resolve()


def problem(base: Path, name: str) -> str | None:
    """What is wrong with the image file ``name`` in ``base``, or None when it can be used."""
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or re.match(r"^[A-Za-z]:", name):
        return f"{name!r} is an absolute path; name the file relative to the folder of rules.yaml (images/logo.png)"
    if name.startswith(("http:", "https:", "data:", "file:")) or "://" in name:
        return f"{name!r} is an address, not a file; put https addresses under the *_url key beside this one"
    root = base.resolve()
    path = resolve(base, name)
    if not path.is_relative_to(root):
        return f"{name!r} is outside the folder of rules.yaml; keep the image inside it (images/…)"
    if not path.exists():
        return f"no file {name!r} beside rules.yaml{_near(base, name)}"
    if not path.is_file():
        return f"{name!r} is not a regular file"
    size = path.stat().st_size
    if size > MAX_BYTES:
        return f"{name!r} is {size:,} bytes; an image may be at most {MAX_BYTES:,} (make it smaller)"
    data = path.read_bytes()
    kind = kind_of(data)
    if kind is None:
        return f"{name!r} is not a PNG, JPEG, GIF, WebP or SVG image"
    if kind == "svg" and _SVG_DANGER.search(data):
        return f"{name!r} is an SVG with scripts, event handlers or outside references; save it as plain SVG or PNG"
    return None


def _near(base: Path, name: str) -> str:
    """`` (did you mean 'images/logo.png'?)`` from the files in the folder ``name`` points into."""
    folder = resolve(base, name).parent
    root = base.resolve()
    if not folder.is_dir() or not folder.is_relative_to(root):
        return ""
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.is_file()][:500]
    except OSError:
        return ""
    wanted = PurePosixPath(name.replace("\\", "/"))
    match = difflib.get_close_matches(wanted.name, names, n=1, cutoff=0.6)
    if not match:
        lower = {n.lower(): n for n in names}
        match = [lower[wanted.name.lower()]] if wanted.name.lower() in lower else []
    return f" (did you mean {str(wanted.parent / match[0]).removeprefix('./')!r}?)" if match else ""


def read(path: Path) -> tuple[bytes, str]:
    """The bytes and kind of the checked image at ``path``; ValueError when it is no longer one."""
    data = path.read_bytes()
    kind = kind_of(data)
    if kind is None or len(data) > MAX_BYTES or (kind == "svg" and _SVG_DANGER.search(data)):
        raise ValueError(f"{path.name}: not a usable image any more")
    return data, kind


def data_uri(path: Path) -> str:
    """The image at ``path`` as a ``data:`` address."""
    data, kind = read(path)
    return f"data:{KINDS[kind][0]};base64,{base64.b64encode(data).decode('ascii')}"
