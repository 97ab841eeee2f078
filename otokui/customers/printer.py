"""Printing the day's letters while the run goes on: Chromium in a process of its own, pages saved as they come.

:class:`Printer` takes each letter (its page HTML) as soon as it is filled and hands it to a headless
Chromium driven from a process of its own, so the browser (two prints at a time) prints while the run
decides and writes the next customers' mails. Consecutive horizontal letters of one template, language
and style are set one after another in one document (up to :data:`BATCH`, each on a page of its own)
and printed at once: the pages are the same pixels as each letter printed alone, for a fraction of the
browser's time. The printed pages are appended to the PDF on disk every
:data:`FLUSH_PAGES` pages (an incremental update of the file), so memory does not grow with the number
of letters. :meth:`Printer.finish` waits for the last page and moves the file to
its name; an error in the browser is raised there, as a :class:`~otokui.errors.BuildError`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import re
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from otokui.browser import CHROMIUM, CHROMIUM_ARGS
from otokui.errors import BuildError

#: Pages held in memory before they are appended to the file on disk.
FLUSH_PAGES = 40
#: Letters printed at once (Chromium prints each on its own renderer process).
PAGES = 2


class _Images(HTMLParser):
    """The ``src`` of every ``<img>`` of a letter (the template's images, from the policy)."""

    def __init__(self) -> None:
        super().__init__()
        self.sources: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources.update(value for name, value in attrs if name == "src" and value)


def _sources(html: str) -> set[str]:
    parser = _Images()
    parser.feed(html)
    parser.close()
    return parser.sources


#: Letters set one after another in a single document and printed at once (horizontal letters of one
#: template and locale): one layout and one font embedding for several pages instead of one each.
BATCH = 12
_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)


def _split(html: str) -> tuple[str, str, str] | None:
    """(head, body, tail) of a letter that can share a document with others, else ``None``.

    Letters share a document when everything around their ``<body>`` is the same but the title; a
    letter set top to bottom (``writing-mode: vertical-rl``) is printed on its own.
    """
    start = html.find("<body>")
    end = html.rfind("</body>")
    if start < 0 or end < start or "vertical-rl" in html[:start]:
        return None
    return _TITLE.sub("", html[:start]), html[start + len("<body>") : end], html[end:]


def _together(letters: list[str]) -> str:
    """One document of ``letters`` (split by :func:`_split` alike), each starting on a page of its own."""
    parts = [part for part in map(_split, letters) if part is not None]
    head, _, tail = parts[0]
    pages = "".join(
        f'<div style="break-before: page">{body}</div>' if n else f"<div>{body}</div>"
        for n, (_, body, _) in enumerate(parts)
    )
    return f"{head}<body>{pages}{tail}"


