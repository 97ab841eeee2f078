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
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from otokui.customers import report, work
from otokui.customers.due import customer_hash
from otokui.customers.printer import Printer
from otokui.customers.readers import OrderReader, read_customers
from otokui.customers.records import RowError
from otokui.customers.spool import Spool
from otokui.customers.state import EventRow, State, state_path
from otokui.customers.work import short
from otokui.errors import UsageError
from otokui.policy.model import Policy

if TYPE_CHECKING:
    from otokui.lint import Finding

Progress = Callable[[int, int], None]
T = TypeVar("T")

#: Orders per chunk a worker reads; customers per chunk a worker decides (one transaction each).
PARSE_CHUNK = 2000
MIN_CHUNK, MAX_CHUNK = 50, 500
#: State rows per transaction (each chunk's mails are on disk before its rows are committed).
COMMIT_ROWS = 20000
#: Below this size of the order export, worker processes cost more than they save.
PARALLEL_BYTES = 512 * 1024


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
    words: Mapping[str, str] = field(default_factory=dict)  # the catalogue the summary is said in

    def summary(self, words: Mapping[str, str]) -> str:
        """The summary line, in the words of the catalogue (``run_summary_*``)."""

        def say(key: str, **values: str | int) -> str:
            return report.say(words, f"run_summary_{key}", **values)

        made = sum(self.written.values())
        parts = [
            say("head", day=self.day.isoformat(), customers=self.customers, orders=self.orders),
            say("written", count=made) if not self.planned else say("dry_run", count=sum(self.planned.values())),
            say("letters", letters=self.letters, pages=self.pages),
            say("ranks", ups=self.rank_ups, downs=self.rank_downs),
            say("skipped", count=self.skipped),
        ]
        if self.baseline:
            parts.append(say("baseline"))
        if self.sent:
            parts.append(say("sent", count=self.sent))
        if self.errors:
            parts.append(say("errors", count=len(self.errors)))
        if self.findings:
            parts.append(say("findings", count=len(self.findings)))
        where = f" → {self.report}" if self.report else ""
        return say("sep").join(parts) + say("time", seconds=f"{self.seconds:.1f}") + where


def today(policy: Policy) -> dt.date:
    return dt.datetime.now(ZoneInfo(policy.shop.timezone)).date()


def private_folder(path: Path) -> Path:
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path, 0o700)
    except OSError as exc:
        raise UsageError(f"{path}: cannot create the run folder ({exc.strerror})") from None
    return path


def refuse_public(out: Path, policy_path: Path) -> None:
    """Customer data never goes into the build folder the shop publishes."""
    dist = (policy_path.resolve().parent / "dist").resolve()
    target = out.resolve()
    if target == dist or dist in target.parents:
        raise UsageError(f"--out {out}: customer data never goes into dist/ (the folder the shop publishes)")


