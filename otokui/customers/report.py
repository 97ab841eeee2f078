"""What a run did, for the shop owner: a CSV and an HTML table of who gets what and why.

Both are written into the private run folder, never elsewhere: they name customers.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Iterable
from dataclasses import dataclass

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


def _cell(value: str) -> str:
    """A spreadsheet cell that cannot run as a formula (CSV injection): a leading = + - @ is quoted."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def to_csv(rows: Iterable[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(c) for c in row.cells()])
    return buffer.getvalue().encode("utf-8-sig")  # with BOM: Excel in Japan opens it as UTF-8


def to_html(rows: Iterable[Row], title: str, summary: str) -> bytes:
    head = "".join(f"<th scope='col'>{html.escape(c)}</th>" for c in COLUMNS)
    body = "\n".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row.cells()) + "</tr>" for row in rows)
    page = f"""<!doctype html>
<html lang="ja"><head><meta charset="utf-8">
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