def check_available() -> None:
    """Raise :class:`BuildError` when letters cannot be printed here (no playwright, no Chromium)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise BuildError("printing letters needs Python playwright (pip install playwright)") from None
    if not Path(CHROMIUM).exists():
        raise BuildError(f"printing letters needs Chromium at {CHROMIUM} (apt-get install chromium)")


class Printer:
    """One PDF of letters, one letter per page, printed in the background in the order they are added."""

    def __init__(self, folder: Path, allowed_host: str = "") -> None:
        self.host = allowed_host
        self.temp = folder / f".letters-{os.getpid()}.pdf.tmp"
        self.process: subprocess.Popen[bytes] | None = None
        # Letters wait here (a few kilobytes each) and a thread hands them on, so the run never waits
        # for the browser to catch up.
        self.waiting: queue.Queue[bytes] = queue.Queue()
        self.feeder: threading.Thread | None = None

    def add(self, html: str) -> None:
        if self.process is None:
            # A process of its own: the browser's messages and the PDF pages are handled there, beside
            # the run's work rather than in its way. It ends when its input does, so a killed run takes
            # it (and its Chromium) along.
            import otokui

            env = dict(os.environ)
            home = str(Path(otokui.__file__).resolve().parents[1])
            env["PYTHONPATH"] = os.pathsep.join(p for p in (home, env.get("PYTHONPATH", "")) if p)
            command = [sys.executable, "-m", "otokui.customers.printer", str(self.temp), self.host]
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
            self.feeder = threading.Thread(target=self._feed, name="otokui-letters", daemon=True)
            self.feeder.start()
        self.waiting.put(html.encode("utf-8"))

    def finish(self, target: Path) -> int:
        """Wait for the last page, then move the PDF to ``target``. The number of pages."""
        if self.process is None:
            return 0
        self.waiting.put(b"")
        assert self.feeder is not None
        self.feeder.join()
        assert self.process.stdin is not None and self.process.stdout is not None
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        said = self.process.stdout.read().decode("utf-8", "replace").strip()
        self.process.wait()
        self.process = None
        if not said.startswith("ok "):
            self.temp.unlink(missing_ok=True)
            raise BuildError(said or "the letters could not be printed (the printer stopped)")
        os.chmod(self.temp, 0o600)
        os.replace(self.temp, target)
        return int(said.split()[1])

    def abandon(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.waiting.put(b"")
            self.process.wait()
            self.process = None
        self.temp.unlink(missing_ok=True)

    def _feed(self) -> None:
        assert self.process is not None and self.process.stdin is not None
        stream = self.process.stdin
        while True:
            data = self.waiting.get()
            try:
                stream.write(len(data).to_bytes(8, "big") + data)
                stream.flush()
            except OSError:
                pass  # the printer stopped; finish() says why
            if not data:
                return


# --------------------------------------------------------------------------- the printing process


def _next(stream: BinaryIO) -> str | None:
    """The next letter from the run, or ``None`` at the end."""
    head = stream.read(8)
    if len(head) < 8:
        raise _Orphaned  # the run is gone (killed): print nothing more
    size = int.from_bytes(head, "big")
    return stream.read(size).decode("utf-8") if size else None


class _Orphaned(Exception):
    """The run that started the printer is gone."""


def main(argv: list[str]) -> int:
    """The printer process: print each letter from standard input, then say how it went on standard output."""
    temp, host = Path(argv[0]), argv[1] if len(argv) > 1 else ""
    try:
        check_available()
        pages = asyncio.run(_print_all(sys.stdin.buffer, temp, host))
        sys.stdout.write(f"ok {pages}\n")
        return 0
    except _Orphaned:
        temp.unlink(missing_ok=True)
        return 1
    except BuildError as exc:
        sys.stdout.write(f"{exc}\n")
    except Exception as exc:
        sys.stdout.write(f"Chromium could not print the letters: {exc}\n")
    return 1


async def _print_all(letters: BinaryIO, temp: Path, host: str) -> int:
    """Print the letters as they come, on a few pages at once (each page its own renderer process)."""
    import pypdfium2 as pdfium
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import async_playwright

    sources: set[str] = set()  # the images of the letters printed so far

    async def only(route: Any) -> None:
        url = route.request.url
        remote = url.startswith(("http:", "https:"))
        if remote and url not in sources and (not host or urlsplit(url).hostname != host):
            await route.abort()
        else:
            await route.continue_()

    async def one(page: Any, html: str) -> bytes:
        await page.set_content(html, wait_until="load")
        data: bytes = await page.pdf(prefer_css_page_size=True, print_background=True)
        return data

    loop = asyncio.get_running_loop()
    book = _Book(pdfium, temp)
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                pages = []
                for _ in range(PAGES):
                    context = await browser.new_context()
                    await context.route("**/*", only)
                    pages.append(await context.new_page())
                # One reader hands the letters out in order; each page prints the next one free; the
                # book takes the pages back in the order the letters came.
                todo: asyncio.Queue[tuple[int, str] | None] = asyncio.Queue(maxsize=2 * len(pages))
                printed: dict[int, bytes] = {}

                async def read() -> None:
                    index = 0
                    batch: list[str] = []  # letters that can share one document
                    shape: tuple[str, str] | None = None

                    async def send() -> None:
                        nonlocal index, batch, shape
                        if batch:
                            await todo.put((index, batch[0] if len(batch) == 1 else _together(batch)))
                            index += 1
                        batch, shape = [], None

                    while (html := await loop.run_in_executor(None, _next, letters)) is not None:
                        sources.update(_sources(html))
                        parts = _split(html)
                        if parts is None:
                            await send()
                            batch = [html]
                            await send()
                            continue
                        if shape is not None and (parts[0], parts[2]) != shape:
                            await send()
                        batch.append(html)
                        shape = (parts[0], parts[2])
                        if len(batch) >= BATCH:
                            await send()
                    await send()
                    for _ in pages:
                        await todo.put(None)

                async def work(page: Any) -> None:
                    while (item := await todo.get()) is not None:
                        printed[item[0]] = await one(page, item[1])
                        book.take(printed)

                await asyncio.gather(read(), *map(work, pages))
            finally:
                await browser.close()
    except PlaywrightError as exc:
        raise BuildError(f"Chromium could not print the letters: {exc}") from None
    book.flush()
    return book.pages


class _Book:
    """The PDF on disk, pages appended :data:`FLUSH_PAGES` at a time as incremental updates."""

    def __init__(self, pdfium: Any, path: Path) -> None:
        self.pdfium, self.path = pdfium, path
        self.pending: list[bytes] = []
        self.pages = 0
        self.taken = 0  # printed documents (one letter, or several set together) moved into the book

    def take(self, printed: dict[int, bytes]) -> None:
        """Move the documents that are next in order from ``printed`` into the book."""
        while self.taken in printed:
            self.pending.append(printed.pop(self.taken))
            self.taken += 1
        if len(self.pending) * BATCH >= FLUSH_PAGES:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        pdfium = self.pdfium
        fresh = self.pages == 0
        document = pdfium.PdfDocument.new() if fresh else pdfium.PdfDocument(self.path)
        staged = self.path.with_name(self.path.name + ".new")
        try:
            for data in self.pending:
                one = pdfium.PdfDocument(data)
                document.import_pages(one)
                one.close()
            fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                document.save(handle, flags=0 if fresh else pdfium.raw.FPDF_INCREMENTAL)
            self.pages = len(document)
        finally:
            document.close()
        os.replace(staged, self.path)
        self.pending.clear()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
