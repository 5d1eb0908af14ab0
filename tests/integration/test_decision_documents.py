"""Signing on a real worker: each decision is stored as a sealed PDF/A whose SHA-256 its event names, the seal
holds against the development CA, and the decision's letter carries the very same bytes."""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import AsyncIterator
from email import message_from_bytes, policy
from pathlib import Path

import asyncpg
import pikepdf
import pytest
from aiosmtpd.controller import Controller
from temporalio.testing import WorkflowEnvironment

from admin.seeds import LUDVIKA, TRELLEBORG, SeedCase, shifted
from documents.dev_seal import ensure_dev_seal
from documents.seal import Seal, check_seal, load_seal
from notices.delivery import DeliverySettings, NoticeDelivery
from notices.mail import SmtpMailer, SmtpSettings
from store import documents
from store.embedded import free_port
from store.events import EventStore
from store.migrate import migrate
from tests.integration.case_driver import drive, open_case, record_history, register_people, send, today
from worker import build_worker
from workflows.models import case_workflow_id

SIGNING = {"DecisionSigned": "decision", "FollowUpSigned": "follow_up_decision", "CaseReferred": "referral"}


class Inbox:
    """An SMTP handler keeping every message it is given."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802 (aiosmtpd)
        self.messages.append(envelope.content)  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture(scope="module")
def seal(tmp_path_factory: pytest.TempPathFactory) -> Seal:
    return load_seal(ensure_dev_seal(tmp_path_factory.mktemp("seal") / "secrets"))


@pytest.fixture
async def pool(pg_urls) -> AsyncIterator[asyncpg.Pool]:  # type: ignore[no-untyped-def]
    await migrate(pg_urls.owner_url, pg_urls.app_url)
    pool = await asyncpg.create_pool(pg_urls.app_url, min_size=1, max_size=5)
    yield pool
    await pool.close()


async def fresh(env: WorkflowEnvironment, seed: SeedCase, pool: asyncpg.Pool) -> SeedCase:
    tag = uuid.uuid4().hex[:8]
    await register_people(pool, seed)
    return shifted(seed, await today(env), case_id=f"{seed.case_id}-{tag}", dnr=f"D:{tag}")


async def signed_documents(pool: asyncpg.Pool, case_id: str, seal: Seal) -> dict[str, bytes]:
    """Each signing event's document, checked: stored, its hash the event's, sealed, PDF/A; by event type."""
    found = {}
    for event in await EventStore(pool).read(case_id):
        if event.type not in SIGNING:
            continue
        sha256 = event.data["document_sha256"]
        record = await documents.get(pool, case_id, sha256)
        content = await documents.content(pool, sha256)
        assert record is not None and content is not None, event.type
        assert hashlib.sha256(content).hexdigest() == sha256
        assert (record.kind.value, record.direction.value, record.seq) == (SIGNING[event.type], "outgoing", event.seq)
        assert record.added_by == event.actor.username
        check = await check_seal(content, seal.trust_roots)
        assert check.valid, check.reason
        changed = bytearray(content)
        changed[len(changed) // 2] ^= 0x01
        assert not (await check_seal(bytes(changed), seal.trust_roots)).valid
        with pikepdf.open(io.BytesIO(content)) as pdf:
            meta = pdf.open_metadata()
            assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "B")
        found[event.type] = content
    return found


async def test_each_signed_decision_is_a_sealed_pdf_named_by_its_event(
    time_skipping_env: WorkflowEnvironment, pool: asyncpg.Pool, seal: Seal
) -> None:
    seed = await fresh(time_skipping_env, LUDVIKA, pool)
    queue = f"docs-{uuid.uuid4().hex[:8]}"
    async with build_worker(time_skipping_env.client, pool, queue, seal=seal):
        handle, _ = await open_case(time_skipping_env, seed, queue)
        view = await drive(time_skipping_env, handle, seed)
        assert view.state == "closed"
        await record_history(time_skipping_env, handle.id, "ludvika-case-documents-local")
    found = await signed_documents(pool, seed.case_id, seal)
    assert set(found) == {"DecisionSigned", "FollowUpSigned"}
    # a retried signing (the same request id) answers as before and stores nothing new
    listed = await documents.list_for_case(pool, seed.case_id)
    assert len(listed) == 2


async def test_a_referral_is_a_sealed_pdf_and_its_letter_carries_it(
    time_skipping_env: WorkflowEnvironment, pool: asyncpg.Pool, seal: Seal
) -> None:
    seed = await fresh(time_skipping_env, TRELLEBORG, pool)
    queue = f"docs-{uuid.uuid4().hex[:8]}"
    async with build_worker(time_skipping_env.client, pool, queue, seal=seal):
        handle, _ = await open_case(time_skipping_env, seed, queue)
        await drive(time_skipping_env, handle, seed, steps=3)  # the decision signed: awaiting the account
        refer = seed.steps[2].model_copy(
            update={
                "command": "refer-to-supervision",
                "payload": {
                    "request_id": f"{seed.case_id}:refer",
                    "reason": "Ingen redovisning har kommit in.",
                    "decided_on": (await today(time_skipping_env)).isoformat(),
                    "reference": "2026:77",
                },
            }
        )
        view = await send(handle, seed, refer)
        assert view.state == "referred"
    found = await signed_documents(pool, seed.case_id, seal)
    assert set(found) == {"DecisionSigned", "CaseReferred"}
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        delivery = NoticeDelivery(
            pool, SmtpMailer(SmtpSettings(host="127.0.0.1", port=port, timeout_seconds=5)), DeliverySettings()
        )
        await delivery.deliver_due()
    finally:
        controller.stop()
    sent = {}
    for raw in inbox.messages:
        mail = message_from_bytes(raw, policy=policy.default)
        files = [part.get_content() for part in mail.iter_attachments()]  # type: ignore[attr-defined]
        sent[str(mail["Subject"])] = files
    decision = next(files for subject, files in sent.items() if subject.startswith("Beslut i kvalitetsgranskning"))
    referral = next(files for subject, files in sent.items() if "tillsyn" in subject)
    assert decision == [found["DecisionSigned"]] and referral == [found["CaseReferred"]]  # the very bytes


def test_the_golden_history_of_this_shape_is_kept() -> None:
    assert (Path(__file__).parent.parent / "histories" / "ludvika-case-documents-local.json").exists()
    assert case_workflow_id("x")  # the workflow id scheme the history was recorded under
