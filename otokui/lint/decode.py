"""HTML files given to ``check --input``, decoded the way a browser would, or refused by name.

In order: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-16 without one
(the NUL bytes of ``<`` give it away); the charset the file declares
(``<meta charset>``, ``<meta http-equiv="Content-Type" content="…; charset=…">``
or ``<?xml … encoding="…"?>``, in its first :data:`SNIFF_BYTES` bytes);
ISO-2022-JP by its escape sequences; else UTF-8. Shift_JIS is read as CP932
(Windows-31J), its superset, as browsers do.

A file that does not decode under the encoding found is an error naming the
file, the line and the encoding: nothing is ever replaced silently.
"""

from __future__ import annotations

import codecs
import re

from otokui.errors import UsageError, printable

#: How far into a file a charset declaration is looked for (the HTML standard says 1024; some tools put it later).
SNIFF_BYTES = 4096

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_ISO_2022_JP = re.compile(rb"\x1b\$[@B]|\x1b\(J")
# Labels browsers treat as another encoding (WHATWG Encoding), where Python's codec of the same name differs.
_ALIASES = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "csshiftjis": "cp932",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}


def encoding_of(data: bytes) -> tuple[str, str]:
    """(Python codec, where it came from) for ``data``."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, "its byte-order mark"
    head = data[:SNIFF_BYTES]
    if len(head) >= 4 and head[0] == 0 and head[1] != 0 and head[2] == 0:
        return "utf-16-be", "its NUL bytes (UTF-16 without a byte-order mark)"
    if len(head) >= 4 and head[0] != 0 and head[1] == 0 and head[3] == 0:
        return "utf-16-le", "its NUL bytes (UTF-16 without a byte-order mark)"
    declared = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if declared:
        label = declared.group(1).decode("ascii").lower()
        codec = _ALIASES.get(label, label)
        try:
            codec = codecs.lookup(codec).name
        except LookupError:
            raise UsageError(f"declares the charset {label!r}, which is not a known encoding") from None
        if codec.startswith("utf-16"):  # a declaration read as ASCII cannot be UTF-16: the file is not
            codec = "utf-8"
        return codec, f"its declared charset {label!r}"
    if _ISO_2022_JP.search(data):
        return "iso2022_jp", "its ISO-2022-JP escape sequences"
    return "utf-8", "the default (no charset declared)"


def decode_html(data: bytes, name: str) -> str:
    """The text of HTML file ``name``; UsageError naming the file when it cannot be decoded."""
    shown = printable(name)
    try:
        codec, source = encoding_of(data)
    except UsageError as error:
        raise UsageError(f"{shown}: {error}") from None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        advice = "save it as UTF-8" if codec == "utf-8" else "fix the declaration or the file"
        if codec == "utf-8" and source.startswith("the default"):
            advice = 'save it as UTF-8, or declare its charset (<meta charset="shift_jis">)'
        raise UsageError(
            f"{shown}:{line}: cannot be read as {codec} (from {source}): byte 0x{data[error.start]:02x}"
            f" at offset {error.start} is not valid; {advice}"
        ) from None
    return text.removeprefix("\ufeff")
