"""Rendered layout: an HTML output laid out by headless Chromium at a given width, and what does not fit.

``check --render`` uses it (rule OT1501). Each document is loaded once into one page of one
browser per process (Debian's Chromium, :mod:`otokui.browser`, driven by Python playwright);
nothing outside the document is fetched (remote images and fonts are refused, as an offline
mail client would), and its scripts do not run. At each width the page reports:

- ``overflow``: the page is wider than the viewport, and the outermost elements that stick out
  past its right edge (a fixed-width ``<table width="600">`` at 375 px);
- ``image``: an image laid out wider than the viewport;
- ``cut``: an element that hides part of its own text (``overflow: hidden`` on a box too small
  for it, ``text-overflow: ellipsis``, a fixed ``height``).

Every element carries the offset of its start tag in the source (added as a ``data-`` attribute
before loading), so a problem is reported at the element's line and column.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from otokui.browser import CHROMIUM, CHROMIUM_ARGS

MARK = "data-otokui-at"
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")

#: Measures the laid-out page; returns [kind, offset, tag, detail, pixels] per problem.
_MEASURE_JS = """
(limit) => {
  const width = window.innerWidth;
  const out = [];
  const at = (e) => { const v = e.getAttribute && e.getAttribute('%(mark)s'); return v === null ? -1 : +v; };
  const hidden = (e) => { const s = getComputedStyle(e); return s.display === 'none' || s.visibility === 'hidden'; };
  const page = document.scrollingElement || document.documentElement;
  if (page.scrollWidth > width + 1) {
    const sticking = [];
    for (const e of document.body ? document.body.querySelectorAll('*') : []) {
      if (hidden(e)) continue;
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.right <= width + 1 || e.tagName === 'IMG') continue;  // images: below
      let p = e.parentElement, inside = false;
      while (p && p !== document.body) {
        if (sticking.includes(p)) { inside = true; break; }
        const s = getComputedStyle(p);
        if (s.overflowX !== 'visible') { inside = true; break; }
        p = p.parentElement;
      }
      if (!inside) sticking.push(e);
    }
    for (const e of sticking.slice(0, limit)) {
      const r = e.getBoundingClientRect();
      out.push(['overflow', at(e), e.tagName.toLowerCase(), '', Math.round(r.right - width)]);
    }
    if (!sticking.length) out.push(['overflow', -1, 'html', '', page.scrollWidth - width]);
  }
  for (const img of document.images) {
    if (hidden(img)) continue;
    const r = img.getBoundingClientRect();
    const src = img.getAttribute('data-otokui-src') || img.getAttribute('src') || '';
    if (r.width > width + 1) out.push(['image', at(img), 'img', src, Math.round(r.width)]);
  }
  let cut = 0;
  for (const e of document.body ? document.body.querySelectorAll('*') : []) {
    if (cut >= limit) break;
    if (hidden(e) || !e.textContent.trim()) continue;
    const s = getComputedStyle(e);
    const clipsX = s.overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 1;
    const clipsY = s.overflowY !== 'visible' && e.scrollHeight > e.clientHeight + 1;
    const ellipsis = s.textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1;
    if (!(clipsX || clipsY || ellipsis)) continue;
    if (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowY === 'auto' || s.overflowY === 'scroll') {
      if (!ellipsis) continue;  // the reader can scroll it
    }
    const hiddenPx = Math.max(e.scrollWidth - e.clientWidth, e.scrollHeight - e.clientHeight);
    const words = e.textContent.trim();
    out.push(['cut', at(e), e.tagName.toLowerCase(), words.length > 40 ? words.slice(0, 40) + '…' : words, hiddenPx]);
    cut++;
  }
  return out;
}
""".replace("%(mark)s", MARK)


class LayoutUnavailable(RuntimeError):
    """Chromium or playwright cannot be used here; the message says why and what to install."""


@dataclass(frozen=True)
class Problem:
    """One thing that does not fit at one width."""

    kind: str  # overflow, image, cut
    width: int  # the viewport width, in CSS pixels
    offset: int | None  # the element's start tag in the source, when known
    tag: str
    detail: str  # an image's src, the start of the cut text
    pixels: int  # how far it sticks out, how wide the image is, how much text is hidden


def unavailable() -> str | None:
    """Why pages cannot be rendered here (no Chromium, no playwright), or None when they can."""
    if not os.path.exists(CHROMIUM):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set OTOKUI_CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python playwright is not installed (pip install playwright)"
    return None


def marked(source: str) -> str:
    """``source`` as it is laid out: the offset of each start tag written into it as an attribute,
    and each remote image replaced by a blank one (which takes the size its attributes and styles
    give it, as the real image would), its address kept for the report."""
    out: list[str] = []
    last = 0
    for match in _START_TAG.finditer(source):
        end = match.end()
        out.append(source[last:end])
        out.append(f' {MARK}="{match.start()}"')
        last = end
        if match.group(1).lower() == "img":
            tag_end = source.find(">", end)
            if tag_end < 0:
                continue
            out.append(_IMG_SRC.sub(_blank_image, source[end:tag_end]))
            last = tag_end
    out.append(source[last:])
    return "".join(out)


#: A 1×1 transparent GIF: laid out at the width and height the element gives it.
BLANK = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
_IMG_SRC = re.compile(r"""(\ssrc\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)


