"""Which text encoding an export is in: UTF-8 (with or without BOM) or Shift_JIS / CP932.

Japanese carts export Shift_JIS by default, usually with Microsoft's extensions (CP932: ①, ㈱, NEC
and IBM extended kanji), so CP932 is used for every Shift_JIS file; it reads plain Shift_JIS unchanged.
UTF-8 is recognised by decoding; anything else is handed to charset-normalizer, and a file no decoder
reads is refused rather than guessed.
"""

from __future__ import annotations

from pathlib import Path

from otokui.errors import UsageError

SAMPLE = 1 << 20  # bytes read to decide


def detect(path: Path) -> str:
    """The Python codec name to read ``path`` with: ``utf-8-sig`` or ``cp932`` (or what charset-normalizer finds)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SAMPLE)
            complete = len(head) < SAMPLE
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if _decodes(head, "utf-8", complete):
        return "utf-8-sig"
    if _decodes(head, "cp932", complete):
        return "cp932"
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is None:
        raise UsageError(f"{path}: not a text file in UTF-8 or Shift_JIS (CP932); save it as UTF-8 CSV")
    return str(best.encoding)


def _decodes(data: bytes, codec: str, complete: bool) -> bool:
    """Whether ``data`` is valid ``codec`` text (a character cut at the end of a sample is allowed)."""
    import codecs

    decoder = codecs.getincrementaldecoder(codec)()
    try:
        decoder.decode(data, final=complete)
    except UnicodeDecodeError:
        return False
    return True
