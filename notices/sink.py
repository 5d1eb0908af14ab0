"""The local stack's mail sink: an SMTP server that keeps each message as a file.

Messages land in ``<data dir>/mail/`` as ``.eml`` files named after their Message-ID, so a
user can open them. A message delivered again (same Message-ID) is kept beside the first as
``<id>.2.eml``, ``<id>.3.eml`` …: a duplicate is something to see, not to hide (the fault suite
counts them).
"""

from __future__ import annotations

import argparse
import re
import signal
import time
from email import message_from_bytes
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class FileSink:
    """aiosmtpd handler writing each received message to a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        """Keep the message; answer 250 so the sender marks it sent."""
        content = envelope.original_content or b""
        message_id = message_from_bytes(content).get("Message-ID", "") or "no-id"
        name = re.sub(r"[^A-Za-z0-9@._-]", "", message_id) or "message"
        target, copy = self.folder / f"{name}.eml", 1
        while target.exists():
            copy += 1
            target = self.folder / f"{name}.{copy}.eml"
        target.write_bytes(content)
        return "250 Message accepted"


def start_sink(folder: Path, host: str = "127.0.0.1", port: int = 8025) -> Controller:
    """Start the sink in a background thread; call ``.stop()`` on the result to end it."""
    controller = Controller(FileSink(folder), hostname=host, port=port)
    controller.start()
    return controller


def serve(folder: Path, host: str = "127.0.0.1", port: int = 8025) -> None:
    """Run the sink until SIGTERM or Ctrl-C (the CLI's ``mail-sink`` and ``python -m notices.sink`` do)."""
    controller = start_sink(folder, host=host, port=port)
    print(f"Mail sink on {host}:{port}, keeping messages in {folder}/ (Ctrl-C stops).", flush=True)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


def main() -> None:
    """``python -m notices.sink --folder DIR [--host H] [--port P]``: what the local stack runs (it starts in a
    fraction of the CLI's time, so a killed sink is back at once)."""
    parser = argparse.ArgumentParser(description="The local mail sink: every message kept as a file.")
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    args = parser.parse_args()
    serve(args.folder, args.host, args.port)


if __name__ == "__main__":
    main()
