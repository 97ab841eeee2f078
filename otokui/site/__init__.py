"""The member site: benefit pages, rank announcements, notices and FAQ, built with MkDocs.

Public API for the pipeline:

- :func:`build_site` builds every locale of the site from ``site_src/`` into a folder
  and returns one :class:`~otokui.artifacts.Artifact` per page, with its context;
- :func:`render_snippets` renders the cart/checkout notice snippets.
"""

from __future__ import annotations

from otokui.site.build import build_site
from otokui.site.snippets import render_snippets

__all__ = ["build_site", "render_snippets"]
