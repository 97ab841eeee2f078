"""``build.py run``: the shop's exports in, the day's mails, letters and report out.

Data flows one way::

    orders.csv (+ customers.csv) → records → spool, sorted by customer
        → per customer: plan (pure: policy + their rows + their history)
        → .eml files, letters PDF, state rows → report → (optionally) SMTP

Everything that names a customer is written under the run folder (created private to the user, mode
0700): ``DIR/<date>/mail/<kind>/<id>.eml``, ``DIR/<date>/letters-<id>.pdf``, ``DIR/<date>/report.csv``
and ``report.html``. The state database beside the policy holds hashes and dates only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from otokui.customers import report
from otokui.customers.due import Event, History, Plan, customer_hash, delivered_on, plan
from otokui.customers.readers import OrderReader, read_customers
from otokui.customers.records import RowError
from otokui.customers.spool import Spool
from otokui.customers.state import State, state_path
from otokui.errors import UsageError
from otokui.policy.model import Policy

if TYPE_CHECKING:
    from otokui.lint import Finding

Progress = Callable[[int, int], None]
COMMIT_EVERY = 200  # customers per transaction


@dataclass(frozen=True)
class Options:
    orders: Path
    customers: Path | None = None
    day: dt.date | None = None
    out: Path = Path("otokui-run")
    dry_run: bool = False
    send: bool = False
    on_error: str = "skip"  # skip | stop
    announce_ranks: bool = False
    check: bool = True


@dataclass
class Result:
    day: dt.date
    folder: Path
    baseline: bool
    customers: int = 0
    orders: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: Counter[str] = field(default_factory=Counter)
    planned: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    letters: int = 0
    pages: int = 0
    rank_ups: int = 0
    rank_downs: int = 0
    sent: int = 0
    findings: list[Finding] = field(default_factory=list)
    report: Path | None = None
    seconds: float = 0.0

    def summary(self) -> str:
        made = sum(self.written.values())
        parts = [
            f"{self.day.isoformat()}: {self.customers} customers, {self.orders} orders",
            f"{made} mails written"
            if not self.planned
            else f"{sum(self.planned.values())} mails and letters due (dry run)",
            f"{self.letters} letters ({self.pages} pages)",
            f"{self.rank_ups} rank-ups, {self.rank_downs} rank-downs",
            f"{self.skipped} skipped",
        ]
        if self.baseline:
            parts.append("first run: ranks recorded as the baseline")
        if self.sent:
            parts.append(f"{self.sent} sent")
        if self.errors:
            parts.append(f"{len(self.errors)} rows not read")
        if self.findings:
            parts.append(f"{len(self.findings)} checker findings")
        where = f" → {self.report}" if self.report else ""
        return "; ".join(parts) + f" in {self.seconds:.1f} s{where}"


def today(policy: Policy) -> dt.date:
    return dt.datetime.now(ZoneInfo(policy.shop.timezone)).date()


def private_folder(path: Path) -> Path:
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path, 0o700)
    except OSError as exc:
        raise UsageError(f"{path}: cannot create the run folder ({exc.strerror})") from None
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, readable by the user only."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temp, path)


def refuse_public(out: Path, policy_path: Path) -> None:
    """Customer data never goes into the build folder the shop publishes."""
    dist = (policy_path.resolve().parent / "dist").resolve()
    target = out.resolve()
    if target == dist or dist in target.parents:
        raise UsageError(f"--out {out}: customer data never goes into dist/ (the folder the shop publishes)")


def short(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


class Runner:
    def __init__(self, policy: Policy, policy_path: Path, templates_dir: Path, options: Options) -> None:
        self.policy, self.policy_path, self.templates_dir, self.options = policy, policy_path, templates_dir, options
        self.day = options.day or today(policy)
        self.root = options.out
        self.folder = self.root / self.day.isoformat()
        self.mails: Any = None
        self.letter_writer: Any = None
        self.letters: list[tuple[Event, str, Any]] = []
        self.report: report.Writer | None = None
        self.letter_rows: list[report.Row] = []
        self.checked: set[tuple[str, str, str]] = set()
        self.findings: list[Finding] = []

    # ------------------------------------------------------------------ reading

    def read(self, spool: Spool, result: Result) -> None:
        opts = self.options

        def orders() -> Any:
            reader = OrderReader(opts.orders, self.policy.run)
            self.preset = reader.preset.name
            for item in reader:
                if isinstance(item, RowError):
                    if opts.on_error == "stop":
                        raise UsageError(f"{item} (stopped: --on-error stop)")
                    result.errors.append(item)
                    continue
                result.orders += 1
                yield item

        spool.add_orders(orders())
        if opts.customers is not None:

            def customers() -> Any:
                for item in read_customers(opts.customers, self.policy.run, self.preset):  # type: ignore[arg-type]
                    if isinstance(item, RowError):
                        if opts.on_error == "stop":
                            raise UsageError(f"{item} (stopped: --on-error stop)")
                        result.errors.append(item)
                        continue
                    yield item

            spool.add_customers(customers())

    # ------------------------------------------------------------------ the run

    def run(self, progress: Progress | None = None) -> Result:
        started = time.perf_counter()
        refuse_public(self.root, self.policy_path)
        private_folder(self.root)
        private_folder(self.folder)
        state = None if self.options.dry_run else State(state_path(self.policy_path))
        baseline = (state.baseline() if state else None) or self.day
        if state:
            state.set_baseline(baseline)
        first_run = baseline == self.day
        result = Result(self.day, self.folder, first_run)
        spool = Spool(self.root)
        self.report = report.Writer(self.folder)
        try:
            self.read(spool, result)
            total = spool.customers()
            result.customers = total
            if not self.options.dry_run:
                from otokui.customers.letters import LetterWriter
                from otokui.customers.mail import MailRenderer
                from otokui.emails.render import Renderer

                self.mails = MailRenderer(Renderer(self.policy, self.templates_dir))
                self.letter_writer = LetterWriter(self.policy, self.templates_dir, self.day)
            if state:
                state.begin()
            for index, rows in enumerate(spool.groups(), start=1):
                who = customer_hash(rows.customer.key)
                rank, done, invited = state.customer(who) if state else (None, set(), False)
                history = History(baseline, first_run, rank, done, invited)
                step = plan(self.policy, rows, self.day, history, self.options.announce_ranks)
                self.apply(step, who, state, result)
                if state and index % COMMIT_EVERY == 0:
                    state.commit()
                    state.begin()
                if progress and (index % 500 == 0 or index == total):
                    progress(index, total)
            if state:
                state.commit()
            self.print_letters(state, result)
            self.write_report(result)
            if self.options.send and state:
                from otokui.customers.smtp import send_pending

                if self.policy.run.smtp is None:
                    raise UsageError("--send: rules.yaml has no run.smtp settings (host, port, username, password_env)")
                result.sent = send_pending(state, self.root, self.policy.run.smtp)
        except BaseException:
            self.report.abandon()
            raise
        finally:
            spool.close()
            if state:
                state.close()
        result.seconds = time.perf_counter() - started
        return result

    # ------------------------------------------------------------------ one customer

    def apply(self, step: Plan, who: str, state: State | None, result: Result) -> None:
        customer = step.customer
        assert customer is not None
        name, email = customer.name, customer.email
        ranks = self.policy.membership.ranks
        if step.record_rank and step.rank is not None:
            index = next(i for i, r in enumerate(ranks) if r.id == step.rank)
            before = next((i for i, r in enumerate(ranks) if r.id == step.previous), None)
            since = max((c.date for c in step.changes), default=self.day)
            if before is not None and index != before:
                up = index > before
                result.rank_ups += up
                result.rank_downs += not up
                why = next((c.why for c in reversed(step.changes)), "")
                self.add(
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
            if state:
                state.record_rank(who, step.rank, since, self.day)
        for event in step.events:
            self.event(event, step, who, name, email, state, result)

    def event(
        self, event: Event, step: Plan, who: str, name: str, email: str, state: State | None, result: Result
    ) -> None:
        order_id = event.order.id if event.order else ""
        change = f"{step.previous} → {step.rank}" if event.kind == "rank_up" else ""

        def row(status: str, reason: str, file: str = "") -> None:
            self.add(
                report.Row(
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
            )

        if event.status == "skipped" or (not event.letter and not email):
            reason = event.reason if event.status == "skipped" else "no e-mail address"
            result.skipped += 1
            row("skipped", reason)
            if state:
                state.record_event(event.key, who, event.what, event.due, "skipped", self.day)
            return
        if self.options.dry_run:
            result.planned[event.what] += 1
            row("due", event.reason)
            return
        from otokui.customers.mail import locale_for, values_for, variant_for

        locale = locale_for(self.policy, event.order, step.customer.locale if step.customer else "")
        estimated = delivered_on(self.policy, event.order) if event.order else None
        variant = variant_for(self.policy, event, locale, estimated)
        if event.letter:
            if not self.letter_writer.available:
                return
            html = self.letter_writer.html(variant, "rank_up" if event.kind == "rank_up" else "thanks", name, email)
            from otokui.customers.letters import Letter

            self.letters.append((event, who, Letter(event.key, locale, html)))
            row("printed", event.reason)
            return
        mail = self.mails.render_for(variant, values_for(event.order, name, estimated))
        self.lint_once(variant, mail)
        from otokui.customers.eml import build_message, message_id

        message = build_message(
            self.policy,
            key=event.key,
            locale=locale,
            category=variant.category,
            to_name=name,
            to_email=email,
            subject=mail.subject,
            text=mail.text,
            html=mail.html,
            day=self.day,
        )
        relative = f"{self.day.isoformat()}/mail/{event.kind}/{short(event.key)}.eml"
        write_private(self.root / relative, message.as_bytes())
        result.written[event.kind] += 1
        row("written", event.reason, relative)
        if state:
            state.record_event(
                event.key, who, event.what, event.due, "written", self.day, relative, message_id(self.policy, event.key)
            )

    def lint_once(self, variant: Any, mail: Any) -> None:
        """Check the first mail of each variant with the guideline checker (the others differ only in values)."""
        if not self.options.check:
            return
        marker = (variant.kind, variant.locale, variant.name)
        if marker in self.checked:
            return
        self.checked.add(marker)
        from otokui.pipeline import check

        # Only what is wrong in this mail: rules about the policy or the whole build are `build`'s to report.
        policy_file = str(self.policy_path)
        found = check(self.mails.artifacts(variant, mail), self.policy, None, policy_file, on_policy=False)
        self.findings.extend(f for f in found if f.file != policy_file)

    # ------------------------------------------------------------------ letters and report

    def print_letters(self, state: State | None, result: Result) -> None:
        if not self.letters:
            return
        from otokui.customers.letters import print_pdf

        keys = "\n".join(letter.key for _, _, letter in self.letters)
        name = f"letters-{short(keys)[:12]}.pdf"
        from urllib.parse import urlsplit

        host = urlsplit(str(self.policy.shop.url)).hostname or ""
        result.pages = print_pdf([letter for _, _, letter in self.letters], self.folder / name, host)
        os.chmod(self.folder / name, 0o600)
        result.letters = len(self.letters)
        if state:
            state.begin()
            for event, who, _ in self.letters:
                state.record_event(
                    event.key, who, event.what, event.due, "printed", self.day, f"{self.day.isoformat()}/{name}"
                )
            state.commit()
        shown = f"{self.day.isoformat()}/{name}"
        for row in self.letter_rows:
            self.add(dataclasses.replace(row, file=shown))
        self.letter_rows.clear()

    def add(self, row: report.Row) -> None:
        """One row of the report; letters wait for their PDF's name."""
        if row.status == "printed" and not row.file:
            self.letter_rows.append(row)
        elif self.report is not None:
            self.report.add(row)

    def write_report(self, result: Result) -> None:
        assert self.report is not None
        result.findings = list(self.findings)
        for row in self.letter_rows:  # letters that were not printed (no letter template)
            self.report.add(row)
        title = f"{self.policy.shop.name.get(self.policy.shop.default_locale)} — {self.day.isoformat()}"
        result.report = self.report.finish(title, result.summary())


def run(
    policy: Policy, policy_path: Path, templates_dir: Path, options: Options, progress: Progress | None = None
) -> Result:
    """Run the day for the shop (see the module doc)."""
    return Runner(policy, policy_path, templates_dir, options).run(progress)
