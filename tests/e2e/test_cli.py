"""The ``inspections`` CLI as a user runs it: a subprocess against real servers (Temporal start-dev,
embedded PostgreSQL) with a worker in this process, configured only by ``INSPECTIONS_*`` variables."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import asyncpg
import pytest
from temporalio.client import Client, WorkflowHistory
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from admin.seeds import TRELLEBORG, SeedCase, compressed
from admin.services.auth import hash_password
from domain.organisers import register
from runtime.codec import encrypted_data_converter
from runtime.payload_keys import ensure_keyring, load_keyring
from store import organisers, users
from store.migrate import migrate
from worker import WORKFLOWS, build_worker

INSPECTIONS = str(Path(sys.executable).parent / "inspections")
PASSWORD = "correct-horse-battery"


@dataclass
class Cli:
    """Runs ``inspections`` with the test stack's settings; the pool and a scratch folder beside it."""

    env: dict[str, str]
    pool: asyncpg.Pool
    folder: Path

    async def __call__(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return await asyncio.to_thread(
            subprocess.run, [INSPECTIONS, *args], env=self.env, input=stdin, capture_output=True, text=True, timeout=120
        )

    async def ok(self, *args: str, stdin: str | None = None) -> str:
        """Run and expect exit 0; its standard output."""
        done = await self(*args, stdin=stdin)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout

    def file(self, body: object) -> str:
        path = self.folder / f"{uuid.uuid4().hex[:8]}.json"
        path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        return str(path)

    async def events(self) -> int:
        return int(await self.pool.fetchval("SELECT count(*) FROM events"))


@pytest.fixture
async def cli(dev_server_env: WorkflowEnvironment, pg_urls, tmp_path: Path) -> AsyncIterator[Cli]:  # type: ignore[no-untyped-def]
    await migrate(pg_urls.owner_url, pg_urls.app_url)
    pool = await asyncpg.create_pool(pg_urls.app_url, min_size=1, max_size=4)
    queue = f"cli-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTIONS_")}
    env.update(
        INSPECTIONS_DATABASE_URL=pg_urls.app_url,
        INSPECTIONS_DATABASE_OWNER_URL=pg_urls.owner_url,
        INSPECTIONS_TEMPORAL_ADDRESS=dev_server_env.client.service_client.config.target_host,
        INSPECTIONS_TASK_QUEUE=queue,
        INSPECTIONS_DATA_DIR=str(tmp_path / "data"),
        COLUMNS="200",
        NO_COLOR="1",
    )
    # The CLI seals Temporal payloads with the data folder's key file, as `make run` makes it; so does the worker.
    keyring = ensure_keyring(tmp_path / "data" / "secrets" / "payload-keys.json")
    address = dev_server_env.client.service_client.config.target_host
    sealed = await Client.connect(address, data_converter=encrypted_data_converter(keyring))
    async with build_worker(sealed, pool, queue):
        yield Cli(env, pool, tmp_path)
    await pool.close()


async def add_people(cli: Cli, seed: SeedCase) -> None:
    """The seed's organiser and people, added through the CLI."""
    await cli.ok("organisers", "add", seed.organiser_id, seed.organiser_name, seed.organiser_email)
    for user in seed.users.values():
        roles = [arg for r in sorted(user.roles) for arg in ("--role", r.value)]
        organiser = ["--organiser", user.organiser_id] if user.organiser_id else []
        await cli.ok("users", "add", user.username, *roles, *organiser, "--password-stdin", stdin=PASSWORD + "\n")


async def store_people(cli: Cli, seed: SeedCase) -> None:
    """The seed's organiser and people, straight into the store (where the CLI's own commands are not tested)."""
    await organisers.save(cli.pool, register(seed.organiser_id, seed.organiser_name, seed.organiser_email))
    for user in seed.users.values():
        await users.create(
            cli.pool, user.username, hash_password(PASSWORD), [r.value for r in user.roles], user.organiser_id, None
        )


