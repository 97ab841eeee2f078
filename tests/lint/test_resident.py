"""A mapped dictionary's pages do not pile up in the process that reads it (Linux only)."""

from __future__ import annotations

import mmap
import sys
from pathlib import Path

import pytest

from otokui.lint import morph
from otokui.lint.phrases import DATA
from otokui.lint.resident import MappedFiles

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")

PAGE = mmap.PAGESIZE


def _mapped(path: Path) -> tuple[mmap.mmap, MappedFiles]:
    with open(path, "rb") as handle:
        return MappedFiles.opened_by(lambda: mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ), every=10)


def test_the_pages_of_a_file_read_in_place_are_released_and_read_again(tmp_path: Path) -> None:
    path = tmp_path / "words.dic"
    data = bytes(range(256)) * (64 * PAGE // 256)
    path.write_bytes(data)
    mapped, files = _mapped(path)
    assert files.paths == {str(path)}
    assert files.resident_kb() == 0  # released as soon as it was opened
    assert sum(mapped[i] for i in range(0, len(data), PAGE)) == sum(data[i] for i in range(0, len(data), PAGE))
    assert files.resident_kb() >= 64 * PAGE // 1024
    files.read(9)
    assert files.resident_kb() > 0  # fewer characters than ``every``: kept
    files.read(1)
    assert files.resident_kb() == 0
    assert mapped[:] == data  # what is read after a release is the file's
    mapped.close()


def test_only_what_the_callable_mapped_is_released(tmp_path: Path) -> None:
    (tmp_path / "before.dic").write_bytes(b"x" * PAGE * 4)
    first, _ = _mapped(tmp_path / "before.dic")
    (tmp_path / "after.dic").write_bytes(b"y" * PAGE * 4)
    second, files = _mapped(tmp_path / "after.dic")
    assert files.paths == {str(tmp_path / "after.dic")}
    first.close()
    second.close()


def test_splitting_every_shipped_japanese_phrase_holds_little_of_the_dictionary() -> None:
    texts = [
        line.split("#")[0].strip() + f"。{n}"  # text of its own: not split before in this process
        for n, path in enumerate(sorted((DATA / "ja").glob("*")))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.split("#")[0].strip()
    ]
    assert len(texts) > 300
    for text in texts:
        morph.tokenize(text, "ja")
    files = morph.dictionary_files()
    assert files is not None and files.paths
    # Without releasing, Linux's large page-cache folios leave over 110 MB of the 200 MB file counted here.
    assert files.resident_kb() < 80 * 1024
