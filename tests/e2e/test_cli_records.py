"""``inspections archive export`` and ``inspections records register|rules|dispose`` as an operator runs them,
then ``inspections audit verify``: exit codes, messages, and nothing half-written."""

from __future__ import annotations

from pathlib import Path

from admin.seeds import LUDVIKA, TRELLEBORG
from admin.services.auth import hash_password
from domain.organisers import register
from runtime.checkpoint_key import ensure_signer
from store import organisers, users
from store.events import EventStore
from tests.e2e.test_cli import PASSWORD, Cli, cli
from tests.integration.records_support import with_documents
from tests.integration.store_support import append_all

__all__ = ["cli"]


async def _seeded(cli: Cli) -> None:
    store = EventStore(cli.pool)
    for seed in (LUDVIKA, TRELLEBORG):
        await organisers.save(cli.pool, register(seed.organiser_id, seed.organiser_name, seed.organiser_email))
        for user in seed.users.values():
            if await users.get(cli.pool, user.username) is None:
                roles = [r.value for r in user.roles]
                await users.create(cli.pool, user.username, hash_password(PASSWORD), roles, user.organiser_id, None)
        await append_all(store, seed.case_id, await with_documents(store, seed))
    ensure_signer(Path(cli.env["INSPECTIONS_DATA_DIR"]) / "secrets" / "checkpoint-key")


async def test_archive_export_and_its_refusals(cli: Cli) -> None:
    await _seeded(cli)
    out = cli.folder / "packages"
    out.mkdir()
    said = await cli.ok("archive", "export", "--case", "2025:1234", "--out", str(out))
    [package] = list(out.iterdir())
    assert f"Wrote package {package.name}" in said and (package / "METS.xml").is_file()
    still_open = await cli("archive", "export", "--case", "2020:7120", "--out", str(out / "t.zip"))
    assert still_open.returncode == 1 and "--include-open" in still_open.stderr
    unknown = await cli("archive", "export", "--case", "1999:0001", "--out", str(out / "u.zip"))
    assert unknown.returncode == 1 and "1999:0001" in unknown.stderr
    nowhere = await cli("archive", "export", "--case", "2025:1234", "--out", str(cli.folder / "missing" / "p.zip"))
    assert nowhere.returncode == 2 and "does not exist" in nowhere.stderr
    marked = await cli.ok("archive", "export", "--case", "2020:7120", "--out", str(out / "t.zip"), "--include-open")
    assert "NOT final" in marked
    assert sorted(p.name for p in out.iterdir()) == sorted([package.name, "t.zip"])  # no temporary leftovers


async def test_register_and_disposal_then_the_audit_still_verifies(cli: Cli) -> None:
    await _seeded(cli)
    register = await cli.ok("records", "register", "--dnr", "2025:1234", "--csv")
    assert (
        register.splitlines()[0] == "registered_on,dnr,direction,counterpart,description,document_sha256,secrecy_lagrum"
    )
    assert len(register.splitlines()) == 6
    rules = Cli({**cli.env, "INSPECTIONS_DISPOSAL_RULES": "attachment=0d"}, cli.pool, cli.folder)
    assert "Bilaga: gallras när ärendet avslutats" in await rules.ok("records", "rules")
    dry = await rules.ok("records", "dispose", "--dry-run")
    assert "1 document(s) the rules would dispose of" in dry and "2025:1234" in dry and "2020:7120" not in dry
    refused = await rules("records", "dispose", "--as", "marta.rivelis")
    assert refused.returncode == 2 and "registrar, auditor or admin" in refused.stderr
    done = await rules.ok("records", "dispose")
    assert "Recorded 1 disposal event(s); deleted the bytes of 1 document(s)." in done
    assert "Gallrad" not in register and "gallrad" in await cli.ok("records", "register", "--dnr", "2025:1234")
    await cli.ok("audit", "checkpoint", "--out", str(cli.folder / "cp.txt"))
    verified = await cli("audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    bad = Cli({**cli.env, "INSPECTIONS_DISPOSAL_RULES": "decision=1y"}, cli.pool, cli.folder)
    refused_rule = await bad("records", "dispose", "--dry-run")
    assert refused_rule.returncode == 2 and "decisions are never disposed of" in refused_rule.stderr
