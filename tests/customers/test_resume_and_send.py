"""A run killed part-way resumes exactly; sending hands each mail to the SMTP server once, also after a failure."""

from __future__ import annotations

import datetime as dt
import email
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
import yaml

from otokui.customers.smtp import send_pending
from otokui.customers.state import State
from otokui.policy.model import Smtp
from tests.customers.conftest import ROOT, policy_data, said
from tests.customers.history import END, generate, write

DAY = END.isoformat()


def shop(folder: Path, letters: bool = True, **run: object) -> Path:
    shutil.copytree(ROOT / "email_templates", folder / "email_templates")
    if not letters:
        (folder / "email_templates" / "letters" / "letter.html.j2").unlink()
    policy = folder / "rules.yaml"
    policy.write_text(yaml.safe_dump(policy_data(**run), allow_unicode=True), encoding="utf-8")
    return policy


def command(policy: Path, export: Any, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        str(ROOT / "build.py"),
        "run",
        "--policy",
        str(policy),
        "--orders",
        str(export.orders),
        "--customers",
        str(export.customers),
        "--out",
        str(out),
        "--on",
        DAY,
        "--announce-ranks",
        "--no-check",
        *extra,
    ]


def mails(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.eml"))}


def events(policy: Path) -> list[tuple[str, ...]]:
    db = sqlite3.connect(policy.with_name("rules.state.sqlite"))
    return sorted(db.execute("SELECT key, customer, what, due, status, run, file, message_id FROM events"))


def test_a_killed_run_resumes_exactly(tmp_path: Path) -> None:
    people = generate(800, seed=7)
    export = write(people, tmp_path / "exports", "eccube")
    killed = shop(tmp_path / "killed", letters=False)
    clean = shop(tmp_path / "clean", letters=False)
    out_killed, out_clean = tmp_path / "killed" / "run", tmp_path / "clean" / "run"

    reference = subprocess.run(command(clean, export, out_clean), capture_output=True, text=True, timeout=300)
    assert reference.returncode == 0, reference.stderr
    total = len(mails(out_clean))
    assert total > 100

    process = subprocess.Popen(
        command(killed, export, out_killed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and process.poll() is None:
        if len(list(out_killed.rglob("*.eml"))) >= total // 3:
            os.kill(process.pid, signal.SIGKILL)
            break
        time.sleep(0.01)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    assert 0 < len(mails(out_killed)) < total

    resumed = subprocess.run(command(killed, export, out_killed), capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert mails(out_killed) == mails(out_clean)  # the same files, byte for byte: nothing lost, nothing twice
    assert events(killed) == events(clean)

    again = subprocess.run(command(killed, export, out_killed), capture_output=True, text=True, timeout=300)
    assert said("summary_written", count=0) in again.stderr
    assert mails(out_killed) == mails(out_clean)


class Handler:
    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.fail_at: int | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.fail_at is not None and len(self.messages) == self.fail_at:
            self.fail_at = None
            return "451 4.3.0 Try again later"
        self.messages.append(envelope.original_content or envelope.content)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Any:
    from aiosmtpd.controller import Controller

    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


def test_sending_delivers_each_mail_once_even_after_a_failure(tmp_path: Path, smtp_server: Any) -> None:
    handler, port = smtp_server
    people = generate(500, seed=3)
    export = write(people, tmp_path / "exports", "eccube")
    smtp = {"host": "127.0.0.1", "port": port, "security": "none", "per_minute": 10000}
    policy = shop(tmp_path / "shop", letters=False, smtp=smtp)
    out = tmp_path / "shop" / "run"
    handler.fail_at = 4
    failed = subprocess.run(command(policy, export, out, "--send"), capture_output=True, text=True, timeout=300)
    assert failed.returncode != 0
    assert "run again with --send to resume" in failed.stderr
    assert len(handler.messages) == 4
    written = mails(out)
    assert len(written) > 20

    resumed = subprocess.run(command(policy, export, out, "--send"), capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert said("summary_sent", count=len(written) - 4) in resumed.stderr
    ids = [str(email.message_from_bytes(m, policy=default)["Message-ID"]) for m in handler.messages]
    assert len(ids) == len(set(ids)) == len(written)  # every mail once
    assert {m.replace(b"\r\n", b"\n") for m in handler.messages} == {
        m.replace(b"\r\n", b"\n") for m in written.values()
    }
    statuses = {
        row[4] for row in events(policy) if row[2] not in ("letter:thanks", "letter:rank_up") and row[4] != "skipped"
    }
    assert statuses == {"sent"}

    third = subprocess.run(command(policy, export, out, "--send"), capture_output=True, text=True, timeout=300)
    assert third.returncode == 0 and len(handler.messages) == len(written)


def test_sending_respects_the_rate_limit(tmp_path: Path, smtp_server: Any) -> None:
    handler, port = smtp_server
    state = State(tmp_path / "rules.state.sqlite")
    for n in range(3):
        (tmp_path / f"{n}.eml").write_bytes(
            b"From: shop@example.jp\r\nTo: c@example.jp\r\nSubject: hi\r\nMessage-ID: <%d@example.jp>\r\n\r\nhello\r\n"
            % n
        )
        state.record_event(
            f"k{n}", "c", "thanks_review", dt.date(2026, 1, 1), "written", dt.date(2026, 1, 1), f"{n}.eml"
        )
    waits: list[float] = []
    settings = Smtp(host="127.0.0.1", port=port, security="none", per_minute=30)
    assert send_pending(state, tmp_path, settings, sleep=waits.append) == 3
    assert len(waits) == 2 and all(1.5 < w <= 2.0 for w in waits)  # 30 a minute: two seconds apart
    assert len(handler.messages) == 3
    assert send_pending(state, tmp_path, settings, sleep=waits.append) == 0
    state.close()


def test_the_password_comes_from_the_environment_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from otokui.customers.smtp import password
    from otokui.errors import UsageError

    settings = Smtp(host="smtp.example.jp", username="shop", password_env="OTOKUI_SMTP_PASSWORD")
    monkeypatch.delenv("OTOKUI_SMTP_PASSWORD", raising=False)
    with pytest.raises(
        UsageError, match=r"run\.smtp\.password_env: the environment variable OTOKUI_SMTP_PASSWORD is not set"
    ):
        password(settings)
    monkeypatch.setenv("OTOKUI_SMTP_PASSWORD", "s3cret")
    assert password(settings) == "s3cret"
    assert "password" not in Smtp.model_fields  # there is nowhere in rules.yaml to write it
