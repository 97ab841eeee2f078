"""Templates render in worker processes with hard limits: nothing a template does can crash or hang a build.

Each case is something the in-thread watchdog cannot stop (one long C-level
operation, a crash inside MRML, a worker killed from outside); each must end
as one TemplateError naming the template file and line, promptly.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest

from otokui.emails import list_variants, render_all
from otokui.emails.workers import Limits, run_isolated
from otokui.errors import TemplateError
from otokui.policy.load import load_policy
from otokui.policy.model import Policy

ROOT = Path(__file__).resolve().parents[2]
BIG_NUMBER = "{% set n = 7 ** 64 %}\n{{ ((((n ** 64) ** 64) ** 64) ** 64) ** 64 }}\n"
DEEP_MARKUP = "{% for i in range(3000) %}<mj-wrapper>{% endfor %}{% for i in range(3000) %}</mj-wrapper>{% endfor %}\n"
GREEDY = "{{ ((range(100000)|list) * 40)|map('string')|list|length }}\n"
SLOW = "{% for i in range(3000) %}{% for j in range(300) %}{% endfor %}{% endfor %}\n"


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "email_templates"
    shutil.copytree(ROOT / "email_templates", folder)
    return folder


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(ROOT / "rules.yaml")


def greeting(templates: Path, first_lines: str) -> None:
    path = templates / "blocks" / "greeting.mjml.j2"
    path.write_text(first_lines + path.read_text(encoding="utf-8"), encoding="utf-8")


def refused(policy: Policy, templates: Path, limits: Limits, count: int = 2, workers: int = 1) -> tuple[str, float]:
    started = time.monotonic()
    with pytest.raises(TemplateError) as caught:
        run_isolated(policy, templates, list_variants(policy)[:count], workers, limits)
    return str(caught.value), time.monotonic() - started


def test_one_long_c_operation_is_stopped_by_the_wall_clock(policy: Policy, templates: Path) -> None:
    greeting(templates, BIG_NUMBER)
    message, seconds = refused(policy, templates, Limits(variant_seconds=1.5, cpu_seconds=60))
    assert message == (
        "email_templates/blocks/greeting.mjml.j2:2: the render worker ran longer than 1.5 s and was stopped"
        " while rendering emails/order_confirmation/ja/first"
    )
    assert seconds < 1.5 + 3


def test_cpu_time_is_capped(policy: Policy, templates: Path) -> None:
    greeting(templates, BIG_NUMBER)
    message, _ = refused(policy, templates, Limits(variant_seconds=60, cpu_seconds=1))
    assert message.startswith("email_templates/blocks/greeting.mjml.j2:2: the render worker used more than 1 s of CPU")


def test_memory_is_capped(policy: Policy, templates: Path) -> None:
    greeting(templates, GREEDY)
    message, _ = refused(policy, templates, Limits(memory_bytes=100 << 20))
    assert message == (
        "email_templates/blocks/greeting.mjml.j2:1:"
        " the template needs more memory than a render may use, and was stopped"
    )


def test_markup_too_deep_for_mrml_is_refused_before_it_reaches_mrml(policy: Policy, templates: Path) -> None:
    greeting(templates, DEEP_MARKUP)
    message, _ = refused(policy, templates, Limits())
    assert message.startswith("email_templates/layout.mjml.j2: MJML: elements nested more than 256 deep")
    assert "rendered MJML line" in message


def test_a_worker_that_segfaults_becomes_an_error(policy: Policy, templates: Path) -> None:
    """Without the depth limit MRML really overflows its stack: the worker dies, the build does not."""
    greeting(templates, DEEP_MARKUP)
    message, _ = refused(policy, templates, Limits(markup_depth=1_000_000))
    assert message == (
        "email_templates/layout.mjml.j2: the render worker crashed (segmentation fault: markup nested too deep"
        " for MJML?) in MJML while rendering emails/order_confirmation/ja/first"
    )


def test_the_whole_render_has_a_budget(policy: Policy, templates: Path) -> None:
    greeting(templates, SLOW)
    message, seconds = refused(policy, templates, Limits(build_seconds=1.0), count=200)
    assert "took longer than 1 s (build.build_seconds) and was stopped" in message
    assert message.startswith("email_templates/")
    assert seconds < 4


def _processes() -> dict[int, tuple[int, bytes, str]]:
    """pid → (parent pid, command line, state) of every process."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                command = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            found[int(entry)] = (int(fields[1]), command, fields[0])
    return found


def _render_workers() -> set[int]:
    """Live render workers of this process: its own children, or those of its fork server."""
    table = _processes()
    mine = {pid for pid, (parent, _, _) in table.items() if parent == os.getpid()}
    servers = {pid for pid in mine if b"forkserver" in table[pid][1]}
    helpers = {pid for pid in mine if b"resource_tracker" in table[pid][1]}
    served = {pid for pid, (parent, _, _) in table.items() if parent in servers}
    return {pid for pid in (mine - servers - helpers) | served if table[pid][2] != "Z"}


def test_a_killed_worker_with_two_workers_does_not_hang_the_build(policy: Policy, templates: Path) -> None:
    greeting(templates, SLOW)
    before = _render_workers()
    killed: list[int] = []

    def kill_one() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not killed:
            if len(_render_workers() - before) >= 2:
                time.sleep(1.5)
                fresh = sorted(_render_workers() - before)  # read again: a process seen starting may be gone
                try:
                    os.kill(fresh[-1], signal.SIGKILL)
                except (IndexError, ProcessLookupError):
                    continue
                killed.append(fresh[-1])
            time.sleep(0.05)

    killer = threading.Thread(target=kill_one, daemon=True)
    killer.start()
    started = time.monotonic()
    with pytest.raises(TemplateError) as caught:
        render_all(policy, templates, list_variants(policy), workers=2)
    killer.join()
    assert killed, "the render ended before a worker could be killed"
    assert "the render worker was killed (out of memory, or stopped from outside) while " in str(caught.value)
    assert time.monotonic() - started < 20
    assert not (_render_workers() - before), "a render worker outlived the render"


def test_the_calling_process_never_runs_a_template(policy: Policy, templates: Path) -> None:
    """A template's crash costs only its worker: the caller renders again straight after."""
    greeting(templates, DEEP_MARKUP)
    refused(policy, templates, Limits(markup_depth=1_000_000))
    path = templates / "blocks" / "greeting.mjml.j2"
    path.write_text(path.read_text(encoding="utf-8").replace(DEEP_MARKUP, ""), encoding="utf-8")
    assert len(run_isolated(policy, templates, list_variants(policy)[:2], 1)) == 2
