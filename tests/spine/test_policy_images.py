"""Images rules.yaml names by file: found beside rules.yaml, kept inside its folder, real images, named by line."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from otokui.cli import run
from otokui.policy.load import load_policy
from tests.spine.test_policy_errors import patched, problems, where

PNG = (Path(__file__).resolve().parents[1] / "newshop" / "ceramics" / "images" / "owner.png").read_bytes()
LOGO = "    logo_url: https://komorebi-coffee.example.jp/assets/logo.png\n"


def with_logo(tmp_path: Path, name: str) -> Path:
    return patched(tmp_path, (LOGO, f"{LOGO}    logo_file: {name}\n"))


def test_a_file_beside_rules_yaml_is_named_by_its_absolute_path(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "logo.png").write_bytes(PNG)
    policy = with_logo(tmp_path, "images/logo.png")
    assert load_policy(policy).shop.brand.logo_file == str(tmp_path.resolve() / "images" / "logo.png")


def test_a_misspelt_file_is_reported_at_its_line_with_did_you_mean(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "logo.png").write_bytes(PNG)
    policy = with_logo(tmp_path, "images/logo.PNG")
    assert problems(policy) == [
        f"{where(policy, 'images/logo.PNG')}: shop.brand.logo_file: no file 'images/logo.PNG' beside rules.yaml"
        " (did you mean 'images/logo.png'?)"
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../outside.png", "is outside the folder of rules.yaml"),
        ("images/../../outside.png", "is outside the folder of rules.yaml"),
        ("/etc/passwd", "is an absolute path"),
        ("https://shop.example/logo.png", "is an address, not a file"),
        ("images/notes.png", "is not a PNG, JPEG, GIF, WebP or SVG image"),
        ("images/script.svg", "is an SVG with scripts"),
        ("images/remote.svg", "is an SVG with scripts"),
        ("images/link.png", "is outside the folder of rules.yaml"),
        ("images", "is not a regular file"),
    ],
)
def test_files_that_cannot_be_used_are_refused(tmp_path: Path, name: str, message: str) -> None:
    shop = tmp_path / "shop"
    (shop / "images").mkdir(parents=True)
    (tmp_path / "outside.png").write_bytes(PNG)
    (shop / "images" / "notes.png").write_text("not an image", encoding="utf-8")
    (shop / "images" / "script.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>')
    (shop / "images" / "remote.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/p.png"/></svg>'
    )
    os.symlink(tmp_path / "outside.png", shop / "images" / "link.png")
    policy = with_logo(shop, name)
    (found,) = problems(policy)
    assert found.startswith(f"{where(policy, name)}: shop.brand.logo_file: ")
    assert message in found


def test_validate_names_every_missing_image_and_exits_2(tmp_path: Path) -> None:
    owner = "      signature: {ja: 木村陽子, en: Yoko}\n"
    policy = patched(
        tmp_path,
        (owner, f"{owner}      photo_file: me.jpg\n      signature_file: sign.svg\n"),
    )
    out, err = io.StringIO(), io.StringIO()
    assert run(["validate", "--policy", str(policy)], out, err) == 2
    lines = err.getvalue().splitlines()
    assert any("shop.brand.owner.photo_file: no file 'me.jpg'" in line for line in lines), lines
    assert any("shop.brand.owner.signature_file: no file 'sign.svg'" in line for line in lines), lines
    assert "Traceback" not in err.getvalue()
