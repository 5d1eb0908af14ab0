"""Both seed cases in a store with their documents: decision PDFs (PDF/A from documents.render) named by the
signing events, and a PDF attached to each submitted account — as the workflow and the upload route store them."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date

import pytest

from admin.seeds import LUDVIKA, TRELLEBORG, SeedCase
from admin.services.records import RecordsService
from documents.render import render_pdf
from domain import Event
from domain import events as ev
from domain.actors import ActorRef, Role
from domain.disposal import parse_rules
from domain.organisers import Organiser
from store import documents, organisers
from store.documents import Direction, DocumentKind, NewDocument
from store.embedded import PostgresUrls
from store.events import EventStore
from store.records import RecordEvents
from tests.integration.store_support import append_all, open_store, seed_batches
from tests.unit.documents_support import ludvika_decision, ludvika_follow_up

KINDS = {"DecisionSigned": DocumentKind.DECISION, "FollowUpSigned": DocumentKind.FOLLOW_UP_DECISION}
LUDVIKA_ENDED = date(2026, 3, 5)
"""The day the Ludvika seed case closed (its follow-up decision)."""


def attachment_pdf(text: str) -> bytes:
    """A small PDF standing for a scanned attachment (its bytes differ with ``text``)."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        + f"% {text}\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


async def with_documents(store: EventStore, seed: SeedCase) -> list[list[Event]]:
    """The seed's batches with the signing events naming stored PDFs and each account carrying an attachment."""
    pool, batches = store.pool, []
    rendered = {"DecisionSigned": ludvika_decision(), "FollowUpSigned": ludvika_follow_up()}
    for batch in seed_batches(seed):
        changed = []
        for event in batch:
            if event.type in KINDS:
                model = rendered[event.type].model_copy(update={"dnr": _dnr(seed)})
                pdf = render_pdf(model)
                kind = KINDS[event.type]
                record = await documents.put(
                    pool,
                    NewDocument(
                        case_id=seed.case_id,
                        kind=kind,
                        direction=Direction.OUTGOING,
                        filename=f"{kind.value} {_dnr(seed).replace(':', '-')}.pdf",
                        media_type="application/pdf",
                        added_by="system",
                    ),
                    pdf,
                )
                event = event.model_copy(update={"document_sha256": record.sha256})
            elif event.type == "ResponseSubmitted":
                pdf = attachment_pdf(f"{seed.case_id} account attachment")
                record = await documents.put(
                    pool,
                    NewDocument(
                        case_id=seed.case_id,
                        kind=DocumentKind.ATTACHMENT,
                        direction=Direction.INCOMING,
                        filename="Bilaga 1 redovisning.pdf",
                        media_type="application/pdf",
                        added_by=event.actor.username,
                    ),
                    pdf,
                )
                event = event.model_copy(update={"attachments": (record.sha256,)})
            changed.append(event)
        batches.append(changed)
    return batches


def _dnr(seed: SeedCase) -> str:
    return next(s.payload["dnr"] for s in seed.steps if s.command == "open-case")


@pytest.fixture
async def documented_store(pg_urls: PostgresUrls) -> AsyncIterator[EventStore]:
    """A migrated store with both seed cases, their organisers and their documents."""
    async with open_store(pg_urls) as store:
        for seed in (LUDVIKA, TRELLEBORG):
            await organisers.save(
                store.pool,
                Organiser(organiser_id=seed.organiser_id, name=seed.organiser_name, email=seed.organiser_email),
            )
            await append_all(store, seed.case_id, await with_documents(store, seed))
        yield store


async def mark_and_dispose(store: EventStore) -> None:
    """A secrecy marking of Ludvika's entry 3 and the disposal of its attachment (entry 4), as recorded events."""
    records = RecordsService(store.pool, parse_rules("attachment=0d"))
    done = await records.dispose(ActorRef(username="arkivarie", role=Role.AUDITOR), date(2026, 3, 6), dry_run=False)
    assert done.events == 1
    marked = ev.SecrecyMarked(
        event_id=str(uuid.uuid4()),
        case_id=LUDVIKA.case_id,
        occurred_on=date(2026, 3, 6),
        actor=ActorRef(username="rut.registrator", role=Role.REGISTRAR),
        entry=3,
        lagrum="21 kap. 1 § OSL",
        marked_on=date(2026, 3, 6),
    )
    last = await store.last_seq(LUDVIKA.case_id)
    await store.append(RecordEvents(case_id=LUDVIKA.case_id, expected_seq=last, events=[marked]))
