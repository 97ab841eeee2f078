"""Handing the written mails to the shop's SMTP server (``--send``).

Settings come from ``run.smtp``; the password only from the environment variable it names, never
stored. Each message the server accepts is recorded in the state database before the next is sent, so
a failure part-way (network, server, a killed process) is resumed by the next ``--send`` without
sending anything twice. ``per_minute`` spaces the messages out.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import smtplib
import ssl
import time
from collections.abc import Callable
from email import message_from_bytes
from email.policy import SMTP as SMTP_POLICY
from email.utils import getaddresses
from pathlib import Path

from otokui.customers.state import State
from otokui.errors import BuildError, UsageError
from otokui.policy.model import Smtp


def password(settings: Smtp) -> str | None:
    if settings.password_env is None:
        return None
    value = os.environ.get(settings.password_env)
    if value is None:
        raise UsageError(f"run.smtp.password_env: the environment variable {settings.password_env} is not set")
    return value


def connect(settings: Smtp) -> smtplib.SMTP:
    try:
        if settings.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=30, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=30)
            if settings.security == "starttls":
                client.starttls(context=ssl.create_default_context())
        secret = password(settings)
        if settings.username and secret is not None:
            client.login(settings.username, secret)
    except (OSError, smtplib.SMTPException) as exc:
        raise BuildError(f"run.smtp: cannot reach {settings.host}:{settings.port} ({exc})") from None
    return client


def send_pending(
    state: State,
    root: Path,
    settings: Smtp,
    tick: Callable[[int, int], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Send every written, unsent mail under ``root``; the number accepted."""
    pending = list(state.unsent())
    if not pending:
        return 0
    interval = 60.0 / settings.per_minute
    client = connect(settings)
    sent = 0
    last = 0.0
    try:
        for index, (key, _run, file) in enumerate(pending):
            path = root / file
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise BuildError(f"{path}: cannot read the mail to send ({exc.strerror})") from None
            message = message_from_bytes(data, policy=SMTP_POLICY)
            recipients = [addr for _, addr in getaddresses([str(message["To"])]) if addr]
            sender = next(addr for _, addr in getaddresses([str(message["From"])]) if addr)
            wait = last + interval - time.monotonic()
            if wait > 0 and sent:
                sleep(wait)
            try:
                client.sendmail(sender, recipients, data)
            except smtplib.SMTPRecipientsRefused as exc:
                raise BuildError(f"{file}: the server refused the recipient ({exc.recipients})") from None
            except (OSError, smtplib.SMTPException) as exc:
                raise BuildError(f"{file}: sending failed ({exc}); run again with --send to resume") from None
            last = time.monotonic()
            state.mark_sent(key, dt.datetime.now(dt.UTC))
            sent += 1
            if tick:
                tick(index + 1, len(pending))
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            client.quit()
    return sent
