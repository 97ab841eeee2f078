"""The exported source of one variant, per target: what the shop pastes into its platform.

URL::

    /export/<target>/<kind>/<locale>/<variant>.<part>     part: html, txt or subject

For a target with conditionals this is the one template of the kind that
carries the variant as a branch (or the variant's fallback file); for a tag
cart, the variant's own file. It is sent as plain text. The export is made
for the preview's current policy and templates, one kind at a time, and kept
until either changes.
"""

from __future__ import annotations

from pathlib import Path

from otokui.export import TARGETS, ExportResult, export, kinds_of
from otokui.policy.model import Policy

PARTS = ("html", "txt", "subject")
_CACHE: dict[tuple[int, str, str, str, str], ExportResult] = {}


def targets_for(kind: str) -> list[str]:
    """The targets that have a mail for ``kind``."""
    return [t for t in TARGETS if kind in kinds_of(t)]


def url(target: str, kind: str, locale: str, name: str, part: str = "html") -> str:
    from urllib.parse import quote

    return "/export/" + "/".join(quote(s, safe="") for s in (target, kind, locale, f"{name}.{part}"))


def source(policy: Policy, templates: Path, segments: tuple[str, ...], build: int) -> str | None:
    """The exported file serving the variant ``segments`` name, or None when there is none."""
    if len(segments) != 5 or segments[0] != "export" or segments[1] not in TARGETS:
        return None
    _, target, kind, locale, file = segments
    name, _, part = file.rpartition(".")
    if part not in PARTS or kind not in kinds_of(target):
        return None
    key = (build, str(templates), target, kind, locale)
    result = _CACHE.get(key)
    if result is None:
        _CACHE.clear()  # one build at a time
        result = _CACHE[key] = export(policy, templates, target, only=(kind, locale))
    for item in result.files:
        if name in item.variants and part_of(item.path) == part:
            return item.data.decode("utf-8")
    return None


def part_of(path: str) -> str:
    """Which part an exported file is: ``subject``, ``html`` or ``txt``."""
    file = path.rsplit("/", 1)[-1]
    if ".subject." in file:
        return "subject"
    return "html" if ".html" in file else "txt"
