"""The output folder is otokui's alone: a hostile ``--out`` is refused before anything is written.

Each case used to replace or hide something that was not otokui's (the
project, its templates, a file, a folder behind a symbolic link) and exit 0.
Now each is refused with one line and exit 2, and the whole tree around the
project hashes the same before and after.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from otokui.errors import BuildError
from otokui.writer import MARKER, build_lock
from tests.reliability.conftest import ROOT, cli


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the example shop in ``tmp_path/shop``, with a first build, a report and a folder elsewhere."""
    project = tmp_path / "shop"
    project.mkdir()
    for name in ("email_templates", "site_src"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "rules.yaml", project / "rules.yaml")
    (project / "report.txt").write_text("last month's report\n", encoding="utf-8")
    elsewhere = tmp_path / "photos"
    elsewhere.mkdir()
    (elsewhere / "holiday.jpg").write_bytes(b"\xff\xd8 not really a photo")
    (project / "dlink").symlink_to(elsewhere)
    monkeypatch.chdir(project)
    assert build(project / "dist")[0] == 0
    yield project


def build(out: Path | str) -> tuple[int, str, str]:
    return cli("build", "--policy", "rules.yaml", "--out", str(out), "--no-site", "--no-check")


def tree_hash(folder: Path) -> str:
    """One hash over every path, its kind, mode and content under ``folder`` (links not followed)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        digest.update(f"{path.relative_to(folder)}\0{stat.filemode(info.st_mode)}\0".encode())
        if path.is_symlink():
            digest.update(os.readlink(path).encode())
        elif path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


HOSTILE = {
    ".": "--out .: is the project folder; building there would replace it",
    "..": "--out ..: holds the project folder ({shop}); building there would replace it",
    "site_src": "--out site_src: is the site sources folder; building there would replace it",
    "email_templates": "--out email_templates: is the email templates folder; building there would replace it",
    "email_templates/dist": "--out email_templates/dist: is inside the email templates folder;"
    " pass a folder of its own, such as ./dist",
    "report.txt": "--out report.txt: is a file, not a folder; pass a folder of its own, such as ./dist",
    "rules.yaml": "--out rules.yaml: is a file, not a folder; pass a folder of its own, such as ./dist",
    "dlink": "--out dlink: goes through the symbolic link {shop}/dlink (to {photos}); otokui builds only into a"
    " real folder: pass --out {photos} if that is what you mean",
    "dlink/dist": "--out dlink/dist: goes through the symbolic link {shop}/dlink (to {photos}); otokui builds"
    " only into a real folder: pass --out {photos}/dist if that is what you mean",
    "site_src/..": "--out site_src/..: is the project folder; building there would replace it",
}


@pytest.mark.parametrize("out", list(HOSTILE))
def test_a_hostile_out_is_refused_and_nothing_changes(shop: Path, out: str) -> None:
    before = tree_hash(shop.parent)
    code, stdout, err = build(out)
    expected = HOSTILE[out].format(shop=shop, photos=shop.parent / "photos")
    assert (code, stdout, err) == (2, "", expected + "\n")
    assert tree_hash(shop.parent) == before


def test_a_dist_that_is_a_symbolic_link_is_refused(shop: Path) -> None:
    shutil.rmtree(shop / "dist")
    (shop / "dist").symlink_to(shop.parent / "photos")
    before = tree_hash(shop.parent)
    code, _, err = build("dist")
    photos = shop.parent / "photos"
    assert (code, err) == (
        2,
        f"--out dist: goes through the symbolic link {shop}/dist (to {photos}); otokui builds only into a real"
        f" folder: pass --out {photos} if that is what you mean\n",
    )
    assert tree_hash(shop.parent) == before
    assert (photos / "holiday.jpg").read_bytes() == b"\xff\xd8 not really a photo"


def test_a_parent_of_the_project_given_by_path_is_refused(shop: Path) -> None:
    before = tree_hash(shop.parent)
    code, _, err = build(shop.parent)
    assert (
        code == 2
        and err == f"--out {shop.parent}: holds the project folder ({shop}); building there would replace it\n"
    )
    assert tree_hash(shop.parent) == before


@pytest.mark.parametrize("out", [".", "email_templates", "report.txt", "dlink"])
def test_export_follows_the_same_rules(shop: Path, out: str) -> None:
    before = tree_hash(shop.parent)
    code, _, err = cli("export", "--policy", "rules.yaml", "--target", "klaviyo", "--out", out)
    assert code == 2
    assert err.startswith(f"--out {out}: ") and err.count("\n") == 1
    assert tree_hash(shop.parent) == before


def test_the_root_folder_is_refused_before_anything_is_written(shop: Path) -> None:
    before = sorted(os.listdir("/"))
    code, _, err = build("/")
    assert (code, err) == (2, "--out /: is the root folder /; pass a folder of its own, such as ./dist\n")
    assert sorted(os.listdir("/")) == before


def test_an_existing_folder_that_is_not_a_build_is_refused(shop: Path) -> None:
    docs = shop / "docs"
    docs.mkdir()
    (docs / "notes.md").write_text("mine\n", encoding="utf-8")
    before = tree_hash(shop.parent)
    code, _, err = build("docs")
    assert (code, err) == (
        2,
        f"--out docs: exists and is not an otokui build (it has no {MARKER} file); pass a new or empty folder,"
        " or move this one away yourself\n",
    )
    assert tree_hash(shop.parent) == before


def test_an_empty_folder_a_build_and_a_new_name_are_all_fine(shop: Path) -> None:
    (shop / "empty").mkdir()
    assert build("empty")[0] == 0 and (shop / "empty" / MARKER).is_file()
    assert build("dist")[0] == 0  # its own earlier build
    assert build("new/deeper")[0] == 0 and (shop / "new" / "deeper" / "emails" / "manifest.json").is_file()


def test_a_build_from_before_the_marker_is_still_replaced(shop: Path) -> None:
    (shop / "dist" / MARKER).unlink()
    assert build("dist")[0] == 0
    assert (shop / "dist" / MARKER).is_file()


def test_a_file_is_never_hidden_as_a_set_aside_folder(shop: Path) -> None:
    build("report.txt")
    assert (shop / "report.txt").read_text(encoding="utf-8") == "last month's report\n"
    assert not [p for p in shop.iterdir() if p.name.startswith(".report.txt")]


def test_one_folder_under_two_names_takes_one_lock(shop: Path) -> None:
    (shop / "alias").symlink_to(shop / "dist")
    with (
        build_lock(shop / "dist"),
        pytest.raises(BuildError, match="another build is still writing it"),
        build_lock(shop / "alias", wait=0.2),
    ):
        pass


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o755), (0o027, 0o750), (0o077, 0o700)])
def test_the_output_folder_follows_the_umask(shop: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        assert build("dist")[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((shop / "dist").stat().st_mode) == mode
    assert stat.S_IMODE((shop / "dist" / "emails").stat().st_mode) == mode


# --------------------------------------------------------------------------- check --out reads only the build


def check(out: str = "dist") -> tuple[int, str, str]:
    return cli("check", "--policy", "rules.yaml", "--out", out)


def edit_manifest(shop: Path, html: str) -> None:
    manifest = shop / "dist" / "emails" / "manifest.json"
    body = json.loads(manifest.read_text(encoding="utf-8"))
    body["variants"][0]["html"] = html
    manifest.write_text(json.dumps(body), encoding="utf-8")


@pytest.mark.parametrize("html", ["/etc/passwd", "../rules.yaml", "emails/../../report.txt"])
def test_check_never_follows_a_manifest_path_out_of_the_build(shop: Path, html: str) -> None:
    edit_manifest(shop, html)
    code, out, err = check()
    assert code == 2 and out == ""
    assert err == f"dist/emails/manifest.json: variant 0: {html!r} points outside dist; not read\n"


def test_check_never_follows_a_link_out_of_the_build(shop: Path) -> None:
    (shop / "secret.html").write_text("<p>only mine</p>", encoding="utf-8")
    first = json.loads((shop / "dist" / "emails" / "manifest.json").read_text(encoding="utf-8"))["variants"][0]
    page = shop / "dist" / first["html"]
    page.unlink()
    page.symlink_to(shop / "secret.html")
    code, _, err = check()
    assert code == 2
    assert err == f"dist/emails/manifest.json: variant 0: {first['html']!r} points outside dist; not read\n"
