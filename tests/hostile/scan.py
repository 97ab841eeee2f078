"""Scanning a whole output folder for markup or addresses that could run or mislead."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "background", "poster", "srcset")
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts = 0
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>: an event handler attribute")
            if name in URL_ATTRIBUTES and value:
                address = _CONTROL.sub("", value).strip()
                scheme = _SCHEME.match(address)
                if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
                    self.problems.append(f"<{tag} {name}={value[:40]!r}>: {scheme.group(1)}: address")
        self._script = tag == "script"
        self.scripts += self._script

    def handle_endtag(self, tag: str) -> None:
        self._script = False

    def handle_data(self, data: str) -> None:
        if self._script and "alert(" in data:
            self.problems.append(f"a script runs text from the policy: {data.strip()[:60]!r}")


def html_problems(html: str, *, scripts_allowed: bool = True) -> list[str]:
    """What in ``html`` could run: event handlers, script-like addresses, scripts (unless allowed)."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    if collector.scripts and not scripts_allowed:
        collector.problems.append(f"{collector.scripts} <script> element(s)")
    return collector.problems


def scan(out: Path, *, emails_without_scripts: bool = True) -> list[str]:
    """Every problem in ``out``: event handlers, script-like addresses, policy text run as script, header breaks."""
    problems: list[str] = []
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(out).as_posix()
        if path.suffix == ".html":
            html = path.read_text(encoding="utf-8")
            in_mail = relative.startswith(("emails/", "snippets/", "letters/"))
            scripts_allowed = not (emails_without_scripts and in_mail)
            problems += [f"{relative}: {p}" for p in html_problems(html, scripts_allowed=scripts_allowed)]
    manifest = out / "emails" / "manifest.json"
    if manifest.exists():
        for entry in json.loads(manifest.read_text(encoding="utf-8"))["variants"]:
            for field in ("subject", "preheader"):
                if _CONTROL.search(entry[field]) or "\u2028" in entry[field]:
                    problems.append(f"emails/manifest.json: {entry['html']}: {field} {entry[field]!r} breaks a header")
    return problems


def files_containing(out: Path, text: str) -> list[str]:
    """Output files (relative paths) whose text contains ``text``."""
    found = []
    for path in sorted(out.rglob("*")):
        readable = path.is_file() and path.suffix in (".html", ".txt", ".json", ".xml", ".md")
        if readable and text in path.read_text(encoding="utf-8", errors="replace"):
            found.append(path.relative_to(out).as_posix())
    return found
