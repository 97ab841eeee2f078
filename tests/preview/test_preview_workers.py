"""The preview keeps its render workers between saves; they read the saved templates again."""

from __future__ import annotations

import os
from pathlib import Path

from otokui.pipeline import Project
from otokui.preview.state import EMAILS, POLICY, PreviewState


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a finished child not reaped yet counts as gone
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return True


def _shipped(state: PreviewState) -> str:
    emails = state.snapshot().emails
    assert emails is not None
    email = next(e for (kind, _, _), e in emails.emails.items() if kind == "shipped")
    return email.html


def test_saves_reuse_the_workers_and_see_the_saved_template(shop: Project, tmp_path: Path) -> None:
    (tmp_path / "work").mkdir()
    state = PreviewState(shop, tmp_path / "work", None)
    try:
        state.rebuild({POLICY})
        workers = state.render_workers
        assert workers and all(_alive(pid) for pid in workers)
        tracking = shop.templates / "blocks/tracking.mjml.j2"
        text = tracking.read_text(encoding="utf-8")
        for mark in ("FIRST-MARK", "SECOND-MARK"):
            tracking.write_text(text + f"<mj-text>{mark}</mj-text>\n", encoding="utf-8")
            state.rebuild({EMAILS}, {tracking})
            assert not state.snapshot().errors
            assert mark in _shipped(state)
            assert state.render_workers == workers  # the same processes rendered it
    finally:
        state.close()
    assert state.render_workers == ()
    assert not [pid for pid in workers if _alive(pid)]


def test_a_failed_save_starts_new_workers_for_the_next(shop: Project, tmp_path: Path) -> None:
    (tmp_path / "work").mkdir()
    state = PreviewState(shop, tmp_path / "work", None)
    try:
        state.rebuild({POLICY})
        tracking = shop.templates / "blocks/tracking.mjml.j2"
        good = tracking.read_text(encoding="utf-8")
        tracking.write_text(good + "{% if %}", encoding="utf-8")
        state.rebuild({EMAILS}, {tracking})
        assert state.snapshot().errors
        tracking.write_text(good + "<mj-text>FIXED-MARK</mj-text>\n", encoding="utf-8")
        state.rebuild({EMAILS}, {tracking})
        assert not state.snapshot().errors and "FIXED-MARK" in _shipped(state)
        assert state.render_workers
    finally:
        state.close()


def test_a_new_policy_gets_workers_of_its_own(shop: Project, tmp_path: Path) -> None:
    (tmp_path / "work").mkdir()
    state = PreviewState(shop, tmp_path / "work", None)
    try:
        state.rebuild({POLICY})
        before = state.render_workers
        policy = shop.policy.read_text(encoding="utf-8")
        shop.policy.write_text(policy.replace("木漏れ日珈琲", "木漏れ日珈琲店", 1), encoding="utf-8")
        state.rebuild({POLICY})
        after = state.render_workers
        assert after and not set(after) & set(before)
        assert not [pid for pid in before if _alive(pid)]
    finally:
        state.close()
