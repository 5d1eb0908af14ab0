"""File names as people send them, made safe to store, show and offer for download."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_LENGTH = 120
DEFAULT_NAME = "bilaga.pdf"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\u202a-\u202e\u2066-\u2069]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


def sanitise_filename(name: str | None, extension: str = ".pdf") -> str:
    """A safe file name: no path, no control or bidi characters, at most 120 characters, ending in ``extension``.

    Swedish letters stay (NFC); what a file system or a Content-Disposition header would
    misread becomes ``_``; an empty result becomes ``bilaga.pdf``.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[/\\]", text)[-1]  # a browser may send C:\Users\…\file.pdf
    text = _UNSAFE.sub("_", text)
    text = " ".join(text.split()).strip(" .")
    stem = text[: -len(extension)] if text.lower().endswith(extension) else text
    stem = stem.strip(" .")
    if not stem:
        return DEFAULT_NAME
    if _WINDOWS_RESERVED.match(stem):
        stem = "_" + stem
    return stem[: MAX_NAME_LENGTH - len(extension)].rstrip(" .") + extension
