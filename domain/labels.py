"""Swedish words for the codes the domain uses: states, roles, outcomes, events, notices.

What belongs to one command or event is declared with it and only gathered here: an event's
name (``label`` on its class), a command's confirmation (``form.done``). The pages never show a
code where a person expects a word.
"""

from __future__ import annotations

from domain.commands import COMMAND_TYPES
from domain.events import EVENT_CLASSES

STATES = {
    "under_review": "Under granskning",
    "decision_pending_signature": "Beslut väntar på signering",
    "awaiting_response": "Väntar på redovisning",
    "response_received": "Redovisning inkommen",
    "follow_up_pending_signature": "Uppföljningsbeslut väntar på signering",
    "closed": "Avslutat",
    "referred": "Överlämnat till tillsyn",
}
"""A case's state (``CaseStatus``)."""

ROLES = {
    "inspector": "Föredragande",
    "decision_maker": "Beslutsfattare",
    "organiser": "Huvudman",
    "auditor": "Arkivarie",
    "admin": "Administratör",
    "registrar": "Registrator",
    "system": "Systemet",
}
"""A role (``Role``)."""

AREA_STATUSES = {"open": "Öppet", "no_requirements": "Inga utvecklingsbehov", "in_line": "I linje – avslutat"}
"""Where an assessment area stands (``AreaStatus``)."""

OUTCOMES = {
    "in_line": "I linje med bedömningen (området avslutas)",
    "further_measures_required": "Ytterligare åtgärder krävs",
}
"""The follow-up decision's verdict on an area (``Outcome``)."""

RECIPIENTS = {"organiser": "Huvudmannen", "inspectorate": "Skolinspektionen"}
"""Who a notice goes to (``Recipient``)."""

NOTICE_KINDS = {
    "decision": "Beslut",
    "reminder": "Påminnelse",
    "overdue": "Försenad redovisning",
    "receipt": "Mottagningsbekräftelse",
    "follow_up_decision": "Uppföljningsbeslut",
    "closure": "Avslut",
    "referral": "Överlämning till tillsyn",
}
"""A kind of notice (``NoticeKind``)."""

EVENTS = {cls.model_fields["type"].default: cls.label for cls in EVENT_CLASSES}
"""Each event type's name, from its class's ``label``."""

DONE = {name: cls.form.done for name, cls in COMMAND_TYPES.items() if cls.form is not None}
"""What a person is told once their command took effect, from each command's ``form.done``."""

EVENT_FACTS = (
    ("dnr", "Dnr"),
    ("response_due", "Redovisning senast"),
    ("decided_on", "Beslutsdatum"),
    ("drafted_by", "Utkast av"),
    ("body", "Nämnd"),
    ("paragraph", "Paragraf"),
    ("delegated_to", "Delegat"),
    ("basis", "Inget godkännande krävs enligt"),
    ("submitted_on", "Inskickad"),
    ("sent_on", "Avsänd"),
    ("received_on", "Inkom"),
    ("sender", "Avsändare"),
    ("what", "Komplettering"),
    ("previous_due", "Tidigare sista dag"),
    ("reason", "Skäl"),
    ("next_response_due", "Nästa redovisning senast"),
    ("round", "Omgång"),
    ("reference", "Tillsynsärende"),
    ("recipient", "Mottagare"),
    ("from", "Tidigare handläggare"),
    ("to", "Ny handläggare"),
    ("signer", "Beslutsfattare"),
)
"""The parts of an event's data worth a line in the timeline: (field, Swedish label) in showing order."""
