"""Preview fixtures: a copy of the example shop in a temporary folder, and a running preview of it.

Tests edit the copy's rules.yaml, templates and site sources on disk; the
preview polls every 0.1 s here (0.3 s by default) so they see changes quickly.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from otokui.pipeline import Project
from otokui.preview import PreviewServer


@pytest.fixture
def shop(tmp_path: Path, root: Path) -> Project:
    """rules.yaml, email_templates/ and site_src/ copied into tmp_path."""
    shutil.copy2(root / "rules.yaml", tmp_path / "rules.yaml")
    shutil.copytree(root / "email_templates", tmp_path / "email_templates")
    shutil.copytree(root / "site_src", tmp_path / "site_src")
    return Project.locate(tmp_path / "rules.yaml")


@pytest.fixture
def preview_log() -> io.StringIO:
    return io.StringIO()


@pytest.fixture
def preview(shop: Project, preview_log: io.StringIO) -> Iterator[PreviewServer]:
    server = PreviewServer(shop, "127.0.0.1", 0, log=preview_log, interval=0.1).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def example_preview(tmp_path_factory: pytest.TempPathFactory, root: Path) -> Iterator[PreviewServer]:
    """A preview of the example shop nobody edits, shared by a module's read-only tests."""
    folder = tmp_path_factory.mktemp("shop")
    shutil.copy2(root / "rules.yaml", folder / "rules.yaml")
    shutil.copytree(root / "email_templates", folder / "email_templates")
    shutil.copytree(root / "site_src", folder / "site_src")
    server = PreviewServer(Project.locate(folder / "rules.yaml"), "127.0.0.1", 0, log=io.StringIO()).start()
    try:
        yield server
    finally:
        server.stop()
