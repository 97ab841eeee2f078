"""`build.py run` on a generated EC-CUBE history: the day's mails and letters are the ones an independent
calculation expects, the .eml files are well-formed and pass the checker, the letters PDF has one letter
per page in Japanese, a second run is empty, and customer data stays in the private run folder."""

from __future__ import annotations

import csv
import datetime as dt
import email
import io
import re
import sqlite3
import stat
from email.policy import default
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from otokui.artifacts import Artifact, Context
from otokui.cli import run
from otokui.pipeline import check
from otokui.policy.load import load_policy
from tests.customers import expected
from tests.customers.conftest import ROOT, policy_data, said
from tests.customers.history import END, GCustomer, generate, write

D0 = END - dt.timedelta(days=1)
D1 = END


def cli(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


def report(folder: Path, name: str = "report.csv") -> list[dict[str, str]]:
    """The report's rows by column name; its headings are the catalogue's words for them."""
    from otokui.customers.report import COLUMNS

    with (folder / name).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [said(f"col_{column}") for column in COLUMNS]
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]


@pytest.fixture(scope="module")
def day_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    import shutil

    import yaml

    base = tmp_path_factory.mktemp("shop")
    shutil.copytree(ROOT / "email_templates", base / "email_templates")
    policy = base / "rules.yaml"
    policy.write_text(yaml.safe_dump(policy_data(), allow_unicode=True), encoding="utf-8")
    people = generate(2000, seed=5)
    export = write(people, base / "exports", "eccube")
    out = base / "otokui-run"
    args = ["run", "--policy", policy, "--orders", export.orders, "--customers", export.customers, "--out", out]
    first = cli(*args, "--on", D0.isoformat())
    second = cli(*args, "--on", D1.isoformat())
    again = cli(*args, "--on", D1.isoformat())
    return {"people": people, "policy": policy, "out": out, "first": first, "second": second, "again": again}


def expected_day(people: list[GCustomer], day: dt.date, before: dt.date) -> set[tuple[str, str]]:
    """(what, order id or e-mail) of everything due on ``day`` after a run on ``before``, worked out by hand."""
    rules = expected.Rules()
    due: set[tuple[str, str]] = set()
    for person in people:
        live = [o for o in person.orders if not o.cancelled and o.placed <= day]
        for order in live:
            transit = 2 + (2 if order.prefecture == "沖縄県" else 0)
            shipped = order.shipped if order.shipped and order.shipped <= day else None
            if shipped and shipped + dt.timedelta(days=transit + 2) == day:
                due.add(("thanks_review", order.id))
            if order.placed == day:
                due.add(("letter:thanks", order.id))
        if not person.member:
            invites = [
                o
                for o in live
                if o.shipped
                and o.shipped <= day
                and o.shipped + dt.timedelta(days=2 + (2 if o.prefecture == "沖縄県" else 0) + 7) in (day, before)
            ]
            if invites and not any(
                o.shipped + dt.timedelta(days=2 + (2 if o.prefecture == "沖縄県" else 0) + 7) == before
                for o in invites  # type: ignore[operator]
            ):
                due.add(("membership_invite", person.email))
            continue
        if person.birthday and live:
            birthday = (
                person.birthday.replace(year=day.year)
                if (person.birthday.month, person.birthday.day) != (2, 29)
                else dt.date(day.year, 2, 28)
            )
            if birthday - dt.timedelta(days=3) == day:
                due.add(("birthday", person.email))
        changes = expected.ranks(rules, person.orders, day)
        if expected.rank_at(changes, day) > expected.rank_at(changes, before):
            due.add(("rank_up", person.email))
            due.add(("letter:rank_up", person.email))
    return due


def test_the_day_after_the_baseline_gets_what_is_due(day_runs: dict[str, Any]) -> None:
    code, _, err = day_runs["second"]
    assert code == 0, err
    rows = report(day_runs["out"] / D1.isoformat())
    made = {
        (r["what"], r["order"] if r["what"] in ("thanks_review", "letter:thanks") else r["email"])
        for r in rows
        if r["status"] in ("written", "printed")
    }
    want = expected_day(day_runs["people"], D1, D0)
    assert made == want
    kinds = {what for what, _ in made}
    assert {"thanks_review", "letter:thanks", "rank_up", "birthday"} <= kinds
    ups = len([1 for what, _ in want if what == "rank_up"])
    ranks = re.escape(said("summary_ranks", ups=ups, downs=999)).replace("999", r"\d+")
    assert re.search(ranks, err.splitlines()[-1])


def test_the_first_run_is_the_baseline(day_runs: dict[str, Any]) -> None:
    code, _, err = day_runs["first"]
    assert code == 0, err
    summary = err.splitlines()[-1]
    assert said("summary_baseline") in summary
    rows = report(day_runs["out"] / D0.isoformat())
    assert not [r for r in rows if r["what"] == "rank_up"]  # ranks already held are not news
    skipped = [r for r in rows if r["status"] == "skipped"]
    assert len(skipped) > 1000 and all(r["due"] <= D0.isoformat() for r in skipped)
    assert {r["reason"] for r in skipped} >= {said("reason_baseline"), said("reason_left")}
    written = [r for r in rows if r["status"] == "written"]
    assert written and all(r["due"] == D0.isoformat() for r in written)


