"""``inspections archive export`` and ``inspections records register|rules|dispose`` as an operator runs them,
then ``inspections audit verify``: exit codes, messages, and nothing half-written.

One database for the module, seeded once, and each command a fork of a process that has imported the CLI
already (tests/e2e/warm_cli.py): starting the console script is most of a command's time. None of these
commands needs Temporal (the CLI is pointed at a port where nothing answers, so one that tried would fail
here). The tests run in file order: exports and refusals first, then the register and a real disposal,
then a register row changed behind the events' back.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from admin.seeds import LUDVIKA, TRELLEBORG
from admin.services.auth import hash_password
from domain.organisers import register
from runtime.checkpoint_key import ensure_signer
from store import organisers, users
from store.embedded import EmbeddedPostgres
from store.events import EventStore
from store.migrate import migrate
from tests.e2e.test_cli import PASSWORD
from tests.e2e.warm_cli import WarmCli, warm_cli
from tests.integration.records_support import with_documents
from tests.integration.store_support import append_all

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def cli(embedded_pg: EmbeddedPostgres) -> AsyncIterator[WarmCli]:
    """Both seed cases with their people and documents in a database of this module's own."""
    name = f"t_records_{uuid.uuid4().hex[:8]}"
    urls = embedded_pg.ensure_database(name)
    folder = Path(tempfile.mkdtemp(prefix="cli-records-"))
    await migrate(urls.owner_url, urls.app_url)
    pool = await asyncpg.create_pool(urls.app_url, min_size=1, max_size=4)
    try:
        store = EventStore(pool)
        for seed in (LUDVIKA, TRELLEBORG):
            await organisers.save(pool, register(seed.organiser_id, seed.organiser_name, seed.organiser_email))
            for user in seed.users.values():
                if await users.get(pool, user.username) is None:
                    roles = [r.value for r in user.roles]
                    await users.create(pool, user.username, hash_password(PASSWORD), roles, user.organiser_id, None)
            await append_all(store, seed.case_id, await with_documents(store, seed))
        ensure_signer(folder / "data" / "secrets" / "checkpoint-key")
        env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTIONS_")}
        env.update(
            INSPECTIONS_DATABASE_URL=urls.app_url,
            INSPECTIONS_DATABASE_OWNER_URL=urls.owner_url,
            INSPECTIONS_TEMPORAL_ADDRESS="127.0.0.1:9",  # discard: no command here may need Temporal
            INSPECTIONS_DATA_DIR=str(folder / "data"),
            COLUMNS="200",
            NO_COLOR="1",
        )
        with warm_cli(env, pool, folder) as warm:
            yield warm
    finally:
        await pool.close()
        embedded_pg.drop_database(name)


async def test_archive_export_and_its_refusals(cli: WarmCli) -> None:
    out = cli.folder / "packages"
    out.mkdir()
    said = await cli.ok("archive", "export", "--case", "2025:1234", "--out", str(out))
    [package] = list(out.iterdir())
    assert f"Paketet {package.name} skrevs till {package}" in said and (package / "METS.xml").is_file()
    still_open = await cli("archive", "export", "--case", "2020:7120", "--out", str(out / "t.zip"))
    assert still_open.returncode == 1, still_open.stderr
    assert "nekad (conflict): case_id: Ärende 2020:7120 är inte avslutat (status ”Väntar på" in still_open.stderr
    assert "Med --include-open skrivs ett paket" in still_open.stderr
    unknown = await cli("archive", "export", "--case", "1999:0001", "--out", str(out / "u.zip"))
    assert unknown.returncode == 1 and "1999:0001" in unknown.stderr
    nowhere = await cli("archive", "export", "--case", "2025:1234", "--out", str(cli.folder / "missing" / "p.zip"))
    assert nowhere.returncode == 2 and f"Mappen {cli.folder / 'missing'} finns inte" in nowhere.stderr
    marked = await cli.ok("archive", "export", "--case", "2020:7120", "--out", str(out / "t.zip"), "--include-open")
    assert "(INTE slutligt: ärendet är inte avslutat) skrevs till" in marked
    assert sorted(p.name for p in out.iterdir()) == sorted([package.name, "t.zip"])  # no temporary leftovers


async def test_register_and_disposal_then_the_audit_still_verifies(cli: WarmCli) -> None:
    register = await cli.ok("records", "register", "--dnr", "2025:1234", "--csv")
    assert (
        register.splitlines()[0] == "registered_on,dnr,direction,counterpart,description,document_sha256,secrecy_lagrum"
    )
    assert len(register.splitlines()) == 6
    table = await cli.ok("records", "register", "--dnr", "2025:1234")
    assert "Diarium (5 poster)" in table and "Inkommande (incoming)" in table and "Utgående (outgoing)" in table
    unreadable = await cli("records", "register", "--from", "2025-13-45")
    assert unreadable.returncode == 2
    assert "nekad (validation_error): from: ”Registrerad från”: ”2025-13-45” går inte" in unreadable.stderr
    backwards = await cli("records", "register", "--from", "2026-01-02", "--to", "2025-01-01")
    assert backwards.returncode == 2 and "ligger efter ”Registrerad till och med” (1 januari 2025)" in backwards.stderr
    rules = cli.with_env(INSPECTIONS_DISPOSAL_RULES="attachment=0d")
    assert "Bilaga: gallras när ärendet avslutats" in await rules.ok("records", "rules")
    dry = await rules.ok("records", "dispose", "--dry-run")
    assert "Gallring, provkörning: regler attachment=0d" in dry and "1 handling som reglerna skulle gallras" in dry
    assert "2025:1234" in dry and "2020:7120" not in dry
    refused = await rules("records", "dispose", "--as", "marta.rivelis")
    assert refused.returncode == 2, refused.stderr
    assert (
        "nekad (forbidden): as: marta.rivelis får inte gallra handlingar: det kräver rollen registrator, "
        "arkivarie eller administratör." in " ".join(refused.stderr.split())
    )
    done = await rules.ok("records", "dispose")
    assert "Registrerade 1 gallringshändelse; raderade innehållet i 1 handling." in done
    assert "Gallrad" not in register and "gallrad" in await cli.ok("records", "register", "--dnr", "2025:1234")
    await cli.ok("audit", "checkpoint", "--out", str(cli.folder / "cp.txt"))
    verified = await cli("audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    bad = cli.with_env(INSPECTIONS_DISPOSAL_RULES="decision=1y")
    refused_rule = await bad("records", "dispose", "--dry-run")
    assert refused_rule.returncode == 2 and "decisions are never disposed of" in refused_rule.stderr
    bad_rules = await bad("records", "rules")
    assert bad_rules.returncode == 2 and "Gallringsreglerna går inte att använda" in bad_rules.stderr


async def test_audit_verify_names_a_register_entry_changed_behind_the_events(cli: WarmCli) -> None:
    await cli.pool.execute(
        "UPDATE register_entries SET description = 'Något annat' WHERE case_id = $1 AND number = 2", LUDVIKA.case_id
    )
    found: subprocess.CompletedProcess[str] = await cli("audit", "verify")
    assert found.returncode == 1, found.stdout + found.stderr
    said = " ".join((found.stdout + found.stderr).split())  # the table may wrap a long reason
    assert LUDVIKA.case_id in said and "Diariepost 2: ”" in said and "är 'Något annat' i diariet" in said
