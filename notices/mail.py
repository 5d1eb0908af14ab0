"""Sending mail: the message built from a rendered notice, and the SMTP client that sends it.

The Message-ID is derived from the notice id, so a notice sent twice (a crash between
sending and recording it) is recognisably the same message to every receiving system.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Literal

import aiosmtplib
from pydantic import BaseModel, ConfigDict

from notices.render import RenderedNotice

MESSAGE_ID_DOMAIN = "inspections.local"


class SmtpSettings(BaseModel):
    """Where and how to send mail (from configuration)."""

    model_config = ConfigDict(frozen=True)

    host: str = "127.0.0.1"
    port: int = 8025
    security: Literal["none", "starttls", "tls"] = "none"
    username: str | None = None
    password: str | None = None
    sender: str = "Skolinspektionen <noreply@skolinspektionen.example>"
    timeout_seconds: float = 30.0


def message_id(notice_id: str) -> str:
    """The Message-ID of a notice: the same notice always has the same id."""
    return f"<{notice_id}@{MESSAGE_ID_DOMAIN}>"


def build_message(notice_id: str, recipient: str, notice: RenderedNotice, sender: str, now: datetime) -> EmailMessage:
    """A multipart (plain text + HTML) message for one notice."""
    message = EmailMessage()
    message["Message-ID"] = message_id(notice_id)
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = notice.subject
    message["Date"] = format_datetime(now)
    message["X-Notice-Id"] = notice_id
    message.set_content(notice.text)
    message.add_alternative(notice.html, subtype="html")
    return message


class SmtpMailer:
    """Sends messages over SMTP with aiosmtplib."""

    def __init__(self, settings: SmtpSettings) -> None:
        self._settings = settings

    async def send(self, message: EmailMessage) -> None:
        """Send one message; raises on any SMTP or connection failure."""
        s = self._settings
        await aiosmtplib.send(
            message,
            hostname=s.host,
            port=s.port,
            username=s.username,
            password=s.password,
            use_tls=s.security == "tls",
            start_tls=s.security == "starttls",
            timeout=s.timeout_seconds,
        )


__all__ = ["SmtpMailer", "SmtpSettings", "build_message", "message_id"]