async def test_people_and_organisers(cli: Cli) -> None:
    await add_people(cli, TRELLEBORG)
    listing = await cli.ok("users", "list")
    assert "trelleborg.bildning" in listing and "212000-1173" in listing and "decision_maker" in listing
    assert "Trelleborgs kommun" in await cli.ok("organisers", "list")
    again = await cli("users", "add", "marta.rivelis", "--role", "inspector", "--password-stdin", stdin=PASSWORD)
    assert again.returncode == 1 and "Det finns redan en användare som heter marta.rivelis" in again.stderr
    no_organiser = await cli("users", "add", "x.org", "--role", "organiser", "--password-stdin", stdin=PASSWORD)
    assert no_organiser.returncode == 1 and "organiser_id: En användare med rollen huvudman" in no_organiser.stderr
    bad_role = await cli("users", "add", "x.boss", "--role", "boss", "--password-stdin", stdin=PASSWORD)
    assert bad_role.returncode == 1 and "roles[0]" in bad_role.stderr and "Traceback" not in bad_role.stderr
    prompted = await cli(
        "users", "add", "x.auditor", "--role", "auditor", "--name", "Åsa Revisor", stdin=f"{PASSWORD}\n{PASSWORD}\n"
    )  # the prompt reads from stdin too
    assert prompted.returncode == 0, prompted.stderr
    assert "Åsa Revisor" in await cli.ok("users", "list")


async def test_a_seed_case_through_the_cli(cli: Cli) -> None:
    tag = uuid.uuid4().hex[:6]
    seed = compressed(TRELLEBORG, date.today(), case_id=f"cli-{tag}", dnr=f"2020:7120-{tag}")
    await store_people(cli, seed)
    opening, *steps = seed.steps
    opened = await cli.ok("cases", "open", "--json", cli.file(opening.payload), "--as", opening.username)
    assert f"Öppnat: ärende {seed.steps[0].payload['dnr']}" in opened and "Under granskning (under_review)" in opened
    dnr = opening.payload["dnr"]
    for step in steps:
        await cli.ok("cases", "command", dnr, step.command, "--json", cli.file(step.payload), "--as", step.username)
    recorded = await cli.events()
    retry = await cli.ok(
        "cases",
        "command",
        dnr,
        steps[-1].command,
        "--json",
        "-",
        "--as",
        steps[-1].username,
        stdin=json.dumps(steps[-1].payload),
    )
    assert "(awaiting_response), omgång 2" in retry and await cli.events() == recorded  # the same answer, once

    verified = json.loads(await cli.ok("audit", "verify", "--case", dnr, "--json"))  # for scripts: the API's report
    assert verified["ok"] is True and verified["events_checked"] == recorded and verified["failures"] == []
    listing = await cli.ok("cases", "list", "--state", "awaiting_response", "--organiser", seed.organiser_id)
    assert dnr in listing and (await cli.ok("cases", "list", "--state", "closed")).count(dnr) == 0
    shown = await cli.ok("cases", "show", dnr, "--as", "trelleborg.bildning")
    assert "trelleborg.bildning får nu: draft-response" in shown
    assert "kompensatoriskt" in shown and "in_line" in shown and "RoundStarted" in shown and "FollowUpSigned" in shown

    out = cli.folder / "history.json"
    await cli.ok("history", "export", dnr, "--out", str(out))
    bundle = json.loads(out.read_text())
    case_id = bundle["case_id"]
    ids = [w["workflow_id"] for w in bundle["workflows"]]
    # the case's runs first; round children exist only for cases opened before the round clock moved into the case
    assert ids[0] == f"case-{case_id}" and set(ids) <= {
        f"case-{case_id}",
        *(f"case-{case_id}-round-{n}" for n in (1, 2)),
    }
    first = bundle["workflows"][0]
    history = WorkflowHistory.from_json(first["workflow_id"], first["history"])
    sealed = encrypted_data_converter(load_keyring(cli.folder / "data" / "secrets" / "payload-keys.json"))
    await Replayer(workflows=WORKFLOWS, data_converter=sealed).replay_workflow(history)  # sealed payloads, opened
    assert json.loads(await cli.ok("history", "export", case_id))["workflows"] == bundle["workflows"]


