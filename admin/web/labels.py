"""Swedish words for the codes the domain uses (states, roles, event types, notices), and dates.

The web pages never show a code where a person expects a word; an unknown code is shown as is
so that a new event type still appears, only less prettily.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.dates import format_date, format_datetime

from domain.deadlines import TIMEZONE

STATES = {
    "under_review": "Under granskning",
    "decision_pending_signature": "Beslut väntar på signering",
    "awaiting_response": "Väntar på redovisning",
    "response_received": "Redovisning inkommen",
    "follow_up_pending_signature": "Uppföljningsbeslut väntar på signering",
    "closed": "Avslutat",
    "referred": "Överlämnat till tillsyn",
}
ROLES = {
    "inspector": "Föredragande",
    "decision_maker": "Beslutsfattare",
    "organiser": "Huvudman",
    "auditor": "Registrator",
    "admin": "Administratör",
    "system": "Systemet",
}
AREA_STATUSES = {"open": "Öppet", "no_requirements": "Inga utvecklingsbehov", "in_line": "I linje – avslutat"}
OUTCOMES = {
    "in_line": "I linje med bedömningen (området avslutas)",
    "further_measures_required": "Ytterligare åtgärder krävs",
}
EVENTS = {
    "CaseOpened": "Ärendet öppnat",
    "DecisionDrafted": "Utkast till beslut",
    "DecisionSigned": "Beslut signerat",
    "DraftRejected": "Utkast avvisat",
    "ResponseDrafted": "Utkast till redovisning",
    "ResponseApproved": "Redovisningen godkänd av nämnd",
    "ResponseSubmitted": "Redovisning inskickad",
    "SupplementRequested": "Komplettering begärd",
    "DeadlineExtended": "Tidsfristen förlängd",
    "ReminderSent": "Påminnelse skickad",
    "ResponseOverdue": "Redovisningen är försenad",
    "FollowUpDrafted": "Utkast till uppföljningsbeslut",
    "FollowUpSigned": "Uppföljningsbeslut signerat",
    "RoundStarted": "Ny redovisningsomgång",
    "CaseClosed": "Ärendet avslutat",
    "CaseReferred": "Överlämnat till tillsyn",
}
NOTICE_KINDS = {
    "decision": "Beslut",
    "reminder": "Påminnelse",
    "overdue": "Försenad redovisning",
    "receipt": "Mottagningskvitto",
    "follow_up_decision": "Uppföljningsbeslut",
    "closure": "Avslut",
    "referral": "Överlämning till tillsyn",
}
NOTICE_STATUSES = {"pending": "Väntar på att skickas", "sent": "Skickat", "failed": "Misslyckades"}
RECIPIENTS = {"organiser": "Huvudmannen", "inspectorate": "Skolinspektionen"}
FLASH = {
    "login": "Du är inloggad.",
    "open-case": "Ärendet är öppnat.",
    "draft-decision": "Utkastet till beslut är sparat.",
    "sign-decision": "Beslutet är signerat.",
    "reject-draft": "Utkastet är avvisat.",
    "draft-response": "Utkastet till redovisning är sparat.",
    "approve-response": "Nämndens godkännande är registrerat.",
    "submit-response": "Redovisningen är inskickad.",
    "request-supplement": "Kompletteringen är begärd.",
    "extend-deadline": "Tidsfristen är förlängd.",
    "draft-follow-up": "Utkastet till uppföljningsbeslut är sparat.",
    "sign-follow-up": "Uppföljningsbeslutet är signerat.",
    "refer-to-supervision": "Ärendet är överlämnat till tillsyn.",
    "user": "Användaren är skapad.",
    "organiser": "Huvudmannen är registrerad.",
}

# What an event's data says in one line, for the timeline: (field, Swedish label) in showing order.
_EVENT_FACTS = (
    ("dnr", "Dnr"),
    ("response_due", "Redovisning senast"),
    ("decided_on", "Beslutsdatum"),
    ("drafted_by", "Utkast av"),
    ("body", "Nämnd"),
    ("paragraph", "Paragraf"),
    ("submitted_on", "Inskickad"),
    ("what", "Komplettering"),
    ("previous_due", "Tidigare sista dag"),
    ("reason", "Skäl"),
    ("next_response_due", "Nästa redovisning senast"),
    ("round", "Omgång"),
    ("reference", "Tillsynsärende"),
    ("recipient", "Mottagare"),
)


def word(table: dict[str, str], code: Any) -> str:
    """The Swedish word for ``code`` in ``table``, or the code itself."""
    return table.get(str(code), str(code))


def sv_date(value: date | str | None) -> str:
    """A date as Swedes write it in running text: "2 januari 2026" (empty for None)."""
    if value is None or value == "":
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(day, format="long", locale="sv_SE")


def sv_datetime(value: datetime | None) -> str:
    """A moment in Swedish time: "2026-01-02 14:05"."""
    if value is None:
        return ""
    return format_datetime(value, "yyyy-MM-dd HH:mm", tzinfo=TIMEZONE, locale="sv_SE")


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
            value = sv_date(value)
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
