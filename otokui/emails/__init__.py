"""Lifecycle emails: every kind, locale and variant the policy implies, as HTML and text.

Public API::

    render_emails(policy, templates_dir) -> list[Artifact]      # the whole build
    list_variants(policy) -> list[Variant]                      # what would be rendered
    render_variant(policy, templates_dir, variant) -> RenderedEmail   # one, for previews
    render_letters(policy, templates_dir) -> list[Artifact]     # printable A5 letters (also in render_emails)

Placeholders in policy texts and how they are filled live in :mod:`otokui.placeholders`.
"""

from __future__ import annotations

from otokui.emails.letters import render_letters
from otokui.emails.render import MANIFEST, RenderedEmail, Renderer, render_all, render_emails, render_variant
from otokui.emails.variants import Variant, list_variants

__all__ = [
    "MANIFEST",
    "RenderedEmail",
    "Renderer",
    "Variant",
    "list_variants",
    "render_all",
    "render_emails",
    "render_letters",
    "render_variant",
]