async def test_bad_inputs_are_refused_clearly(cli: Cli) -> None:
    tag = uuid.uuid4().hex[:6]
    seed = compressed(TRELLEBORG, date.today(), case_id=f"bad-{tag}", dnr=f"2020:bad-{tag}")
    await store_people(cli, seed)
    await cli.ok("cases", "open", "--json", cli.file(seed.steps[0].payload), "--as", "marta.rivelis")
    dnr, before = seed.steps[0].payload["dnr"], await cli.events()
    malformed = cli.folder / "broken.json"
    malformed.write_text('{"request_id": "x",')
    draft = {**seed.steps[1].payload, "request_id": "wrong-area"}
    draft["areas"] = [{**draft["areas"][0], "code": "no-such-area"}, draft["areas"][1]]
    command = ("cases", "command", dnr)
    unconfigured = Cli({k: v for k, v in cli.env.items() if k != "INSPECTIONS_DATABASE_URL"}, cli.pool, cli.folder)
    no_temporal = Cli({**cli.env, "INSPECTIONS_TEMPORAL_ADDRESS": "127.0.0.1:1"}, cli.pool, cli.folder)
    # each call is independent of the others: run them side by side
    (
        unknown,
        unknown_show,
        unknown_history,
        broken,
        array,
        missing,
        refused,
        wrong_role,
        nobody,
        bad_state,
        no_stack,
        down,
    ) = await asyncio.gather(
        cli("cases", "command", "2099:nope", "sign-decision", "--as", "malin.jern"),
        cli("cases", "show", "2099:nope"),
        cli("history", "export", "2099:nope"),
        cli(*command, "draft-decision", "--json", str(malformed), "--as", "marta.rivelis"),
        cli(*command, "draft-decision", "--json", "-", "--as", "marta.rivelis", stdin="[]"),
        cli(*command, "draft-decision", "--json", "/no/such.json", "--as", "marta.rivelis"),
        cli(*command, "draft-decision", "--json", cli.file(draft), "--as", "marta.rivelis"),
        cli(*command, "sign-decision", "--json", cli.file({"decided_on": "2025-01-01"}), "--as", "trelleborg.bildning"),
        cli(*command, "draft-decision", "--as", "no.body"),
        cli("cases", "list", "--state", "sleeping"),
        unconfigured("cases", "list"),
        no_temporal(*command, "draft-decision", "--as", "marta.rivelis"),
    )
    assert unknown.returncode == 1 and "Det finns inget ärende 2099:nope" in unknown.stderr
    assert unknown_show.returncode == 1 and unknown_history.returncode == 1
    assert broken.returncode == 2 and "är inte giltig JSON" in broken.stderr
    assert array.returncode == 2 and "JSON-objekt" in array.stderr
    assert missing.returncode == 2 and "Kan inte läsa /no/such.json" in missing.stderr
    assert refused.returncode == 1 and "nekad (validation_error)" in refused.stderr
    assert "areas[0].code: Ärendet har inget område med koden ”no-such-area”" in refused.stderr  # code, field, words
    assert (
        wrong_role.returncode == 1 and "nekad (forbidden)" in wrong_role.stderr and "kräver rollen" in wrong_role.stderr
    )
    assert nobody.returncode == 1 and "ingen användare som heter 'no.body'" in nobody.stderr
    assert bad_state.returncode == 2 and "sleeping" in bad_state.stderr  # typer's own words (English)
    assert no_stack.returncode == 2 and "INSPECTIONS_DATABASE_URL" in no_stack.stderr
    assert down.returncode == 2 and "Kan inte ansluta till Temporal" in down.stderr
    everything = [
        unknown,
        unknown_show,
        unknown_history,
        broken,
        array,
        missing,
        refused,
        wrong_role,
        nobody,
        bad_state,
        no_stack,
        down,
    ]
    assert not [r.args for r in everything if "Traceback" in r.stderr + r.stdout]
    assert await cli.events() == before  # nothing refused was recorded
