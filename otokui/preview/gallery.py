"""The gallery page: every email kind, a variant picked by kind, locale, tier, rank and notices.

The page is rendered on the server from the query string
(``/?kind=rank_up&locale=en&tier=repeat&rank=gold&width=375&scheme=dark``),
so every state of it has a URL and it works without JavaScript; the script
only submits the form when a control changes and refreshes the page's live
parts when ``/events`` announces a rebuild. Every text that comes from the
policy, the templates or the request (variant names, subjects, finding
messages, error lines) is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from otokui.emails import RenderedEmail
from otokui.lint import Finding
from otokui.preview import emailview, exportview
from otokui.preview.state import EmailBuild, Snapshot

WIDTHS = {"375": "mobile 375", "600": "600", "800": "desktop 800"}
SCHEMES = {"light": "light", "dark": "dark"}
VIEW_LABELS = {"html": "HTML", "text": "plain text", "mjml": "MJML source", "source": "HTML source"}
NONE = "none"


@dataclass(frozen=True)
class Display:
    """How the variant is shown: frame width, colour scheme and view."""

    width: str = "800"
    scheme: str = "light"
    view: str = "html"

    @classmethod
    def from_query(cls, query: dict[str, str]) -> Display:
        width = query.get("width", "800")
        scheme = query.get("scheme", "light")
        view = query.get("view", "html")
        return cls(
            width if width in WIDTHS else "800",
            scheme if scheme in SCHEMES else "light",
            view if view in emailview.VIEWS else "html",
        )

    def params(self) -> dict[str, str]:
        return {"width": self.width, "scheme": self.scheme, "view": self.view}


def notices_value(email: RenderedEmail) -> str:
    return "+".join(email.variant.notices) or NONE


def customer_value(email: RenderedEmail) -> str:
    return "member" if email.variant.member else "guest"


def choose(build: EmailBuild, query: dict[str, str]) -> RenderedEmail | None:
    """The variant the query asks for, or the closest one of its kind and locale."""
    emails = list(build.emails.values())
    if not emails:
        return None
    kinds = _unique(e.variant.kind for e in emails)
    kind = query.get("kind") if query.get("kind") in kinds else kinds[0]
    of_kind = [e for e in emails if e.variant.kind == kind]
    locales = _unique(e.variant.locale for e in of_kind)
    locale = query.get("locale") if query.get("locale") in locales else locales[0]
    candidates = [e for e in of_kind if e.variant.locale == locale]
    named = [e for e in candidates if e.variant.name == query.get("variant")]
    if named:
        return named[0]

    def score(email: RenderedEmail) -> tuple[bool, bool, bool, bool]:
        v = email.variant
        return (
            v.tier == query.get("tier"),
            (v.rank or NONE) == query.get("rank", NONE),
            notices_value(email) == query.get("notices", NONE),
            customer_value(email) == query.get("customer", "guest"),
        )

    return max(candidates, key=score)  # max keeps the first of equals: the plainest variant


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


FindingsOf = Callable[[EmailBuild, RenderedEmail], list[Finding]]


def page(snapshot: Snapshot, query: dict[str, str], site_roots: list[tuple[str, str]], findings_of: FindingsOf) -> str:
    """The whole gallery page for ``query`` (``findings_of`` runs the checker on the chosen variant)."""
    display = Display.from_query(query)
    build = snapshot.emails
    email = choose(build, query) if build is not None else None
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light">',
        "<title>otokui preview</title>",
        '<link rel="stylesheet" href="/_preview/gallery.css">',
        "</head>",
        f'<body data-version="{snapshot.version}">',
        _header(site_roots),
        _banner(snapshot),
        '<div class="layout">',
        _nav(build, email, display),
        '<main class="stage">',
        _form(build, email, display),
        _meta(build, email, snapshot),
        _frame(build, email, display),
        "</main>",
        '<aside id="findings" class="findings" data-live>',
        findings(findings_of(build, email)) if build is not None and email is not None else "",
        "</aside>",
        "</div>",
        '<script src="/_preview/gallery.js"></script>',
        "</body></html>",
    ]
    return "\n".join(parts)


def _header(site_roots: list[tuple[str, str]]) -> str:
    links = " ".join(f'<a href="{escape(href)}">{escape(label)}</a>' for label, href in site_roots)
    return (
        '<header class="top"><h1>otokui preview</h1>'
        f'<nav class="site-links" aria-label="Member site">Member site: {links or "<em>not built</em>"}</nav>'
        '<span id="live-status" class="live-status" aria-live="polite"></span></header>'
    )


def _banner(snapshot: Snapshot) -> str:
    if not snapshot.errors:
        return '<div id="banner" class="banner ok" data-live hidden></div>'
    items = []
    for part, lines in snapshot.errors:
        text = "\n".join(lines)
        items.append(f'<li><strong>{escape(part)}</strong><pre class="error-lines">{escape(text)}</pre></li>')
    lead = "The last rebuild failed; still showing the last good build." if snapshot.emails else "Nothing built yet."
    return (
        f'<div id="banner" class="banner" role="alert" data-live><p>{escape(lead)} Fix it and save: the page'
        f" recovers on its own.</p><ul>{''.join(items)}</ul></div>"
    )


def _nav(build: EmailBuild | None, current: RenderedEmail | None, display: Display) -> str:
    out = ['<nav id="variants" class="variants" aria-label="Every email variant" data-live>']
    if build is None:
        out.append("<p>No emails built.</p></nav>")
        return "\n".join(out)
    emails = list(build.emails.values())
    for kind in _unique(e.variant.kind for e in emails):
        of_kind = [e for e in emails if e.variant.kind == kind]
        is_open = " open" if current is not None and current.variant.kind == kind else ""
        out.append(f'<details{is_open}><summary>{escape(kind)} <span class="count">{len(of_kind)}</span></summary>')
        for locale in _unique(e.variant.locale for e in of_kind):
            out.append(f'<h3 lang="{escape(locale)}">{escape(locale)}</h3><ul>')
            for email in (e for e in of_kind if e.variant.locale == locale):
                v = email.variant
                params = {"kind": v.kind, "locale": v.locale, "variant": v.name, **display.params()}
                here = ' aria-current="page"' if email is current else ""
                out.append(f'<li><a href="/?{escape(urlencode(params))}"{here}>{escape(v.name)}</a></li>')
            out.append("</ul>")
        out.append("</details>")
    out.append("</nav>")
    return "\n".join(out)


def _select(name: str, label: str, options: list[tuple[str, str]], selected: str) -> str:
    items = "".join(
        f'<option value="{escape(value)}"{" selected" if value == selected else ""}>{escape(text)}</option>'
        for value, text in options
    )
    disabled = " disabled" if len(options) < 2 else ""
    return f'<label>{escape(label)} <select id="{name}" name="{name}"{disabled}>{items}</select></label>'


def _radios(name: str, label: str, options: dict[str, str], selected: str) -> str:
    items = "".join(
        f'<label><input type="radio" name="{name}" value="{escape(value)}"'
        f"{' checked' if value == selected else ''}> {escape(text)}</label>"
        for value, text in options.items()
    )
    return f'<fieldset class="toggle" id="{name}-toggle"><legend>{escape(label)}</legend>{items}</fieldset>'


def _form(build: EmailBuild | None, email: RenderedEmail | None, display: Display) -> str:
    if build is None or email is None:
        return '<form id="pick" data-live></form>'
    v = email.variant
    emails = list(build.emails.values())
    same = [e for e in emails if e.variant.kind == v.kind and e.variant.locale == v.locale]

    def pairs(values: list[str]) -> list[tuple[str, str]]:
        return [(value, value) for value in values]

    ranks = _unique((e.variant.rank or NONE) for e in same)
    controls = [
        _select("kind", "Kind", pairs(_unique(e.variant.kind for e in emails)), v.kind),
        _select(
            "locale", "Locale", pairs(_unique(e.variant.locale for e in emails if e.variant.kind == v.kind)), v.locale
        ),
        _select("tier", "Purchase tier", pairs(_unique(e.variant.tier for e in same)), v.tier),
        _select("rank", "Rank", [(r, "—" if r == NONE else r) for r in ranks], v.rank or NONE),
        _select(
            "notices",
            "Notices",
            [(n, "none" if n == NONE else n) for n in _unique(map(notices_value, same))],
            notices_value(email),
        ),
        _select("customer", "Customer", pairs(_unique(map(customer_value, same))), customer_value(email)),
    ]
    toggles = [
        _radios("width", "Width", WIDTHS, display.width),
        _radios("scheme", "Colour scheme", SCHEMES, display.scheme),
        _radios("view", "View", VIEW_LABELS, display.view),
    ]
    return (
        '<form id="pick" class="pick" method="get" action="/" data-live>'
        f'<div class="controls">{"".join(controls)}</div><div class="toggles">{"".join(toggles)}</div>'
        '<noscript><button type="submit">Show</button></noscript></form>'
    )


def _meta(build: EmailBuild | None, email: RenderedEmail | None, snapshot: Snapshot) -> str:
    if build is None or email is None:
        return '<section id="meta" class="meta" data-live></section>'
    v = email.variant
    size = emailview.sizes(email)
    clipped = size["html"] > emailview.GMAIL_CLIP_BYTES
    warn = ' <strong class="warn">over Gmail\'s 102 KB: the message will be clipped</strong>' if clipped else ""
    rows = [
        ("Subject", f'<span id="subject">{escape(email.subject)}</span>'),
        ("Preheader", f'<span id="preheader">{escape(email.preheader)}</span>'),
        ("Size", f'<span id="size">HTML {_kb(size["html"])} · text {_kb(size["text"])}</span>{warn}'),
        (
            "Variant",
            f"<code>{escape(v.stem)}</code> ({escape(v.category)}; tier {escape(v.tier)}"
            f"{'; rank ' + escape(v.rank) if v.rank else ''}"
            f"{'; notices ' + escape(', '.join(v.notices)) if v.notices else ''}"
            f"; {'member' if v.member else 'guest'})",
        ),
        ("Built", f"emails in {build.seconds:.2f} s (build {build.number})"),
        ("Export", _export_links(email)),
    ]
    cells = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    return f'<section id="meta" class="meta" data-live><dl>{cells}</dl></section>'


def _export_links(email: RenderedEmail) -> str:
    """Links to the exported source of this variant, per target that has this mail."""
    v = email.variant
    links = []
    for target in exportview.targets_for(v.kind):
        href = escape(exportview.url(target, v.kind, v.locale, v.name))
        links.append(f'<a href="{href}" target="_blank" rel="noopener">{escape(target)}</a>')
    return " · ".join(links) if links else "no platform target has this mail"


def _kb(size: int) -> str:
    return f"{size / 1024:.1f} KB ({size:,} bytes)"


def _frame(build: EmailBuild | None, email: RenderedEmail | None, display: Display) -> str:
    if build is None or email is None:
        return '<div class="frame-wrap"></div>'
    src = emailview.url(email, display.view, dark=display.scheme == "dark", build=build.number)
    title = f"{email.variant.stem} ({VIEW_LABELS[display.view]})"
    return (
        f'<div class="frame-wrap scheme-{display.scheme}">'
        f'<iframe id="preview" class="w{display.width}" width="{display.width}" src="{escape(src)}"'
        f' title="{escape(title)}" sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox">'
        "</iframe></div>"
    )


def findings(items: list[Finding]) -> str:
    """The findings panel for one variant."""
    counts = {level: sum(1 for f in items if f.level == level) for level in ("error", "warning", "info")}
    summary = ", ".join(f"{n} {level}{'s' if n != 1 and level != 'info' else ''}" for level, n in counts.items())
    out = [f'<h2>Findings <span class="summary">{escape(summary)}</span></h2>']
    if not items:
        out.append('<p class="clean">No findings on this variant.</p>')
    else:
        out.append('<ol class="finding-list">')
        for f in items:
            hint = f'<p class="hint">{escape(f.hint)}</p>' if f.hint else ""
            out.append(
                f'<li class="finding level-{escape(f.level)}"><span class="rule">{escape(f.rule)}</span>'
                f' <span class="level">{escape(f.level)}</span>'
                f' <span class="where">{escape(f.file)}:{f.line}:{f.column}</span>'
                f'<p class="message">{escape(f.message)}</p>{hint}</li>'
            )
        out.append("</ol>")
    out.append(
        '<p class="note">Checked: this variant\'s HTML and text. Rules that compare variants or look at'
        " rules.yaml alone run over the whole shop with <code>python build.py build</code> or"
        " <code>check</code>.</p>"
    )
    return "\n".join(out)
