"""The run's work in chunks that a worker process does on its own: reading orders, and deciding customers.

:func:`parse` reads a chunk of the export's orders (the rows of each order, as the reader grouped them);
:func:`decide` takes a chunk of customers (their rows from the spool and their history from the state
database), applies the per-customer step :func:`otokui.customers.due.plan`, writes each customer's mails
(``.eml``, written before the engine records them), fills their letters, and hands back everything the
engine records: report rows, state rows, letters to print and the checker's findings. Neither touches
the state database or the report: the engine, in the run's own process, does that in order, a chunk at
a time, so the outcome is the same with one process or several.

A worker gets what it needs (:class:`Setup`) from the engine when the pool is forked; without ``fork``
(or for a small export) the same functions run in the run's own process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from otokui.customers import report
from otokui.customers.due import Event, History, Plan, customer_hash, delivered_on, plan
from otokui.customers.records import Customer, RowError, Rows
from otokui.customers.state import EventRow
from otokui.policy.model import Policy

if TYPE_CHECKING:
    from otokui.customers.readers import Group, OrderReader
    from otokui.lint import Finding

#: One customer as the spool hands them to a worker: key, customer record and orders (pickled), history.
Packed = tuple[str, bytes | None, list[bytes], tuple[str | None, set[str], bool]]
#: One order read by a worker: its customer key, date (ISO) and the pickled order.
Parsed = tuple[str, str, bytes]


@dataclass(frozen=True)
class Setup:
    """What every chunk of work needs to know about the run."""

    policy: Policy
    policy_path: Path
    templates_dir: Path
    root: Path
    day: dt.date
    baseline: dt.date
    first_run: bool
    dry_run: bool
    check: bool
    announce_ranks: bool
    reader: OrderReader | None = None
    parent: int = 0  # the run's process: a worker left behind by a killed run stops


@dataclass
class Decided:
    """What a chunk of customers came to, for the engine to record in order."""

    csv: str = ""  # the report's CSV lines (all rows but the letters, which wait for their PDF's name)
    shown: list[report.Row] = field(default_factory=list)  # the same rows, for the HTML report
    dropped: int = 0  # skipped rows left out of ``shown`` (past the HTML report's share)
    letter_rows: list[report.Row] = field(default_factory=list)
    letters: list[tuple[EventRow, str]] = field(default_factory=list)  # (state row once printed, page HTML)
    ranks: list[tuple[str, str, str, str]] = field(default_factory=list)
    ranks_after_print: list[tuple[str, str, str, str]] = field(default_factory=list)  # with a rank letter
    events: list[EventRow] = field(default_factory=list)
    written: Counter[str] = field(default_factory=Counter)
    planned: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    rank_ups: int = 0
    rank_downs: int = 0
    findings: dict[tuple[str, str, str], list[Finding]] = field(default_factory=dict)


_SETUP: Setup | None = None
_TOOLS: dict[str, Any] = {}


def install(setup: Setup) -> None:
    """Make ``setup`` the run's (before the pool is forked, so every worker has it)."""
    global _SETUP
    _SETUP = setup
    _TOOLS.clear()


def _setup() -> Setup:
    assert _SETUP is not None, "work.install() first"
    if _SETUP.parent and os.getppid() != _SETUP.parent and os.getpid() != _SETUP.parent:
        os._exit(1)  # the run that started this worker was killed: write nothing more for it
    return _SETUP


