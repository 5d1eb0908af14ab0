"""The web pages' parts that need no servers: form data → command bodies, refusals → the field they
concern, and an overdue case marked in the list (a case only becomes overdue as real days pass).
"""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError

from admin.web.forms import FORMS, command_body, known_paths, new_case_body, place, refusal_messages, renumber
from admin.web.session import TEMPLATES
from domain import DomainError, ErrorCode
from domain.commands import COMMAND_TYPES
from domain.views import AreaView, CaseView


def test_a_draft_decision_form_becomes_the_api_body() -> None:
    form = {
        "request_id": "r-1",
        "response_due": "",
        "areas[0].code": "analys",
        "areas[0].assessment": "Bra.",
        "areas[0].requirements": "Behöver A.\n\n  Behöver B.  \n",
        "areas[1].code": "komp",
        "areas[1].assessment": "Svagt.",
        "areas[1].requirements": "",
    }
    body = command_body(FORMS["draft-decision"], form)
    assert body == {
        "request_id": "r-1",
        "response_due": None,
        "areas": [
            {"code": "analys", "assessment": "Bra.", "requirements": ["Behöver A.", "Behöver B."]},
            {"code": "komp", "assessment": "Svagt.", "requirements": []},
        ],
    }


def test_missing_inputs_are_named_beside_their_fields() -> None:
    spec = FORMS["approve-response"]
    body = command_body(spec, {"request_id": "r", "body": "  ", "decided_on": "not a date", "paragraph": "§ 1"})
    try:
        COMMAND_TYPES["approve-response"].model_validate({**body, "command": "approve-response"})
    except ValidationError as error:
        beside, above = place(refusal_messages(error, "approve-response"), known_paths(spec, 0))
    assert beside == {"decided_on": "”Beslutsdatum”: ange ett datum som ÅÅÅÅ-MM-DD, till exempel 2026-01-15."}
    assert above == [] and body["body"] == "  "  # an empty text goes on to the rules, told with the others


def test_a_refusal_deeper_than_any_input_goes_to_the_nearest_one_and_a_general_one_above() -> None:
    spec = FORMS["draft-decision"]
    known = known_paths(spec, 2)
    assert place({"areas[1].requirements[3]": "Tom."}, known) == ({"areas[1].requirements": "Tom."}, [])
    assert place({"": "Fel tillstånd."}, known) == ({}, ["Fel tillstånd."])
    refusal = DomainError(ErrorCode.FORBIDDEN, "signing.by_drafter", None, {"user": "marta"})
    reason = "marta skrev utkastet och får därför inte signera det; en annan beslutsfattare måste signera."
    assert place(refusal_messages(refusal), known) == ({}, [reason])


def test_empty_area_rows_of_the_new_case_form_are_skipped_and_errors_find_their_row() -> None:
    form = {
        "request_id": "r",
        "dnr": "2025:1",
        "organiser_id": "212000-2270",
        "title": "T",
        "opened_on": "2025-01-20",
        "areas[0].code": "",
        "areas[0].title": "",
        "areas[0].legal_basis": "",
        "areas[2].code": "A B",
        "areas[2].title": "Analys",
        "areas[2].legal_basis": "1 kap.",
    }
    body, rows = new_case_body(form)
    assert body["areas"] == [{"code": "A B", "title": "Analys", "legal_basis": "1 kap."}] and rows == [2]
    assert renumber({"areas[0].code": "Ogiltig kod.", "dnr": "x"}, rows) == {
        "areas[2].code": "Ogiltig kod.",
        "dnr": "x",
    }


def test_an_overdue_case_is_marked_in_the_list() -> None:
    case = CaseView(
        case_id="c1",
        dnr="2020:7120",
        organiser_id="212000-1173",
        title="<script>x()</script>",
        state="awaiting_response",
        round=2,
        response_due=date(2022, 6, 30),
        overdue=True,
        allowed_commands=(),
        areas=(AreaView(code="komp", title="Kompensatoriskt", status="open"),),
    )
    html = TEMPLATES.get_template("cases.html").render(
        cases=[case],
        names={"212000-1173": "Trelleborgs kommun"},
        organisers=[],
        inspectors={},
        filters={},
        my_roles={"inspector"},
        organiser_only=False,
        csrf="t",
        user=None,
        flash=None,
    )
    assert '<tr class="overdue">' in html and "Försenad" in html and "2022-06-30" in html  # dates as ÅÅÅÅ-MM-DD
    assert "Trelleborgs kommun" in html and "(212000-1173)" in html and "omgång 2" in html
    assert "<script>x()" not in html and "&lt;script&gt;x()" in html  # text is escaped
