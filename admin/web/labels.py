"""Swedish words for the codes the domain uses (states, roles, event types, notices), and dates.

The web pages never show a code where a person expects a word; an unknown code is shown as is
so that a new event type still appears, only less prettily.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.dates import format_date

from domain.commands.decision import RejectDraft
from domain.deadlines import TIMEZONE
from domain.labels import AREA_STATUSES, DONE, EVENTS, NOTICE_KINDS, OUTCOMES, RECIPIENTS, ROLES, STATES
from domain.labels import EVENT_FACTS as _EVENT_FACTS

NOTICE_STATUSES = {"pending": "Väntar på att skickas", "sent": "Skickat", "failed": "Misslyckades"}
FLASH = {
    "login": "Du är inloggad.",
    **DONE,
    "withdraw-draft": RejectDraft.own_form.done,
    "user": "Användaren är skapad.",
    "user-deactivated": "Användaren är inaktiverad; alla dess inloggningar har avslutats.",
    "user-reactivated": "Användaren kan logga in igen.",
    "user-password": "Lösenordet är bytt; användarens alla inloggningar har avslutats.",
    "organiser": "Huvudmannen är registrerad.",
}


def word(table: dict[str, str], code: Any) -> str:
    """The Swedish word for ``code`` in ``table``, or the code itself."""
    return table.get(str(code), str(code))


def sv_date(value: date | str | None) -> str:
    """A date as Swedes write it in running text: "2 januari 2026" (empty for None)."""
    if value is None or value == "":
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(day, format="long", locale="sv_SE")


def iso_date(value: date | str | None) -> str:
    """A date as the pages show and take it: ÅÅÅÅ-MM-DD (empty for None)."""
    if value is None or value == "":
        return ""
    return value if isinstance(value, str) else value.isoformat()


def sv_datetime(value: datetime | None) -> str:
    """A moment in Swedish time: "2026-01-02 14:05"."""
    if value is None:
        return ""
    # A fixed pattern needs no locale data: the clock in Sweden, formatted by the standard library
    # (babel's format_datetime parses its locale on every call: a case page has hundreds of these).
    return value.astimezone(TIMEZONE).strftime("%Y-%m-%d %H:%M")


def event_facts(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The parts of an event's data worth a line in the timeline, as (label, text) pairs."""
    facts = []
    for key, label in _EVENT_FACTS:
        value = data.get(key)
        if value in (None, "", []):
            continue
        if key == "recipient":
            value = word(RECIPIENTS, value)
        elif key.endswith(("_due", "_on")):
            value = iso_date(value)
        facts.append((label, str(value)))
    areas = data.get("areas")
    if isinstance(areas, list) and areas:
        codes = [a.get("code", "") if isinstance(a, dict) else str(a) for a in areas]
        facts.append(("Områden", ", ".join(codes)))
    return facts


TEMPLATE_GLOBALS: dict[str, Any] = {
    "STATES": STATES,
    "ROLES": ROLES,
    "AREA_STATUSES": AREA_STATUSES,
    "OUTCOMES": OUTCOMES,
    "EVENTS": EVENTS,
    "NOTICE_KINDS": NOTICE_KINDS,
    "NOTICE_STATUSES": NOTICE_STATUSES,
    "word": word,
    "event_facts": event_facts,
}
"""Names the templates use."""