class Runner:
    def __init__(self, policy: Policy, policy_path: Path, templates_dir: Path, options: Options) -> None:
        self.policy, self.policy_path, self.templates_dir, self.options = policy, policy_path, templates_dir, options
        self.day = options.day or today(policy)
        self.root = options.out
        self.folder = self.root / self.day.isoformat()
        self.report: report.Writer | None = None
        self.printer: Printer | None = None
        self.printed: list[EventRow] = []  # letters sent to the printer, recorded once the PDF is done
        self.ranks_after_print: list[tuple[str, str, str, str]] = []
        self.letter_rows: list[report.Row] = []
        self.checked: set[tuple[str, str, str]] = set()
        self.findings: list[Finding] = []
        self.pool: Any = None
        self.workers = 1
        self.uncommitted = 0
        self.preset = ""
        from otokui.i18n.catalogue import for_policy

        self.words = for_policy(policy, policy.shop.default_locale)  # the report's words

    # ------------------------------------------------------------------ workers

    def map(self, function: Callable[[Any], Any], chunks: Iterable[Any]) -> Iterator[Any]:
        """``function`` over ``chunks``, results in order: in the worker processes when there are some.

        At most a few chunks are in flight, so memory stays flat; the chunks are produced here, in the
        run's own thread, which alone reads the spool and the state database.
        """
        if self.pool is None:
            yield from map(function, chunks)
            return
        pending: deque[Any] = deque()
        window = 2 * self.workers
        for chunk in chunks:
            pending.append(self.pool.apply_async(function, (chunk,)))
            if len(pending) >= window:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

    def start_workers(self, size: int) -> None:
        """Fork the worker processes (after :func:`work.install`), when the export is worth it."""
        wanted = self.policy.build.workers or os.cpu_count() or 1
        self.workers = max(1, wanted)
        if self.workers < 2 or size < PARALLEL_BYTES:
            return
        import multiprocessing

        if "fork" not in multiprocessing.get_all_start_methods():
            return
        self.pool = multiprocessing.get_context("fork").Pool(self.workers)

    # ------------------------------------------------------------------ reading

    def read(self, reader: OrderReader, spool: Spool, result: Result) -> None:
        opts = self.options

        def kept(items: Iterable[Any]) -> Iterator[Any]:
            for item in items:
                if isinstance(item, RowError):
                    if opts.on_error == "stop":
                        raise UsageError(f"{item} (stopped: --on-error stop)")
                    result.errors.append(item)
                    continue
                yield item

        def parsed() -> Iterator[work.Parsed]:
            for chunk in self.map(work.parse, batched(reader.groups(), PARSE_CHUNK)):
                for item in kept(chunk):
                    result.orders += 1
                    yield item

        spool.add_parsed(parsed())
        if opts.customers is not None:
            spool.add_customers(kept(read_customers(opts.customers, self.policy.run, self.preset)))

    def packed(self, spool: Spool, state: State | None, size: int) -> Iterator[list[work.Packed]]:
        """The spool's customers in chunks, each customer with their history from the state database."""
        for chunk in batched(spool.packed_groups(), size):
            whos = [customer_hash(key) for key, _, _ in chunk]
            known = state.customers(whos) if state else {}
            empty: tuple[str | None, set[str], bool] = (None, set(), False)
            pairs = zip(chunk, whos, strict=True)
            yield [(key, data, orders, known.get(who, empty)) for (key, data, orders), who in pairs]

    # ------------------------------------------------------------------ the run

    def run(self, progress: Progress | None = None) -> Result:
        started = time.perf_counter()
        refuse_public(self.root, self.policy_path)
        private_folder(self.root)
        private_folder(self.folder)
        reader = OrderReader(self.options.orders, self.policy.run)
        self.preset = reader.preset.name
        state = None if self.options.dry_run else State(state_path(self.policy_path))
        baseline = (state.baseline() if state else None) or self.day
        if state:
            state.set_baseline(baseline)
        first_run = baseline == self.day
        result = Result(self.day, self.folder, first_run, words=self.words)
        spool = Spool(self.root)
        self.report = report.Writer(self.folder, self.words, self.policy.shop.default_locale)
        host = urlsplit(str(self.policy.shop.url)).hostname or ""
        self.printer = Printer(self.folder, host)
        work.install(
            work.Setup(
                self.policy,
                self.policy_path,
                self.templates_dir,
                self.root,
                self.day,
                baseline,
                first_run,
                self.options.dry_run,
                self.options.check,
                self.options.announce_ranks,
                reader,
                os.getpid(),
            )
        )
        try:
            self.start_workers(self.options.orders.stat().st_size)
            self.read(reader, spool, result)
            total = spool.customers()
            result.customers = total
            size = max(MIN_CHUNK, min(MAX_CHUNK, total // (8 * self.workers) or 1))
            index = 0
            for decided in self.map(work.decide, self.packed(spool, state, size)):
                self.take(decided, state, result)
                index = min(total, index + size)
                if progress:
                    progress(index, total)
            self.close_workers()
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
            self.printer.abandon()
            raise
        finally:
            self.close_workers()
            reader.close()
            spool.close()
            if state:
                state.close()
        result.seconds = time.perf_counter() - started
        return result

    def close_workers(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None

    def take(self, decided: work.Decided, state: State | None, result: Result) -> None:
        """Record one chunk's outcome: the mails it wrote (their files are on disk already), its report rows."""
        assert self.report is not None and self.printer is not None
        if state:
            state.begin()
            state.record_ranks(decided.ranks)
            state.record_events(decided.events)
            self.uncommitted += len(decided.events) + len(decided.ranks)
            if self.uncommitted >= COMMIT_ROWS:
                state.commit()
                self.uncommitted = 0
        self.report.add_formatted(decided.csv, decided.shown, decided.dropped)
        self.letter_rows.extend(decided.letter_rows)
        self.ranks_after_print.extend(decided.ranks_after_print)
        for row, html in decided.letters:
            self.printed.append(row)
            self.printer.add(html)
        for marker, found in decided.findings.items():
            if marker not in self.checked:
                self.checked.add(marker)
                self.findings.extend(found)
        result.written.update(decided.written)
        result.planned.update(decided.planned)
        result.skipped += decided.skipped
        result.rank_ups += decided.rank_ups
        result.rank_downs += decided.rank_downs

    # ------------------------------------------------------------------ letters and report

    def print_letters(self, state: State | None, result: Result) -> None:
        assert self.report is not None and self.printer is not None
        if not self.printed:
            if state and self.ranks_after_print:
                state.begin()
                state.record_ranks(self.ranks_after_print)
                state.commit()
            return
        keys = "\n".join(row[0] for row in self.printed)
        name = f"letters-{short(keys)[:12]}.pdf"
        shown = f"{self.day.isoformat()}/{name}"
        result.pages = self.printer.finish(self.folder / name)
        result.letters = len(self.printed)
        if state:
            state.begin()
            state.record_events((*row[:6], shown, None) for row in self.printed)
            state.record_ranks(self.ranks_after_print)
            state.commit()
        rows = [dataclasses.replace(row, file=shown) for row in self.letter_rows]
        self.report.add_formatted(report.csv_text(rows), rows, 0)
        self.letter_rows.clear()

    def write_report(self, result: Result) -> None:
        assert self.report is not None
        result.findings = list(self.findings)
        if self.letter_rows:  # letters that were not printed
            self.report.add_formatted(report.csv_text(self.letter_rows), self.letter_rows, 0)
        title = f"{self.policy.shop.name.get(self.policy.shop.default_locale)} — {self.day.isoformat()}"
        result.report = self.report.finish(title, result.summary(self.words))


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run(
    policy: Policy, policy_path: Path, templates_dir: Path, options: Options, progress: Progress | None = None
) -> Result:
    """Run the day for the shop (see the module doc)."""
    return Runner(policy, policy_path, templates_dir, options).run(progress)
