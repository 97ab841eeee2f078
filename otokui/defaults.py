"""The email templates and site sources a shop starts from when it has none of its own.

In the repository they are the top-level ``email_templates/`` and ``site_src/``
folders; a wheel carries a copy in ``otokui/data/`` (``setup.py`` copies them
when the package is built). Hand-written site pages (``site_src/docs/<locale>/``)
belong to the shop that wrote them, the example shop's about page included:
the wheel leaves them out, and a build using the default site sources never
publishes them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
DATA = PACKAGE / "data"
SOURCE_ROOT = PACKAGE.parent

TEMPLATES = "email_templates"
SITE_SRC = "site_src"


def default_dir(name: str) -> Path:
    """The default ``email_templates`` or ``site_src`` folder: the wheel's copy, else the repository's."""
    packaged = DATA / name
    return packaged if packaged.is_dir() else SOURCE_ROOT / name


def is_handwritten(relative: Path) -> bool:
    """Whether ``relative`` (a path inside a site sources folder) is a hand-written page."""
    parts = relative.parts
    return len(parts) >= 3 and parts[0] == "docs" and relative.suffix == ".md"


def copy_defaults(name: str, source: Path, target: Path) -> list[Path]:
    """Copy a default folder to ``target`` (which must not exist), hand-written pages left out; the files written."""
    written: list[Path] = []

    def ignore(folder: str, names: list[str]) -> set[str]:
        here = Path(folder).relative_to(source)
        skipped = {n for n in names if n == "__pycache__" or n.startswith(".")}
        if name == SITE_SRC:
            skipped |= {n for n in names if is_handwritten(here / n) and not (Path(folder) / n).is_dir()}
        return skipped

    shutil.copytree(source, target, ignore=ignore, symlinks=False)
    for path in sorted(target.rglob("*")):
        if path.is_file():
            written.append(path)
    if name == SITE_SRC:
        (target / "docs").mkdir(exist_ok=True)
    return written
