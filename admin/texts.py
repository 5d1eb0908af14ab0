"""Refusals told in words at the edge: the catalogue (``domain.messages``) with Swedish long dates.

The JSON API, the pages and the CLI tell a refusal by its key and parameters; Swedish dates read
"15 januari 2026" (babel), English ones (logs, ``Accept-Language: en``) stay ÅÅÅÅ-MM-DD.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from babel.dates import format_date

from domain.errors import DomainError
from domain.messages import Lang, language, render

__all__ = ["Lang", "language", "long_date", "tell", "tell_key"]


def long_date(day: date, lang: Lang) -> str:
    """A date in running text: "15 januari 2026" in Swedish, 2026-01-15 in English."""
    return format_date(day, format="long", locale="sv_SE") if lang == "sv" else day.isoformat()


def tell_key(key: str, params: Mapping[str, Any] | None = None, lang: Lang = "sv", **context: Any) -> str:
    """The message ``key`` with ``params`` in ``lang``."""
    return render(key, params, lang, date_text=long_date, **context)


def tell(error: DomainError, lang: Lang = "sv", *, command: str | None = None, areas: Sequence[str] = ()) -> str:
    """The refusal in ``lang``; ``command`` names the form whose labels name its field."""
    return render(error.key, error.params, lang, field=error.field, command=command, areas=areas, date_text=long_date)
