"""The case page of the admin tool (Swedish, server-rendered): the case, a form for each command the
user may issue now, why a command they might expect is held back, and the timeline. The worklist
and the case list are in ``admin.web.lists``, login in ``admin.web.login``, the new-case, admin
and audit pages in ``admin.web.admin``; sessions and CSRF in ``admin.web.session``.

A refused form comes back with every refused field at once: a summary at the top of the page
(focused, linking to each field), each message beside its field, and everything typed kept.
Every use case goes through the service layer (``admin.services``), as the JSON API's do.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse

from admin.context import context
from admin.errors import STATUS
from admin.services.audit import StoredEvent
from admin.services.cases import Unavailable
from admin.texts import tell, tell_key
from admin.web.documents import document_facts, with_attachments
from admin.web.forms import (
    FORMS,
    CommandForm,
    command_body,
    known_paths,
    place,
    prefill,
    refusal_messages,
    summary_links,
)
from admin.web.session import TEMPLATES, Visitor, WebRoute, posted_form, redirect, render, signed_in, today
from domain import DomainError, ErrorCode, Role
from domain.commands.decision import RejectDraft
from domain.views import AreaView, CaseView

router = APIRouter(route_class=WebRoute, include_in_schema=False)
TEMPLATES.env.globals["summary_links"] = summary_links
Signed = Annotated[Visitor, Depends(signed_in)]
WITHDRAW = RejectDraft.own_form
"""``reject-draft`` as the drafter sees it on their own draft: "Dra tillbaka"."""


@dataclass
class FormState:
    """One command form as the case page shows it: the rows, the input, and the refusals."""

    spec: CommandForm
    rows: list[AreaView]
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    @property
    def summary(self) -> list[tuple[str, str]]:
        """(anchor, message) of every refused field, for the error summary at the top of the page."""
        return summary_links(self.spec.command, self.errors)


def _rows(spec: CommandForm, view: CaseView) -> list[AreaView]:
    if spec.areas == "all":
        return list(view.areas)
    return [a for a in view.areas if a.status == "open"] if spec.areas else []


LATEST = 25
"""The events and notices a case page shows at first, the latest ones (a long case has hundreds of reminders)."""


async def case_page(
    request: Request,
    who: Visitor,
    case_id: str,
    failed: FormState | None = None,
    status: int = 200,
    everything: bool = False,
    **page: Any,
) -> Response:
    """The case page for ``who``; ``failed`` is a refused form, shown again with its input and reasons.

    The timeline and the notices show their latest ``LATEST`` entries unless ``everything`` is asked for.
    """
    read = await context(request).cases.page(who.me, case_id)  # the case, its records, what is held back
    view = read.view
    forms = [FormState(FORMS[c], _rows(FORMS[c], view)) for c in view.allowed_commands if c in FORMS]
    refused: list[str] = []  # a refusal of a command whose form is not shown (any more) goes on top
    if failed is not None:
        if any(f.spec.command == failed.spec.command for f in forms):
            forms = [failed if f.spec.command == failed.spec.command else f for f in forms]
        else:
            refused = [*failed.general, *failed.errors.values()]
    records = {"events": read.events, "notices": read.notices}  # None: not the user's to read (an administrator)
    services = context(request).services
    documents = document_facts(who, case_id, read.documents)  # the list, and what the forms' file inputs offer
    facts = _from_events(records["events"] or [], view, forms)
    own_draft = facts["pending"] is not None and facts["pending"].actor.username == who.me.username
    for form in forms:
        if own_draft and form.spec.command == "reject-draft":
            form.spec = WITHDRAW
    held_back = {FORMS[name].title: tell(reason) for name, reason in read.held_back.items()}
    options: dict[str, dict[str, str]] = {"to": {}, "signer": {}}
    if any(f.spec.command in ("assign", "designate-signer") for f in forms):  # who can be chosen, by role
        people = [u for u in await services.users.list() if u.active]
        named = {u.username: f"{u.full_name} ({u.username})" if u.full_name else u.username for u in people}
        options = {
            "to": {u.username: named[u.username] for u in people if Role.INSPECTOR in u.roles},
            "signer": {u.username: named[u.username] for u in people if Role.DECISION_MAKER in u.roles},
        }
        options["to"].pop(view.responsible or "", None)
    shown = dict(records)
    if not everything:
        shown = {k: v[-LATEST:] if v is not None else None for k, v in records.items()}
    hidden = {f"{k}_hidden": len(v) - len(shown[k]) if v is not None else 0 for k, v in records.items()}
    return render(
        request,
        who,
        "case.html",
        status,
        case=view,
        forms=forms,
        failed=failed if any(f is failed for f in forms) else None,
        organiser=read.organiser,
        today=today(),
        refused=refused,
        held_back=held_back,
        options={**options, "attachments": documents["attachable"]},
        documents=documents["documents"],
        titles={a.code: a.title for a in view.areas},
        **facts,
        **shown,
        **hidden,
        **page,
    )


def _from_events(events: list[StoredEvent], view: CaseView, forms: list[FormState]) -> dict[str, Any]:
    """What the case page shows from the case's events (the draft awaiting a signature, the signed decision's
    requirements, the round's account), with the account's forms pre-filled from what the round holds."""
    drafted, approved = _last(events, "ResponseDrafted", view.round), _last(events, "ResponseApproved", view.round)
    standing = approved if approved and drafted and approved.seq > drafted.seq else None  # a new draft needs one
    for form in forms:
        if form.spec.command == "draft-response" and not form.values and drafted:  # the last draft counts
            form.values = prefill(form.rows, drafted.data.get("areas", []), ("measures", "evaluation"))
        if form.spec.command == "approve-response" and not form.values and standing:
            form.values = {k: str(standing.data.get(k, "")) for k in ("body", "decided_on", "paragraph")}
    decision = _last(events, "DecisionDrafted") if _last(events, "DecisionSigned") else None  # the signed text
    return {
        "pending": _last(events, _PENDING.get(view.state, "")),
        "requirements": {a["code"]: a.get("requirements", []) for a in decision.data["areas"]} if decision else {},
        "account": {a["code"]: a for a in drafted.data.get("areas", [])} if drafted else {},
        "account_steps": {"drafted": drafted is not None, "approved": standing is not None},
        "submitted": _last(events, "ResponseSubmitted", view.round),
    }


_PENDING = {"decision_pending_signature": "DecisionDrafted", "follow_up_pending_signature": "FollowUpDrafted"}


def _last(events: list[StoredEvent], kind: str, round: int | None = None) -> StoredEvent | None:
    """The latest event of type ``kind`` (in ``round``, when given)."""
    return next(
        (e for e in reversed(events) if e.type == kind and (round is None or e.data.get("round") == round)), None
    )


@router.get("/cases/{case_id}", response_class=HTMLResponse)
async def show_case(request: Request, case_id: str, who: Signed, visa: str = "") -> Response:
    """A case: its areas, the timeline (the latest events; ``?visa=allt``: all), notices and the forms the
    user may use now."""
    return await case_page(request, who, case_id, everything=visa == "allt")


async def refused_form(
    request: Request, who: Visitor, case_id: str, command: str, form: dict[str, str], error: Exception
) -> Response:
    """The case page again with ``command``'s form as it was sent and the reasons it was refused."""
    spec = FORMS[command]
    rows = _rows(spec, await context(request).cases.get(who.me, case_id))
    failed = FormState(spec, rows, values=form, request_id=form.get("request_id") or str(uuid.uuid4()))
    failed.values.pop("csrf_token", None)
    if isinstance(error, Unavailable):  # it may yet happen: sending the same form again is a retry
        failed.general = [tell_key(error.key)]
        return await case_page(request, who, case_id, failed, 503)
    assert isinstance(error, DomainError)
    failed.request_id = str(uuid.uuid4())  # nothing was recorded: what is sent next is a new request
    messages = refusal_messages(error, command, [a.title for a in rows])
    failed.errors, failed.general = place(messages, known_paths(spec, len(rows)))
    return await case_page(request, who, case_id, failed, STATUS[error.code])


@router.post("/cases/{case_id}/commands/{command}", response_class=HTMLResponse)
async def run_command(request: Request, case_id: str, command: str) -> Response:
    """Issue ``command`` from its form; refusals re-render the form with the input and the reasons."""
    form = await posted_form(request)
    who = await signed_in(request)
    spec = FORMS.get(command)
    if spec is None:
        raise DomainError(ErrorCode.NOT_FOUND, "command.unknown", "command", {"name": command})
    try:
        body = await with_attachments(request, who, case_id, spec, command_body(spec, form))
        await context(request).cases.command(who.me, case_id, command, body)
    except (DomainError, Unavailable) as error:
        if isinstance(error, DomainError) and error.code is ErrorCode.NOT_FOUND and error.field == "case_id":
            raise
        return await refused_form(request, who, case_id, command, form, error)
    return redirect(request, f"/cases/{case_id}", "withdraw-draft" if form.get("withdraw") else command)
