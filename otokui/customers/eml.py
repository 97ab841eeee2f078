"""One mail as an RFC 5322 message (``.eml``): multipart/alternative, text first, then HTML.

Built with the standard library's :mod:`email` package: non-ASCII subjects and names become encoded
words, bodies are encoded for 7-bit transport, lines end in CRLF. The ``Message-ID`` is derived from the
event's key, so a mail written again after an interrupted run is the same mail, and a receiving server
or client can recognise it. Marketing mail carries ``List-Unsubscribe`` and one-click
``List-Unsubscribe-Post`` (RFC 8058).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from otokui.policy.model import Policy


def message_id(policy: Policy, key: str) -> str:
    domain = urlsplit(str(policy.shop.url)).hostname or "localhost"
    digest = hashlib.sha256(f"{domain}\0{key}".encode()).hexdigest()[:32]
    return f"<{digest}@{domain}>"


def sender(policy: Policy, locale: str) -> Address:
    smtp = policy.run.smtp
    address = (smtp.from_address if smtp and smtp.from_address else None) or policy.shop.contact.email
    local, _, domain = address.partition("@")
    return Address(display_name=policy.shop.name.get(locale), username=local, domain=domain)


def build_message(
    policy: Policy,
    *,
    key: str,
    locale: str,
    category: str,
    to_name: str,
    to_email: str,
    subject: str,
    text: str,
    html: str,
    day: dt.date,
) -> EmailMessage:
    """The message for one event; ``Date`` is 09:00 on ``day`` in the shop's time zone (stable on a re-run)."""
    message = EmailMessage(policy=SMTP)
    message["From"] = sender(policy, locale)
    local, _, domain = to_email.partition("@")
    message["To"] = Address(display_name=to_name, username=local, domain=domain)
    message["Subject"] = subject
    when = dt.datetime.combine(day, dt.time(9, 0), tzinfo=ZoneInfo(policy.shop.timezone))
    message["Date"] = format_datetime(when)
    message["Message-ID"] = message_id(policy, key)
    message["Content-Language"] = locale
    if category == "marketing" and policy.legal.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{policy.legal.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if category != "transactional":
        message["Auto-Submitted"] = "auto-generated"
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    # A boundary from the key, not a random one: a mail written again is the same bytes.
    message.set_boundary("=_otokui_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:28])
    return message
