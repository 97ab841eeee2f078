"""Template failures name the template file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from otokui.emails import list_variants, render_variant
from otokui.emails.render import Renderer
from otokui.errors import TemplateError
from otokui.policy.model import Policy
from tests.emails.conftest import TEMPLATES, make_policy, policy_data


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    target = tmp_path / "email_templates"
    shutil.copytree(TEMPLATES, target)
    return target


def edit(path: Path, line_no: int, text: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(line_no - 1, text)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_syntax_error_names_file_and_line(policy: Policy, templates: Path) -> None:
    edit(templates / "blocks" / "greeting.mjml.j2", 3, "{% if customer.name %}unclosed")
    with pytest.raises(TemplateError) as info:
        Renderer(policy, templates)
    error = info.value
    assert error.file == "email_templates/blocks/greeting.mjml.j2"
    assert error.line is not None and error.line >= 3
    assert str(error).startswith("email_templates/blocks/greeting.mjml.j2:")


def test_undefined_name_names_the_included_file_and_line(policy: Policy, templates: Path) -> None:
    edit(templates / "blocks" / "contact.mjml.j2", 4, "<mj-text>{{ shop.fax_number }}</mj-text>")
    variant = next(v for v in list_variants(policy) if v.kind == "shipped")
    with pytest.raises(TemplateError) as info:
        render_variant(policy, templates, variant)
    assert (info.value.file, info.value.line) == ("email_templates/blocks/contact.mjml.j2", 4)
    assert "fax_number" in info.value.message


def test_sandbox_refuses_unsafe_attributes(policy: Policy, templates: Path) -> None:
    edit(templates / "layout.mjml.j2", 5, "{{ shop.__class__.__mro__ }}")
    variant = list_variants(policy)[0]
    with pytest.raises(TemplateError) as info:
        render_variant(policy, templates, variant)
    assert info.value.file == "email_templates/layout.mjml.j2" and info.value.line == 5


def test_mjml_error_names_the_kind_template(policy: Policy, templates: Path) -> None:
    edit(templates / "partials" / "closing.mjml.j2", 2, "<mj-section><mj-column>")
    variant = list_variants(policy)[0]
    with pytest.raises(TemplateError, match=r"^email_templates/layout\.mjml\.j2: MJML: unexpected end"):
        render_variant(policy, templates, variant)


def test_mjml_error_with_a_position_quotes_the_rendered_line(policy: Policy, templates: Path) -> None:
    edit(templates / "styles" / "head.css.j2", 2, "/* a <style> tag in a comment breaks MRML */")
    variant = list_variants(policy)[0]
    with pytest.raises(TemplateError, match=r"rendered MJML line \d+, column \d+: '/\* a <style> tag"):
        render_variant(policy, templates, variant)


def test_kind_templates_override_the_layout(policy: Policy, templates: Path) -> None:
    (templates / "kinds").mkdir(exist_ok=True)
    (templates / "kinds" / "shipped.mjml.j2").write_text(
        '{% extends "layout.mjml.j2" %}{% block heading %}<mj-section><mj-column><mj-text>'
        "<h1>SHIPPED {{ order.id }}</h1></mj-text></mj-column></mj-section>{% endblock %}",
        encoding="utf-8",
    )
    variant = next(v for v in list_variants(policy) if v.kind == "shipped")
    assert "SHIPPED KC-10234" in render_variant(policy, templates, variant).text


def test_missing_layout(policy: Policy, tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="layout"):
        Renderer(policy, tmp_path)


def test_unavailable_placeholder_in_the_policy_is_reported(templates: Path) -> None:
    data = policy_data()
    data["emails"]["shipped"]["subject"] = {"ja": "{rank} です", "en": "x"}
    policy = make_policy(data)
    variant = next(v for v in list_variants(policy) if v.kind == "shipped")
    with pytest.raises(TemplateError, match=r"rules\.yaml: emails\.shipped\.subject: \{rank\} cannot be filled"):
        render_variant(policy, templates, variant)
