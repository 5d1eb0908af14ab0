"""Sending mail: the message built from a rendered notice, and the SMTP client that sends it.

The Message-ID is derived from the notice id, so a notice sent twice (a crash between
sending and recording it) is recognisably the same message to every receiving system.
A failure of the server itself (unreachable, disconnected, timed out, "421 service not
available", refused credentials) is :class:`SmtpUnavailable`: no fault of the message, so it
does not use up the message's tries. Any other failure (a refused recipient or message) is
the message's own.
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


class SmtpUnavailable(Exception):
    """The mail server could not take any message now (not this message's fault); try again shortly."""


def server_unavailable(error: BaseException) -> bool:
    """Whether ``error`` says the server (or the way to it) failed, rather than the message."""
    if isinstance(error, aiosmtplib.SMTPResponseException) and error.code == 421:
        return True  # "service not available, closing transmission channel", at any step
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused | aiosmtplib.SMTPRecipientRefused | aiosmtplib.SMTPDataError):
        return False
    server_side = (aiosmtplib.SMTPAuthenticationError, aiosmtplib.SMTPHeloError, aiosmtplib.SMTPNotSupported)
    return isinstance(error, (OSError, TimeoutError, aiosmtplib.SMTPSenderRefused, *server_side))


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
    """A multipart (plain text + HTML) message for one notice, with its files attached (a decision's PDF)."""
    message = EmailMessage()
    message["Message-ID"] = message_id(notice_id)
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = notice.subject
    message["Date"] = format_datetime(now)
    message["X-Notice-Id"] = notice_id
    message.set_content(notice.text)
    message.add_alternative(notice.html, subtype="html")
    for attachment in notice.attachments:  # the message becomes multipart/mixed: the letter, then its files
        maintype, _, subtype = attachment.media_type.partition("/")
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename)
    return message


class SmtpMailer:
    """Sends messages over SMTP with aiosmtplib."""

    def __init__(self, settings: SmtpSettings) -> None:
        self._settings = settings

    async def send(self, message: EmailMessage) -> None:
        """Send one message: :class:`SmtpUnavailable` when the server failed, its SMTP error if it refused this."""
        s = self._settings
        try:
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
        except Exception as error:
            if server_unavailable(error):
                raise SmtpUnavailable(f"mail server {s.host}:{s.port}: {type(error).__name__}: {error}") from error
            raise


__all__ = ["SmtpMailer", "SmtpSettings", "SmtpUnavailable", "build_message", "message_id", "server_unavailable"]
