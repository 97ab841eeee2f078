"""A wheel install builds a shop from nothing: `otokui init`, then the second shop, through the installed command.

The wheel is built from this checkout and installed without its dependencies
into a fresh virtual environment; the dependencies are taken from the test
environment's site-packages (added behind the fresh one, so the package
itself can only come from the wheel).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .shop import copy_ceramics
from .test_init import example_words_in

ROOT = Path(__file__).resolve().parents[2]
CERAMICS = Path(__file__).resolve().parent / "ceramics"


def run(*argv: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``otokui`` command of a fresh environment that has only the wheel of this checkout."""
    base = tmp_path_factory.mktemp("wheel")
    wheels = base / "wheels"
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, ROOT, cwd=base)
    assert built.returncode == 0, built.stderr
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # setuptools' scratch folder
    venv = base / "venv"
    assert run(sys.executable, "-m", "venv", venv, cwd=base).returncode == 0
    python = venv / "bin" / "python"
    wheel = next(wheels.glob("otokui-*.whl"))
    done = run(python, "-m", "pip", "install", "--no-deps", "--no-index", "-q", wheel, cwd=base)
    assert done.returncode == 0, done.stderr
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=base).stdout.strip()
    (Path(site) / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    where = run(python, "-c", "import otokui; print(otokui.__file__)", cwd=base)
    assert where.stdout.strip().startswith(str(venv)), where.stdout + where.stderr  # the wheel's, not the checkout's
    return venv / "bin" / "otokui"


@pytest.mark.slow
def test_init_then_build_through_the_installed_command(installed: Path, tmp_path: Path) -> None:
    assert run(installed, "init", "shop", cwd=tmp_path).returncode == 0
    result = run(installed, "build", cwd=tmp_path / "shop")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No problems found." in result.stdout
    assert (tmp_path / "shop" / "dist" / "site" / "index.html").is_file()
    assert example_words_in(tmp_path / "shop" / "dist") == []


@pytest.mark.slow
def test_the_second_shop_builds_and_checks_clean_through_the_wheel(installed: Path, tmp_path: Path) -> None:
    shop = tmp_path / "ceramics"
    copy_ceramics(shop)
    result = run(installed, "build", cwd=shop)
    assert result.returncode == 0, result.stdout + result.stderr
    assert run(installed, "check", cwd=shop).returncode == 0
    assert example_words_in(shop / "dist") == []
    assert len(list((shop / "dist" / "emails").rglob("*.html"))) == 48


@pytest.mark.slow
def test_eject_from_the_wheel_copies_the_shipped_defaults(installed: Path, tmp_path: Path) -> None:
    assert run(installed, "init", ".", "--eject", "templates", cwd=tmp_path).returncode == 0
    assert run(installed, "init", ".", "--eject", "site", cwd=tmp_path).returncode == 0
    assert (tmp_path / "email_templates" / "layout.mjml.j2").is_file()
    assert (tmp_path / "site_src" / "mkdocs.yml").is_file() and (tmp_path / "site_src" / "docs").is_dir()
    assert example_words_in(tmp_path) == []