def test_a_second_run_on_the_same_day_is_empty(day_runs: dict[str, Any]) -> None:
    code, _, err = day_runs["again"]
    assert code == 0, err
    parts = (
        said("summary_written", count=0),
        said("summary_letters", letters=0, pages=0),
        said("summary_ranks", ups=0, downs=0),
        said("summary_skipped", count=0),
    )
    assert said("summary_sep").join(parts) in err
    assert report(day_runs["out"] / D1.isoformat(), "report-2.csv") == []
    assert report(day_runs["out"] / D1.isoformat())  # the first report of the day is kept


def test_mails_are_well_formed_and_pass_the_checker(day_runs: dict[str, Any]) -> None:
    policy = load_policy(day_runs["policy"])
    people = {p.email: p for p in day_runs["people"]}
    files = sorted((day_runs["out"] / D1.isoformat() / "mail").rglob("*.eml"))
    assert len(files) >= 5
    ids = set()
    checked: set[str] = set()
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=default)
        kind = path.parent.name
        assert message.get_content_type() == "multipart/alternative"
        parts = [p.get_content_type() for p in message.iter_parts()]  # type: ignore[attr-defined]
        assert parts == ["text/plain", "text/html"]
        assert "【木漏れ日珈琲】" in str(message["Subject"])
        assert message["Date"] and message["Message-ID"]
        ids.add(str(message["Message-ID"]))
        to = message["To"].addresses[0]
        person = people[to.addr_spec]
        html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
        text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert person.name in text and person.name in html
        marketing = kind == "birthday"
        assert (message["List-Unsubscribe"] is not None) == marketing
        assert (message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click") == marketing
        assert b"\r\n" in path.read_bytes()[:200]
        if kind in checked:
            continue
        checked.add(kind)
        category = getattr(policy.emails, kind).category
        context = Context(surface="email", locale="ja", kind=kind, category=category, disclosure="surprise")
        parts_as_built = [
            Artifact(f"{kind}.html", html.encode(), context),
            Artifact(f"{kind}.txt", text.encode(), context, "text/plain"),
        ]
        findings = check(parts_as_built, policy, None, "rules.yaml")
        mail_findings = [f for f in findings if f.file != "rules.yaml"]  # not the rules about the whole build
        assert [f for f in mail_findings if f.level == "error"] == [], mail_findings
    assert len(ids) == len(files)
    assert checked >= {"thanks_review", "birthday", "rank_up"}


def test_letters_pdf_has_one_japanese_letter_per_page(day_runs: dict[str, Any]) -> None:
    folder = day_runs["out"] / D1.isoformat()
    rows = [r for r in report(folder) if r["status"] == "printed"]
    pdfs = list(folder.glob("letters-*.pdf"))
    assert len(pdfs) == 1
    document = pdfium.PdfDocument(pdfs[0])
    assert len(document) == len(rows) > 3
    for index in (0, len(document) - 1):
        page = document[index]
        text = page.get_textpage().get_text_range()
        row = rows[index]
        assert f"{row['customer']} 様" in text
        assert "木漏れ日珈琲" in text
        assert ink(page) > 0.01  # glyphs drawn, not an empty page
    assert not tofu(document[0])


def ink(page: Any) -> float:
    """The share of dark pixels on the page."""
    bitmap = page.render(scale=1, grayscale=True)
    data = bytes(bitmap.buffer)
    dark = sum(1 for value in data[::1] if value < 128)
    return dark / len(data)


def tofu(page: Any) -> bool:
    """Whether the Japanese text was drawn with a font that has no Japanese glyphs (boxes: tofu)."""
    textpage = page.get_textpage()
    for index in range(min(textpage.count_chars(), 80)):
        char = textpage.get_text_range(index, 1)
        if "\u3040" <= char <= "\u9fff":
            left, bottom, right, top = textpage.get_charbox(index)
            if right - left <= 0.5 or top - bottom <= 0.5:
                return True
    return False


def test_customer_data_stays_private(day_runs: dict[str, Any]) -> None:
    out = day_runs["out"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert stat.S_IMODE((out / D1.isoformat()).stat().st_mode) == 0o700
    for path in (out / D1.isoformat()).rglob("*"):
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    database = day_runs["policy"].with_name("rules.state.sqlite")
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    raw = database.read_bytes() + (
        database.with_name("rules.state.sqlite-wal").read_bytes()
        if database.with_name("rules.state.sqlite-wal").exists()
        else b""
    )
    assert b"@example.jp" not in raw and "山田".encode() not in raw
    tables = sqlite3.connect(database).execute("SELECT COUNT(*) FROM events").fetchone()[0]
    assert tables > 1000
    assert not list(day_runs["policy"].parent.glob("dist"))
    assert not list(out.glob(".spool-*"))  # the temporary regrouping file is gone


def test_out_inside_dist_is_refused(tmp_path: Path) -> None:
    people = generate(20, seed=1)
    export = write(people, tmp_path / "x", "shopify")
    policy = tmp_path / "rules.yaml"
    policy.write_text((ROOT / "rules.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = cli("run", "--policy", policy, "--orders", export.orders, "--out", tmp_path / "dist" / "run")
    assert code == 2
    assert "customer data never goes into dist/" in err
    assert not (tmp_path / "dist").exists()