def _blank_image(match: re.Match[str]) -> str:
    value = match.group(2).strip("\"'")
    if value.startswith("data:"):
        return match.group()
    quoted = value.replace("&", "&amp;").replace('"', "&quot;")
    return f'{match.group(1)}"{BLANK}" data-otokui-src="{quoted}"'


class _Session:
    """One browser and one page for this process, started on first use and closed at exit."""

    def __init__(self) -> None:
        reason = unavailable()
        if reason:
            raise LayoutUnavailable(reason)
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = self.browser.new_context(offline=True)
        context.route("**/*", _only_inline)
        self.page = context.new_page()
        atexit.register(self.close)

    def close(self) -> None:
        try:
            self.browser.close()
            self._playwright.stop()
        except Exception:  # already gone at exit
            pass


def _only_inline(route: Any) -> None:
    """Nothing outside the document is fetched: remote images, fonts and styles are refused."""
    if route.request.url.startswith("data:"):
        route.continue_()
    else:
        route.abort()


_SESSION: list[_Session] = []
#: The thread that owns the browser. Playwright's sync API refuses to run in a thread with a running
#: asyncio loop (a preview server, a notebook, a test session's browser), so every layout is done in
#: this one thread of its own, whatever thread asks.
_THREAD: list[concurrent.futures.ThreadPoolExecutor] = []


def _session() -> _Session:
    if not _SESSION:
        _SESSION.append(_Session())
    return _SESSION[0]


def _in_browser_thread(work: Callable[[], list[Problem]]) -> list[Problem]:
    if not _THREAD:
        _THREAD.append(concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="otokui-layout"))
    return _THREAD[0].submit(work).result()


def measure(source: str, widths: tuple[int, ...], limit: int = 5) -> list[Problem]:
    """What does not fit when ``source`` is laid out at each of ``widths`` (CSS pixels).

    Raises :class:`LayoutUnavailable` when Chromium or playwright is missing.
    """
    return _in_browser_thread(lambda: _measure(source, widths, limit))


def _measure(source: str, widths: tuple[int, ...], limit: int) -> list[Problem]:
    page: Any = _session().page
    # Scripts in the document do not run: a mail client never runs them either.
    page.set_content(_without_scripts(marked(source)), wait_until="load")
    problems: list[Problem] = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 800})
        for kind, offset, tag, detail, pixels in page.evaluate(_MEASURE_JS, limit):
            problems.append(Problem(kind, width, offset if offset >= 0 else None, tag, str(detail), int(pixels)))
    return problems


_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)


def _without_scripts(source: str) -> str:
    return _SCRIPT.sub("", source)
