"""The member site: benefit pages, rank announcements, notices and FAQ, built with MkDocs.

Public API for the pipeline:

- :func:`build_site` builds every locale of the site from ``site_src/`` into a folder
  and returns one :class:`~otokui.artifacts.Artifact` per page, with its context;
- :func:`render_snippets` renders the cart/checkout notice snippets.

Both are loaded on first use: importing this package (for the snippets, or for
:mod:`otokui.site.background`) does not import MkDocs, so a build's main process
leaves that to the process that builds the site.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from otokui.site.build import build_site
    from otokui.site.snippets import render_snippets

__all__ = ["build_site", "render_snippets"]


def __getattr__(name: str) -> Any:
    if name == "build_site":
        from otokui.site.build import build_site

        return build_site
    if name == "render_snippets":
        from otokui.site.snippets import render_snippets

        return render_snippets
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
