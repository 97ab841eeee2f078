"""Designers' email templates run sandboxed: no Python internals, no runaway loops, no giant output."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from otokui.emails import sandbox
from otokui.emails.templates import Templates
from otokui.errors import TemplateError
from otokui.pipeline import Project, build

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    templates = tmp_path / "email_templates"
    templates.mkdir()
    (templates / "layout.mjml.j2").write_text("<mjml></mjml>\n", encoding="utf-8")
    return templates


def render(folder: Path, source: str, **data: object) -> str:
    (folder / "probe.j2").write_text(source, encoding="utf-8")
    return Templates(folder).render("probe.j2", dict(data))


def refused(folder: Path, source: str, **data: object) -> str:
    with pytest.raises(TemplateError) as caught:
        render(folder, source, **data)
    return str(caught.value)


ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ().__class__.__base__.__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ shop.__class__ }}",
    "{{ [].append(1) }}",
    "{{ {}.update(a=1) }}",
    "{{ '{0.__class__}'.format(shop) }}",
]


@pytest.mark.parametrize("source", ESCAPES)
def test_python_internals_are_out_of_reach(folder: Path, source: str) -> None:
    message = refused(folder, "first line\n" + source, shop="Komorebi")
    assert message.startswith("email_templates/probe.j2:2: ")
    assert "not allowed in email templates" in message or "has no such name" in message


def test_policy_text_is_data_not_template(folder: Path) -> None:
    html = render(folder, "<p>{{ name }}</p>", name="{{ 7*7 }}<script>{% raw %}")
    assert html == "<p>{{ 7*7 }}&lt;script&gt;{% raw %}</p>"


RUNAWAYS = [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "ran longer than"),
    ("{% set r = range(100000) %}\n{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}", "ran longer than"),
    ("{% for i in range(100000) %}{% for j in range(100) %}{{ 'x' * 50 }}{% endfor %}{% endfor %}", "renders more"),
    ("{{ 'x' * 1000000000 }}", "more than"),
    ("{{ 2 ** 100000000 }}", "too large a number"),
    ("{{ 'x'|center(1000000000) }}", "center()"),
    ("{{ 'x'.center(1000000000) }}", "center()"),
    ("{{ '%1000000000d' % 1 }}", "wider than"),
    ("{{ '{:>1000000000}'.format(1) }}", "wider than"),
    ("{{ range(100000)|join('x' * 100000) }}", "join()"),
    ("{% set s = 'ab' * 1000 %}" + "{% set s = s ~ s %}" * 40 + "{{ s }}", "more than"),
    ("{% set s = 'ab' * 1000 %}" + "{% set s %}{{ s }}{{ s }}{% endset %}" * 40, "more than"),
    ("{% macro f(s) %}{{ f(s ~ s) }}{% endmacro %}{{ f('ab') }}", "more than"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "calls itself"),
    ("{% include 'probe.j2' %}", "calls itself"),
]


@pytest.mark.parametrize(("source", "reason"), RUNAWAYS, ids=[str(i) for i in range(len(RUNAWAYS))])
def test_runaway_templates_are_stopped(folder: Path, monkeypatch: pytest.MonkeyPatch, source: str, reason: str) -> None:
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 1.0)
    started = time.perf_counter()
    message = refused(folder, source)
    assert time.perf_counter() - started < 5
    assert reason in message
    assert message.startswith("email_templates/probe.j2")


def test_ordinary_templates_still_work(folder: Path) -> None:
    source = "{% for i in range(3) %}{{ i }}{% endfor %}{{ 'a' ~ 'b' }}{{ 2 + 3 }}{{ [1] + [2] }}{{ '%05d' % 3 }}"
    assert render(folder, source) == "012ab5[1, 2]00003"


def test_the_watchdog_leaves_nothing_behind(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.3)
    refused(folder, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    time.sleep(0.5)  # a late interruption would land here
    assert render(folder, "{{ 1 }}") == "1"


def test_a_runaway_template_fails_the_build_and_keeps_dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("email_templates", "site_src"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "rules.yaml", tmp_path / "rules.yaml")
    out = tmp_path / "dist"
    build(Project.locate(tmp_path / "rules.yaml"), out, run_checks=False, site=False)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    greeting = tmp_path / "email_templates" / "blocks" / "greeting.mjml.j2"
    greeting.write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n", encoding="utf-8"
    )
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.5)
    with pytest.raises(TemplateError, match=r"greeting\.mjml\.j2:1: the template ran longer than 0\.5 s"):
        build(Project.locate(tmp_path / "rules.yaml"), out, run_checks=False, site=False)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
