"""What a run did, for the shop owner: a CSV and an HTML table of who gets what and why.

Both are written into the private run folder, never elsewhere: they name customers.
"""

from __future__ import annotations

import csv
import html
import io
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

COLUMNS = (
    "customer",
    "email",
    "order",
    "what",
    "status",
    "due",
    "reason",
    "tier",
    "orders",
    "rank",
    "rank_change",
    "notices",
    "file",
)


@dataclass(frozen=True)
class Row:
    customer: str
    email: str
    order: str
    what: str
    status: str  # written | printed | skipped | planned | rank
    due: str
    reason: str
    tier: str
    orders: int
    rank: str
    rank_change: str
    notices: str
    file: str

    def cells(self) -> list[str]:
        return [str(getattr(self, name)) for name in COLUMNS]


def say(words: Mapping[str, str], key: str, **values: str | int) -> str:
    """The catalogue's ``key`` (``run_…``) with its placeholders filled."""
    from otokui.i18n.catalogue import fill

    return fill(words[key], **values)


def headings(words: Mapping[str, str]) -> list[str]:
    """The report's column headings in the shop's words (``run_col_<column>``)."""
    return [words[f"run_col_{name}"] for name in COLUMNS]


def _cell(value: str) -> str:
    """A spreadsheet cell that cannot run as a formula (CSV injection): a leading = + - @ is quoted."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_text(rows: Iterable[Row]) -> str:
    """``rows`` as lines of the CSV report (so a worker process can format its share)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([_cell(c) for c in row.cells()] for row in rows)
    return buffer.getvalue()


def to_html(rows: Iterable[Row], title: str, summary: str, words: Mapping[str, str], lang: str) -> bytes:
    head = "".join(f"<th scope='col'>{html.escape(c)}</th>" for c in headings(words))
    body = "\n".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row.cells()) + "</tr>" for row in rows)
    page = f"""<!doctype html>
<html lang="{html.escape(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }}
table {{ border-collapse: collapse; font-size: 0.85rem; }}
th, td {{ border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }}
th {{ background: #f3f3f3; position: sticky; top: 0; }}
</style></head>
<body><h1>{html.escape(title)}</h1>
<p>{html.escape(summary)}</p>
<table><thead><tr>{head}</tr></thead><tbody>
{body}
</tbody></table></body></html>
"""
    return page.encode("utf-8")


#: Skipped rows shown in the HTML report (all of them are in the CSV).
HTML_SKIPPED = 1000


class Writer:
    """The report, written as the run goes: the CSV streams every row, the HTML keeps what was produced.

    Rows are not held in memory beyond the HTML's share, so a first run over years of history (where
    most events are skipped) stays flat in memory.
    """

    def __init__(self, folder: Path, words: Mapping[str, str], lang: str) -> None:
        self.words, self.lang = words, lang
        stem, n = "report", 1
        while (folder / f"{stem}.csv").exists():
            n += 1
            stem = f"report-{n}"
        self.csv_path, self.html_path = folder / f"{stem}.csv", folder / f"{stem}.html"
        self.temp = folder / f".{stem}.csv.tmp"
        fd = os.open(self.temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self.handle = os.fdopen(fd, "w", encoding="utf-8-sig", newline="")
        self.csv = csv.writer(self.handle, lineterminator="\r\n")
        self.csv.writerow(headings(words))
        self.shown: list[Row] = []
        self.skipped_shown = 0
        self.hidden = 0

    def add(self, row: Row) -> None:
        self.csv.writerow([_cell(c) for c in row.cells()])
        self._show(row)

    def _show(self, row: Row) -> None:
        """Keep ``row`` for the HTML, but skipped rows only up to :data:`HTML_SKIPPED`."""
        if row.status != "skipped":
            self.shown.append(row)
        elif self.skipped_shown < HTML_SKIPPED:
            self.shown.append(row)
            self.skipped_shown += 1
        else:
            self.hidden += 1

    def add_formatted(self, text: str, rows: Iterable[Row], dropped: int) -> None:
        """Rows formatted by :func:`csv_text`: ``text`` goes to the CSV; ``rows`` are the same rows for the
        HTML, but for ``dropped`` skipped rows past :data:`HTML_SKIPPED` that were left out of them."""
        self.handle.write(text)
        for row in rows:
            self._show(row)
        self.hidden += dropped

    def finish(self, title: str, summary: str) -> Path:
        self.handle.close()
        os.replace(self.temp, self.csv_path)
        more = say(self.words, "run_summary_more_skipped", count=self.hidden, file=self.csv_path.name)
        data = to_html(self.shown, title, summary + (more if self.hidden else ""), self.words, self.lang)
        fd = os.open(self.html_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return self.html_path

    def abandon(self) -> None:
        self.handle.close()
        self.temp.unlink(missing_ok=True)
