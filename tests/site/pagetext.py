"""Small readers for built HTML: visible text, and every link and asset reference."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

SKIP = {"script", "style", "svg", "template"}


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.refs: list[tuple[str, str]] = []  # (attribute, value)
        self.ids: set[str] = set()
        self._skip = 0
        self._glue = False  # after a <wbr>: the text goes on in the same word

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "wbr":
            self._glue = True
            return
        if tag in SKIP:
            self._skip += 1
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src"):
                self.refs.append((name, value))
            if name == "id":
                self.ids.add(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            if self._glue and self.parts:
                self.parts[-1] += data
            else:
                self.parts.append(data)
        self._glue = False


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    return reader


def visible_text(html: str) -> str:
    """The text a reader sees (scripts, styles and icons left out; phrase breaks, zero-width spaces or <wbr>, are invisible), whitespace collapsed."""
    return " ".join(" ".join(read(html).parts).replace("\u200b", "").split())


def article(html: str) -> str:
    """The page's main content: Material's ``<article>``."""
    start = html.index("<article")
    return html[start : html.index("</article>", start)]


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))
