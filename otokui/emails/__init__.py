"""Lifecycle emails: every kind, locale and variant the policy implies, as HTML and text.

Public API::

    render_emails(policy, templates_dir) -> list[Artifact]      # the whole build
    list_variants(policy) -> list[Variant]                      # what would be rendered
    render_variant(policy, templates_dir, variant) -> RenderedEmail   # one, for previews
    render_letters(policy, templates_dir) -> list[Artifact]     # printable A5 letters (also in render_emails)
    PLACEHOLDERS                                                 # names allowed in policy texts
"""

from __future__ import annotations

from otokui.emails.letters import render_letters
from otokui.emails.placeholders import PLACEHOLDERS, PLACEHOLDERS_BY_KIND, header_text, substitute, unknown_placeholders
from otokui.emails.render import MANIFEST, RenderedEmail, Renderer, render_all, render_emails, render_variant
from otokui.emails.variants import Variant, list_variants

__all__ = [
    "MANIFEST",
    "PLACEHOLDERS",
    "PLACEHOLDERS_BY_KIND",
    "RenderedEmail",
    "Renderer",
    "Variant",
    "header_text",
    "list_variants",
    "render_all",
    "render_emails",
    "render_letters",
    "render_variant",
    "substitute",
    "unknown_placeholders",
]
