"""Payloads for every command, drawn from small pools of plausible and implausible values.

``draw_payload(data, name, state, today, plausible)`` returns the JSON-like body a client
would send. Plausible payloads look like what a careful user sends given the case as it
stands (they may still break a date rule); implausible ones mix in every kind of mistake:
blank texts, missing or extra or unknown areas, dates in the future or before the decision,
due dates that have passed, stale rounds, and values of the wrong type.

The strategies are built once at import: drawing from a ready strategy is what keeps the
state machine fast.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from domain import COMMAND_TYPES, CaseState

AREA_POOL = ("analys", "kompensatoriskt", "likvardighet")
UNKNOWN_AREA = "tillsyn"
TEXTS = ("Huvudmannen behöver fördjupa sina analyser.", "Åtgärderna följs upp varje termin.")

# (plausible, anything) pairs
TEXT = (st.sampled_from(TEXTS), st.sampled_from([*TEXTS, "", "   ", "\n\t"]))
PAST_OR_TODAY = (st.sampled_from([-30, 0, 0, 0, 0]), st.sampled_from([-400, -30, -1, 0, 1, 30]))
AHEAD = (st.sampled_from([1, 30, 90, 180]), st.sampled_from([-30, -1, 0, 1, 30, 90, 180]))
REQUIREMENTS = (
    st.sampled_from([[TEXTS[0]], [TEXTS[0], TEXTS[1]], [TEXTS[1]], []]),
    st.sampled_from([[TEXTS[0]], [], ["  "]]),
)
BOARD = (
    st.sampled_from(["Bildningsnämnden", "Barn- och utbildningsnämnden"]),
    st.sampled_from(["Bildningsnämnden", "", " "]),
)
PARAGRAPH = (st.just("§ 122"), st.sampled_from(["§ 122", "", "\t"]))
REFERENCE = (st.just("2026:123"), st.sampled_from(["2026:123", "", "2026:\n123"]))
ASSIGNEE = (st.sampled_from(["anna.handlaggare", "marta"]), st.sampled_from(["anna.handlaggare", "marta", "", " "]))
SIGNER = st.sampled_from(["malin.jern", "kim.beslut", None])
ASSIGNEE_ROLES = (st.just(["inspector"]), st.sampled_from([["inspector"], [], ["decision_maker"]]))
AREA_MISTAKE = st.sampled_from(["none", "all", "missing", "twice", "unknown", "none"])
OUTCOME = st.sampled_from(["in_line", "in_line", "further_measures_required"])
MAYBE = st.booleans()
ALARM_SHIFT = st.sampled_from([0, 0, -1, 14])
ROUND_SHIFT = st.sampled_from([0, 1, -1])
RECIPIENT = st.sampled_from(["organiser", "inspectorate"])
DAYS_BEFORE_DUE = st.sampled_from([30, 7, -1, -31])
MALFORMED = st.sampled_from([None, None, None, None, None, None, None, None, "request_id", "surplus"])


def _pick(data: st.DataObject, pair: tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]], plausible: bool) -> Any:
    return data.draw(pair[0] if plausible else pair[1])


def _day(data: st.DataObject, base: date, offsets: tuple[st.SearchStrategy[int], ...], plausible: bool) -> str:
    return (base + timedelta(days=_pick(data, offsets, plausible))).isoformat()


def _codes(data: st.DataObject, state: CaseState, required: tuple[str, ...], plausible: bool) -> list[str]:
    """The area codes a command names: exactly ``required``, or one of the usual mistakes."""
    mistake = "none" if plausible else data.draw(AREA_MISTAKE)
    if mistake == "all":
        return [a.code for a in state.areas]
    if mistake == "missing":
        return list(required[1:])
    if mistake == "twice" and required:
        return [required[0], *required]
    if mistake == "unknown":
        return [*required, UNKNOWN_AREA]
    return list(required)


def _due(data: st.DataObject, today: date, needed: bool, plausible: bool) -> str | None:
    """A due date when one is needed (plausible), or one given or left out at random."""
    if plausible:
        return _day(data, today, AHEAD, True) if needed else None
    return _day(data, today, AHEAD, False) if data.draw(MAYBE) else None


def _draft_decision(data: st.DataObject, state: CaseState, today: date, plausible: bool) -> dict[str, Any]:
    required = tuple(a.code for a in state.areas)
    codes = _codes(data, state, required, plausible)
    plausible = plausible or codes != list(required)  # one mistake at a time, so that each is reached
    areas = [
        {"code": code, "assessment": _pick(data, TEXT, plausible), "requirements": _pick(data, REQUIREMENTS, plausible)}
        for code in codes
    ]
    return {"areas": areas, "response_due": _due(data, today, any(a["requirements"] for a in areas), plausible)}


def _draft_response(data: st.DataObject, state: CaseState, plausible: bool) -> dict[str, Any]:
    codes = _codes(data, state, state.open_codes, plausible)
    plausible = plausible or codes != list(state.open_codes)
    return {
        "areas": [
            {"code": c, "measures": _pick(data, TEXT, plausible), "evaluation": _pick(data, TEXT, plausible)}
            for c in codes
        ]
    }


def _draft_follow_up(data: st.DataObject, state: CaseState, today: date, plausible: bool) -> dict[str, Any]:
    codes = _codes(data, state, state.open_codes, plausible)
    plausible = plausible or codes != list(state.open_codes)
    areas = [{"code": c, "outcome": data.draw(OUTCOME), "motivation": _pick(data, TEXT, plausible)} for c in codes]
    further = any(a["outcome"] == "further_measures_required" for a in areas)
    return {"areas": areas, "next_response_due": _due(data, today, further, plausible)}


def _alarm(data: st.DataObject, state: CaseState, today: date, plausible: bool) -> dict[str, Any]:
    """The round and due date a timer names: the current ones, or stale ones."""
    due = state.response_due or today
    if plausible:
        return {"round": state.round, "response_due": due.isoformat()}
    due += timedelta(days=data.draw(ALARM_SHIFT))
    return {"round": state.round + data.draw(ROUND_SHIFT), "response_due": due.isoformat()}


def _from_fields(data: st.DataObject, name: str, today: date, plausible: bool) -> dict[str, Any]:
    """A command with no branch above: each of its fields drawn by type (texts, dates), so that a
    new command of plain fields is in the random histories at once. Anything else needs a branch."""
    payload: dict[str, Any] = {}
    for field, info in COMMAND_TYPES[name].model_fields.items():
        if field in ("request_id", "command"):
            continue
        if info.annotation is str:
            payload[field] = _pick(data, TEXT, plausible)
        elif info.annotation is date:
            payload[field] = _day(data, today, AHEAD if field.endswith("_due") else PAST_OR_TODAY, plausible)
        else:
            raise AssertionError(f"{name}.{field} is neither a text nor a date: give {name} a branch in draw_payload")
    return payload


def draw_payload(data: st.DataObject, name: str, state: CaseState, today: date, plausible: bool) -> dict[str, Any]:
    """A body for command ``name`` on ``state`` on day ``today``.

    Where a payload names areas and gets them wrong, its other fields are kept plausible, so
    that the area mistake itself is what the rules have to catch.
    """
    if name == "draft-decision":
        payload = _draft_decision(data, state, today, plausible)
    elif name in ("sign-decision", "sign-follow-up"):
        payload = {"decided_on": _day(data, today, PAST_OR_TODAY, plausible)}
    elif name == "reject-draft":
        payload = {"reason": _pick(data, TEXT, plausible)}
    elif name == "draft-response":
        payload = _draft_response(data, state, plausible)
    elif name == "approve-response":
        payload = {
            "body": _pick(data, BOARD, plausible),
            "decided_on": _day(data, today, PAST_OR_TODAY, plausible),
            "paragraph": _pick(data, PARAGRAPH, plausible),
        }
    elif name == "submit-response":
        payload = {"submitted_on": _day(data, today, PAST_OR_TODAY, plausible)}
    elif name == "register-response":  # sent and received on days that have been, with one uploaded PDF
        payload = {
            "sent_on": _day(data, today, PAST_OR_TODAY, plausible),
            "received_on": _day(data, today, PAST_OR_TODAY, plausible),
            "sender": _pick(data, BOARD, plausible),
            "attachments": ["0" * 64],
        }
    elif name == "request-supplement":
        payload = {"what": _pick(data, TEXT, plausible), "response_due": _day(data, today, AHEAD, plausible)}
    elif name == "extend-deadline":
        base = max(state.response_due or today, today)
        payload = {"response_due": _day(data, base, AHEAD, plausible), "reason": _pick(data, TEXT, plausible)}
    elif name == "draft-follow-up":
        payload = _draft_follow_up(data, state, today, plausible)
    elif name == "refer-to-supervision":
        payload = {
            "reason": _pick(data, TEXT, plausible),
            "decided_on": _day(data, today, PAST_OR_TODAY, plausible),
            "reference": _pick(data, REFERENCE, plausible),
        }
    elif name == "assign":  # to_roles is what the service finds in the users table for ``to``
        payload = {"to": _pick(data, ASSIGNEE, plausible), "to_roles": _pick(data, ASSIGNEE_ROLES, plausible)}
    elif name == "designate-signer":  # signer_roles: the same, for ``signer``
        signer = data.draw(SIGNER)
        payload = {
            "signer": signer,
            "signer_roles": ["decision_maker"] if plausible or data.draw(st.booleans()) else [],
        }
    elif name == "send-reminder":
        payload = {
            **_alarm(data, state, today, plausible),
            "recipient": data.draw(RECIPIENT),
            "days_before_due": data.draw(DAYS_BEFORE_DUE),
        }
    elif name == "mark-overdue":
        payload = _alarm(data, state, today, plausible)
    elif name == "mark-secrecy":  # entries is what the service finds in the case's register
        entries = [1, 2, 3]
        payload = {"entry": data.draw(st.integers(1, 3 if plausible else 5)), "lagrum": _pick(data, TEXT, plausible)}
        payload["entries"] = entries
    elif name == "open-case":
        payload = {
            "dnr": "2025:9999",
            "organiser_id": state.organiser_id,
            "title": "Ny granskning",
            "opened_on": today.isoformat(),
            "areas": [{"code": "analys", "title": "Analys", "legal_basis": "1 kap. 9 § skollagen"}],
        }
    else:
        payload = _from_fields(data, name, today, plausible)
    malformed = None if plausible else data.draw(MALFORMED)
    if malformed == "request_id":
        payload["request_id"] = None  # a value of the wrong type
    elif malformed == "surplus":
        payload["signed_by"] = "someone"  # a field the command does not have
    return payload
