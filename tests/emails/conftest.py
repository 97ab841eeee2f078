"""Fixtures for the email tests: the example policy (and edited copies), rendered once."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from otokui.emails import RenderedEmail, list_variants
from otokui.emails.render import Renderer
from otokui.policy.load import load_policy
from otokui.policy.model import Policy

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "email_templates"


def policy_data() -> dict[str, Any]:
    """The example shop's rules.yaml as plain data (a fresh copy each call)."""
    return copy.deepcopy(_RAW)


_RAW: dict[str, Any] = yaml.safe_load((ROOT / "rules.yaml").read_text(encoding="utf-8"))


def make_policy(data: dict[str, Any]) -> Policy:
    return Policy.model_validate(data)


def load_example() -> Policy:
    return load_policy(ROOT / "rules.yaml")


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_example()


@pytest.fixture(scope="session")
def templates_dir() -> Path:
    return TEMPLATES


@pytest.fixture(scope="session")
def rendered(policy: Policy) -> list[RenderedEmail]:
    """Every variant of the example shop, rendered once for the session."""
    renderer = Renderer(policy, TEMPLATES)
    return [renderer.render(v) for v in list_variants(policy)]


@pytest.fixture
def render_with() -> Callable[[dict[str, Any]], list[RenderedEmail]]:
    """Render every variant of a policy made from edited data."""

    def render(data: dict[str, Any]) -> list[RenderedEmail]:
        policy = make_policy(data)
        renderer = Renderer(policy, TEMPLATES)
        return [renderer.render(v) for v in list_variants(policy)]

    return render


def visible(email: RenderedEmail) -> list[str]:
    """Everything a reader can see: subject, preheader, HTML and text."""
    return [email.subject, email.preheader, email.html, email.text]
