"""The gallery's stylesheet and scripts, served from memory under ``/_preview/``.

Scripts are separate files (never inline) so the gallery's Content Security
Policy can be ``script-src 'self'``. ``gallery.js`` submits the picker form
when a control changes and, when ``/events`` announces a new version, fetches
the page again and swaps its live parts (banner, picker, details, findings)
and the preview frame's address, keeping the frame's scroll position.
``live.js`` is added to member-site pages: it reloads the page when the site
has been rebuilt.
"""

from __future__ import annotations

GALLERY_CSS = """\
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5c5c66; --line: #d8d8de; --bg: #f6f6f8; --accent: #24508f; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, "IPAexGothic", sans-serif; color: var(--ink); background: var(--bg); }
[hidden] { display: none !important; }
a { color: var(--accent); }
.top { display: flex; gap: 1.5rem; align-items: baseline; padding: .6rem 1rem; background: #fff;
  border-bottom: 1px solid var(--line); }
.top h1 { font-size: 1.05rem; margin: 0; }
.site-links a { margin-right: .5rem; }
.live-status { margin-left: auto; color: var(--muted); font-size: .85rem; }
.banner { margin: .75rem 1rem; padding: .5rem 1rem; border: 2px solid #b3261e; border-radius: 6px;
  background: #fdecea; color: #5f0f0a; }
.banner ul { margin: 0; padding-left: 1rem; }
.banner pre { white-space: pre-wrap; margin: .25rem 0 .5rem; font-size: .9rem; }
.layout { display: grid; grid-template-columns: 15rem minmax(0, 1fr) 22rem; gap: 1rem; padding: 1rem; }
.variants { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .5rem;
  max-height: calc(100vh - 6rem); overflow: auto; position: sticky; top: 1rem; }
.variants summary { cursor: pointer; font-weight: 600; padding: .2rem 0; }
.variants .count { color: var(--muted); font-weight: normal; }
.variants h3 { font-size: .8rem; margin: .3rem 0 0 .8rem; color: var(--muted); }
.variants ul { list-style: none; margin: 0; padding: 0 0 0 1.2rem; }
.variants a { text-decoration: none; display: block; padding: 0 .2rem; border-radius: 3px;
  overflow-wrap: anywhere; }
.variants a[aria-current] { background: var(--accent); color: #fff; }
.pick { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; }
.controls, .toggles { display: flex; flex-wrap: wrap; gap: .4rem 1rem; align-items: center; }
.toggles { margin-top: .4rem; }
.toggle { border: 0; margin: 0; padding: 0; display: flex; gap: .5rem; align-items: center; }
.toggle legend { float: left; font-weight: 600; margin-right: .4rem; }
.meta dl { display: grid; grid-template-columns: 6rem minmax(0, 1fr); gap: .1rem .75rem; margin: .75rem 0; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.warn { color: #b3261e; }
.frame-wrap { background: repeating-conic-gradient(#e9e9ee 0 25%, #f4f4f7 0 50%) 0 0 / 16px 16px;
  border: 1px solid var(--line); border-radius: 6px; padding: 1rem; overflow: auto; }
.frame-wrap.scheme-dark { background: #111; }
iframe#preview { display: block; margin: 0 auto; border: 0; height: calc(100vh - 15rem); min-height: 480px;
  background: #fff; box-shadow: 0 0 0 1px rgba(0, 0, 0, .15); }
.scheme-dark iframe#preview { background: #000; }
iframe.w375 { width: 375px; }
iframe.w600 { width: 600px; }
iframe.w800 { width: 800px; }
.findings { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem;
  align-self: start; max-height: calc(100vh - 6rem); overflow: auto; }
.findings h2 { font-size: 1rem; margin: .2rem 0 .5rem; }
.findings .summary { font-weight: normal; color: var(--muted); font-size: .85rem; }
.finding-list { padding-left: 1.2rem; margin: 0; }
.finding { margin-bottom: .6rem; }
.finding .rule { font-family: ui-monospace, monospace; font-weight: 600; }
.finding .level { border-radius: 3px; padding: 0 .3rem; font-size: .8rem; background: #eee; }
.level-error .level { background: #b3261e; color: #fff; }
.level-warning .level { background: #f5c451; color: #1d1d1f; }
.finding .where { color: var(--muted); font-size: .8rem; overflow-wrap: anywhere; }
.finding p { margin: .1rem 0; }
.finding .hint { color: var(--muted); }
.findings .note { color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); padding-top: .4rem; }
.clean { color: #1e6b3a; }
@media (max-width: 1100px) {
  .layout { grid-template-columns: 1fr; }
  .variants { position: static; max-height: 16rem; }
}
"""

GALLERY_JS = """\
"use strict";
(function () {
  var status = document.getElementById("live-status");
  var version = document.body.getAttribute("data-version");
  var busy = false;
  var again = false;

  document.addEventListener("change", function (event) {
    var form = event.target && event.target.form;
    if (form && form.id === "pick") {
      form.submit();
    }
  });

  function keepScroll(frame) {
    var x = 0, y = 0;
    try { x = frame.contentWindow.scrollX; y = frame.contentWindow.scrollY; } catch (e) { return; }
    frame.addEventListener("load", function restore() {
      frame.removeEventListener("load", restore);
      try { frame.contentWindow.scrollTo(x, y); } catch (e) { /* a cross-origin view */ }
    });
  }

  function swap(doc) {
    version = doc.body.getAttribute("data-version");
    document.body.setAttribute("data-version", version);
    document.querySelectorAll("[data-live]").forEach(function (element) {
      var fresh = doc.getElementById(element.id);
      if (fresh) {
        element.replaceWith(document.importNode(fresh, true));
      }
    });
    var frame = document.getElementById("preview");
    var next = doc.getElementById("preview");
    if (!frame || !next) {
      if (frame || next) { location.reload(); }
      return;
    }
    frame.className = next.className;
    frame.setAttribute("width", next.getAttribute("width"));
    frame.setAttribute("title", next.getAttribute("title"));
    if (frame.getAttribute("src") !== next.getAttribute("src")) {
      keepScroll(frame);
      frame.setAttribute("src", next.getAttribute("src"));
    }
  }

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.href, { cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (text) { swap(new DOMParser().parseFromString(text, "text/html")); })
      .catch(function () { status.textContent = "refresh failed"; })
      .finally(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  if (window.EventSource) {
    var source = new EventSource("/events");
    source.addEventListener("version", function (event) {
      status.textContent = "live";
      var data = JSON.parse(event.data);
      if (String(data.version) !== version) { refresh(); }
    });
    source.onerror = function () { status.textContent = "reconnecting…"; };
  }
})();
"""

LIVE_JS = """\
"use strict";
(function () {
  var script = document.currentScript;
  var site = script ? script.getAttribute("data-site") : null;
  if (!window.EventSource) { return; }
  new EventSource("/events").addEventListener("version", function (event) {
    var data = JSON.parse(event.data);
    if (site !== null && data.site && data.site !== site) { location.reload(); }
  });
})();
"""

ASSETS: dict[str, tuple[bytes, str]] = {
    "gallery.css": (GALLERY_CSS.encode("utf-8"), "text/css; charset=utf-8"),
    "gallery.js": (GALLERY_JS.encode("utf-8"), "text/javascript; charset=utf-8"),
    "live.js": (LIVE_JS.encode("utf-8"), "text/javascript; charset=utf-8"),
}
