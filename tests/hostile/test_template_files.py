"""Templates are untrusted files: the loader reads plain files inside the templates folder, nothing else.

A template that is a symbolic link to ``/proc/self/environ`` or ``/etc/passwd``,
included by another, would put the machine's environment (CI secrets) into
every email; so would a linked folder or a path that climbs out.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.reliability.conftest import cli

ROOT = Path(__file__).resolve().parents[2]
SECRET = "otokui-test-secret-5f0c1e"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("email_templates", "site_src"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "rules.yaml", tmp_path / "rules.yaml")
    monkeypatch.setenv("OTOKUI_TEST_SECRET", SECRET)
    return tmp_path


def include_in_greeting(project: Path, name: str) -> None:
    greeting = project / "email_templates" / "blocks" / "greeting.mjml.j2"
    greeting.write_text(f"{{% include {name!r} %}}\n" + greeting.read_text(encoding="utf-8"), encoding="utf-8")


def build(project: Path) -> tuple[int, str, str]:
    out = project / "dist"
    return cli("build", "--policy", str(project / "rules.yaml"), "--out", str(out), "--no-site", "--no-check")


def no_secret_anywhere(project: Path) -> None:
    for path in project.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            assert SECRET.encode() not in data, path
            assert b"root:x:0:0" not in data or path.name == "passwd", path


@pytest.mark.parametrize("target", ["/proc/self/environ", "/etc/passwd"])
def test_an_included_link_to_a_system_file_is_refused(project: Path, target: str) -> None:
    (project / "email_templates" / "partials" / "footer_extra.txt").symlink_to(target)
    include_in_greeting(project, "partials/footer_extra.txt")
    code, _, err = build(project)
    assert code == 2
    assert err == (
        "email_templates/blocks/greeting.mjml.j2:1: refused to include partials/footer_extra.txt:"
        " a symbolic link; templates must be plain files\n"
    )
    assert not (project / "dist").exists()
    no_secret_anywhere(project)


def test_a_template_that_is_itself_a_link_is_refused(project: Path) -> None:
    (project / "email_templates" / "partials" / "environ.mjml.j2").symlink_to("/proc/self/environ")
    code, _, err = build(project)
    assert (code, err) == (
        2,
        "email_templates/partials/environ.mjml.j2: a symbolic link; templates must be plain files\n",
    )
    no_secret_anywhere(project)


def test_a_linked_folder_is_refused(project: Path) -> None:
    (project / "email_templates" / "system").symlink_to("/etc")
    include_in_greeting(project, "system/passwd")
    code, _, err = build(project)
    assert code == 2
    assert "refused to include system/passwd: a symbolic link" in err
    no_secret_anywhere(project)


def test_a_link_that_stays_inside_the_folder_is_refused_too(project: Path) -> None:
    """Even a harmless-looking link could be repointed later; templates are plain files."""
    partials = project / "email_templates" / "partials"
    (partials / "alias.mjml.j2").symlink_to(partials / "notice.mjml.j2")
    code, _, err = build(project)
    assert code == 2 and "partials/alias.mjml.j2: a symbolic link" in err


@pytest.mark.parametrize("name", ["../rules.yaml", "/etc/passwd", "partials/../../rules.yaml"])
def test_includes_cannot_climb_out_of_the_folder(project: Path, name: str) -> None:
    include_in_greeting(project, name)
    code, _, err = build(project)
    assert code == 2
    assert err.startswith("email_templates/blocks/greeting.mjml.j2:1: included template not found")
    no_secret_anywhere(project)


def test_a_template_that_is_not_utf8_is_named(project: Path) -> None:
    (project / "email_templates" / "partials" / "sjis.mjml.j2").write_bytes("お得意様".encode("shift_jis"))
    code, _, err = build(project)
    assert (code, err) == (
        2,
        "email_templates/partials/sjis.mjml.j2: not UTF-8 text (save it as UTF-8)\n",
    )


def test_plain_templates_still_build(project: Path) -> None:
    assert build(project)[0] == 0
    assert os.listdir(project / "dist")


def test_a_template_name_with_control_characters_is_shown_inert(project: Path) -> None:
    (project / "email_templates" / "partials" / "bad\x1b[2J\n.mjml.j2").write_text("{{ nope(", encoding="utf-8")
    code, _, err = build(project)
    assert code == 2
    assert "\x1b" not in err and err.count("\n") == 1
    assert "partials/bad\\x1b[2J\\n.mjml.j2" in err