def short(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, readable by the user only (folders too)."""
    if not path.parent.is_dir():
        for folder in reversed((path.parent, *path.parent.parents)):
            if not folder.is_dir():
                folder.mkdir(mode=0o700, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temp, path)


# --------------------------------------------------------------------------- reading


def parse(groups: list[Group]) -> list[Parsed | RowError]:
    """Read a chunk of orders: each as (customer, date, pickled order), or the problem in its rows."""
    reader = _setup().reader
    assert reader is not None
    out: list[Parsed | RowError] = []
    for group in groups:
        item = reader.parse(group)
        if isinstance(item, RowError):
            out.append(item)
        else:
            out.append((item.customer, item.placed.isoformat(), pickle.dumps(item, protocol=5)))
    return out


# --------------------------------------------------------------------------- deciding


def decide(customers: list[Packed]) -> Decided:
    """Plan, write and fill everything due for a chunk of customers (see the module doc)."""
    setup = _setup()
    done = Decided()
    rows: list[report.Row] = []
    for key, customer_data, orders, (rank, keys, invited) in customers:
        _setup()
        customer = pickle.loads(customer_data) if customer_data else Customer(key=key)
        group = Rows(customer, [pickle.loads(o) for o in orders])
        history = History(setup.baseline, setup.first_run, rank, keys, invited)
        step = plan(setup.policy, group, setup.day, history, setup.announce_ranks)
        _apply(setup, step, customer_hash(group.customer.key), done, rows)
    shown = []
    skipped = 0
    for row in rows:
        if row.status == "skipped":
            skipped += 1
            if skipped > report.HTML_SKIPPED:
                done.dropped += 1
                continue
        shown.append(row)
    done.csv, done.shown = report.csv_text(rows), shown
    return done


def _apply(setup: Setup, step: Plan, who: str, done: Decided, rows: list[report.Row]) -> None:
    customer = step.customer
    assert customer is not None
    name, email = customer.name, customer.email
    ranks = setup.policy.membership.ranks
    before_events = len(done.letters)
    rank_row: tuple[str, str, str, str] | None = None
    if step.record_rank and step.rank is not None:
        index = next(i for i, r in enumerate(ranks) if r.id == step.rank)
        before = next((i for i, r in enumerate(ranks) if r.id == step.previous), None)
        since = max((c.date for c in step.changes), default=setup.day)
        if before is not None and index != before:
            up = index > before
            done.rank_ups += up
            done.rank_downs += not up
            why = next((c.why for c in reversed(step.changes)), "")
            why = words(setup, why) if why else ""
            rows.append(
                report.Row(
                    name,
                    email,
                    "",
                    "rank",
                    "changed",
                    since.isoformat(),
                    why,
                    step.orders[-1].tier if step.orders else "",
                    step.orders[-1].count if step.orders else 0,
                    step.rank,
                    f"{step.previous} → {step.rank}",
                    "",
                    "",
                )
            )
        rank_row = (who, step.rank, since.isoformat(), setup.day.isoformat())
    for event in step.events:
        _event(setup, event, step, who, name, email, done, rows)
    if rank_row is not None and not setup.dry_run:
        rank_letter = any(state[2] == "letter:rank_up" for state, _ in done.letters[before_events:])
        # A rank whose letter is still to be printed is recorded with the letter, so that a run killed
        # before the PDF is finished announces it again.
        (done.ranks_after_print if rank_letter else done.ranks).append(rank_row)


def _event(
    setup: Setup, event: Event, step: Plan, who: str, name: str, email: str, done: Decided, rows: list[report.Row]
) -> None:
    policy, day = setup.policy, setup.day
    order_id = event.order.id if event.order else ""
    change = f"{step.previous} → {step.rank}" if event.kind == "rank_up" else ""

    def row(status: str, reason: str, file: str = "") -> report.Row:
        return report.Row(
            name,
            email,
            order_id,
            event.what,
            status,
            event.due.isoformat(),
            reason,
            event.tier,
            event.orders,
            event.rank or "",
            change,
            ",".join(event.notices),
            file,
        )

    def state(status: str, file: str | None = None, message_id: str | None = None) -> EventRow:
        return (event.key, who, event.what, event.due.isoformat(), status, day.isoformat(), file, message_id)

    if event.status == "skipped" or (not event.letter and not email):
        reason = event.reason if event.status == "skipped" else "no_email"
        done.skipped += 1
        rows.append(row("skipped", words(setup, reason, event)))
        if not setup.dry_run:
            done.events.append(state("skipped"))
        return
    if setup.dry_run:
        done.planned[event.what] += 1
        rows.append(row("due", words(setup, event.reason, event)))
        return
    from otokui.customers.mail import locale_for, values_for, variant_for

    locale = locale_for(policy, event.order, step.customer.locale if step.customer else "")
    estimated = delivered_on(policy, event.order) if event.order else None
    variant = variant_for(policy, event, locale, estimated)
    if event.letter:
        writer = _letter_writer(setup)
        if not writer.available:
            return
        html = writer.html(variant, "rank_up" if event.kind == "rank_up" else "thanks", name, email)
        done.letters.append((state("printed"), html))
        done.letter_rows.append(row("printed", words(setup, event.reason, event)))
        return
    mails = _mails(setup)
    mail = mails.render_for(variant, values_for(event.order, name, estimated))
    _lint_once(setup, variant, mail, done)
    from otokui.customers.eml import build_message, message_id

    message = build_message(
        policy,
        key=event.key,
        locale=locale,
        category=variant.category,
        to_name=name,
        to_email=email,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        day=day,
    )
    relative = f"{day.isoformat()}/mail/{event.kind}/{short(event.key)}.eml"
    write_private(setup.root / relative, message.as_bytes())
    done.written[event.kind] += 1
    rows.append(row("written", words(setup, event.reason, event), relative))
    done.events.append(state("written", relative, message_id(policy, event.key)))


def words(setup: Setup, reason: str, event: Event | None = None) -> str:
    """A reason code (:attr:`Event.reason`, a rank change's ``why``) in the shop's words for the report."""
    if "words" not in _TOOLS:
        from otokui.i18n.catalogue import for_policy

        _TOOLS["words"] = for_policy(setup.policy, setup.policy.shop.default_locale)
    return report.say(
        _TOOLS["words"],
        f"run_reason_{reason}",
        date=event.due.isoformat() if event else "",
        days=setup.policy.run.max_late_days,
    )


def _mails(setup: Setup) -> Any:
    if "mails" not in _TOOLS:
        from otokui.customers.mail import MailRenderer
        from otokui.emails.render import Renderer

        _TOOLS["mails"] = MailRenderer(Renderer(setup.policy, setup.templates_dir))
    return _TOOLS["mails"]


def _letter_writer(setup: Setup) -> Any:
    if "letters" not in _TOOLS:
        from otokui.customers.letters import LetterWriter

        _TOOLS["letters"] = LetterWriter(setup.policy, setup.templates_dir, setup.day)
    return _TOOLS["letters"]


def _lint_once(setup: Setup, variant: Any, mail: Any, done: Decided) -> None:
    """Check the first mail of each variant with the guideline checker (the others differ only in values)."""
    if not setup.check:
        return
    marker = (variant.kind, variant.locale, variant.name)
    checked: set[tuple[str, str, str]] = _TOOLS.setdefault("checked", set())
    if marker in checked:
        return
    checked.add(marker)
    from otokui.pipeline import check

    # Only what is wrong in this mail: rules about the policy or the whole build are `build`'s to report.
    policy_file = str(setup.policy_path)
    found = check(_mails(setup).artifacts(variant, mail), setup.policy, None, policy_file, on_policy=False)
    done.findings[marker] = [f for f in found if f.file != policy_file]
