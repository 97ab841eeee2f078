"""Caution notices as embeddable HTML fragments for the shop's cart and checkout.

Each notice whose ``show_in`` names ``checkout`` becomes one fragment per
locale, ``snippets/notices/<id>.<locale>.html``: a single ``<div>`` with
inline styles (a shop pastes it into any template, so no stylesheet can be
assumed), ``lang`` set, and every text escaped.
"""

from __future__ import annotations

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup, escape

from otokui.artifacts import Artifact, Context
from otokui.i18n.linebreak import html_breaks, phrase_breaks
from otokui.policy.model import Notice, Policy
from otokui.site import wording

# Accent (border and label) and background per severity. The label, the #1f1f1f text and the
# #444444 scope line all read at 4.5:1 or better on the background (tests/site check it).
COLORS = {
    "info": ("#0b57d0", "#eef4fd"),
    "caution": ("#9a5200", "#fef6e7"),
    "important": ("#b3261e", "#fcefee"),
}
TEMPLATE = """\
<div class="otokui-notice otokui-notice--{{ severity }}" data-notice="{{ id }}" lang="{{ locale }}" role="note" \
style="box-sizing:border-box;margin:12px 0;padding:12px 16px;border-left:4px solid {{ border }};\
background:{{ background }};color:#1f1f1f;font-size:14px;line-height:1.7;border-radius:4px;\
word-break:keep-all;overflow-wrap:anywhere;">
  <p style="margin:0 0 4px;font-weight:bold;">\
<span style="color:{{ border }};">{{ label }}</span> {{ title }}</p>
  <p style="margin:0;">{{ message }}</p>
  <p style="margin:4px 0 0;font-size:12px;color:#444444;">{{ scope }}</p>
</div>
"""

_ENV = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
_TEMPLATE = _ENV.from_string(TEMPLATE)


def _broken(text: str) -> Markup:
    """``text`` escaped, with ``<wbr>`` between its Japanese phrases (copying it yields no invisible character)."""
    return Markup(html_breaks(str(escape(phrase_breaks(text)))))


def render_notice(policy: Policy, notice: Notice, locale: str) -> str:
    """One notice as a standalone HTML fragment."""
    border, background = COLORS[notice.severity]
    return _TEMPLATE.render(
        id=notice.id,
        severity=notice.severity,
        locale=locale,
        border=border,
        background=background,
        label=wording.ui(policy, locale, f"notice_label_{notice.severity}"),
        title=_broken(notice.title.get(locale)),
        message=_broken(notice.message.get(locale)),
        scope=_broken(wording.ui(policy, locale, "site_applies_to") + wording.ui(policy, locale, "colon"))
        + _broken(wording.notice_scope(policy, notice, locale)),
    )


def render_snippets(policy: Policy) -> list[Artifact]:
    """The checkout snippet of every notice shown at checkout, in each of the shop's locales."""
    artifacts: list[Artifact] = []
    for notice in policy.notices:
        if "checkout" not in notice.show_in:
            continue
        for locale in policy.shop.locales:
            context = Context(surface="snippet", locale=locale, kind="notice", notices=(notice.id,))
            html = render_notice(policy, notice, locale)
            artifacts.append(Artifact(f"snippets/notices/{notice.id}.{locale}.html", html.encode("utf-8"), context))
    return artifacts
