"""How the member site is laid out: what a small shop's site shows and leaves out.

A shop's membership site is a handful of pages, not a manual, so it should look like the shop rather
than like documentation:

- **Navigation**: the pages are tabs under the shop's header (Material's ``navigation.tabs``; the menu
  on a phone), and the sidebar that would list them again is left out, as long as the navigation is
  flat (a hand-written ``nav:`` with sections keeps it).
- **Table of contents**: only on a page with at least :data:`TOC_MIN_SECTIONS` headings below its
  title; a shorter page is read at a glance and its sidebar would be a list of one or two links.
- **Search**: only where a locale has at least :data:`SEARCH_MIN_PAGES` pages; with fewer, every page
  is one tab away and a search box is clutter (the index is not written either).
"""

from __future__ import annotations

from typing import Any

#: The fewest headings (below the page title) that earn a page its table of contents.
TOC_MIN_SECTIONS = 3
#: The fewest pages (generated and hand-written, in one locale) that earn a site its search.
SEARCH_MIN_PAGES = 8


def wants_search(pages: int) -> bool:
    return pages >= SEARCH_MIN_PAGES


def sections(toc: Any) -> int:
    """The headings of a page's table of contents below its title (MkDocs' ``page.toc``)."""

    def count(items: Any) -> int:
        return sum(1 + count(item.children) for item in items)

    items = list(toc)
    if len(items) == 1 and items[0].level == 1:  # the page title: count what is under it
        return count(items[0].children)
    return count(items)


def wants_toc(toc: Any) -> bool:
    return sections(toc) >= TOC_MIN_SECTIONS


def flat(nav: Any) -> bool:
    """Whether a ``nav:`` list (mkdocs.yml's shape) names pages only, no sections."""
    for entry in nav or []:
        if isinstance(entry, dict) and any(isinstance(value, list) for value in entry.values()):
            return False
    return True
