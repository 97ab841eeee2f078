"""Fixtures: the generated shop history (once per session) and a shop folder to run it in."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.customers.history import GENERIC_COLUMNS, GENERIC_PAYMENTS, Export, GCustomer, generate, write

ROOT = Path(__file__).resolve().parents[2]
FORMATS = ("shopify", "eccube", "makeshop", "generic")


def said(key: str, locale: str = "ja", **values: str | int) -> str:
    """What the run's report and summary say for ``run_<key>`` (the example shop speaks Japanese first)."""
    from otokui.i18n.catalogue import catalogue, fill

    return fill(catalogue(locale)[f"run_{key}"], **values)


@pytest.fixture(scope="session")
def people() -> list[GCustomer]:
    """Two years of 700 customers (one full-size test reads 2,500)."""
    return generate(700)


@pytest.fixture(scope="session")
def exports(people: list[GCustomer], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Export]:
    folder = tmp_path_factory.mktemp("exports")
    return {fmt: write(people, folder / fmt, fmt, bom=(fmt == "shopify")) for fmt in FORMATS}


def policy_data(fmt: str = "auto", **run: object) -> dict[str, object]:
    data = yaml.safe_load((ROOT / "rules.yaml").read_text(encoding="utf-8"))
    section: dict[str, object] = {"format": fmt}
    if fmt == "generic":
        section.update(columns=GENERIC_COLUMNS, payment_methods=GENERIC_PAYMENTS)
    section.update(run)
    data["run"] = section
    return data


MakeShop = Callable[..., Path]


@pytest.fixture
def make_shop(tmp_path: Path) -> MakeShop:
    """A shop folder (templates and a policy, changed with ``edit``); returns the policy path."""

    def make(fmt: str = "auto", edit: Callable[[dict[str, object]], None] | None = None, **run: object) -> Path:
        folder = tmp_path / f"shop-{fmt}"
        if not folder.exists():
            shutil.copytree(ROOT / "email_templates", folder / "email_templates")
        data = policy_data(fmt, **run)
        if edit:
            edit(data)
        policy = folder / "rules.yaml"
        policy.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return policy

    return make
