"""A case's proven export, checked by tools/verify_export.py alone (standard library and cryptography)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from admin.seeds import LUDVIKA, TRELLEBORG
from domain import Event
from store.case_export import NoCheckpoint, export_case
from store.checkpoints import make_checkpoint
from store.events import EventStore
from store.records import RecordEvents
from store.signed_note import NoteSigner
from tests.integration.log_support import signer
from tests.integration.store_support import append_all, renamed, seed_batches

pytestmark = pytest.mark.integration
__all__ = ["signer"]

TOOL = Path(__file__).resolve().parents[2] / "tools" / "verify_export.py"


def check(export: Path, public_key: str) -> subprocess.CompletedProcess[str]:
    """Run the stand-alone checker as an auditor would: isolated, from another folder."""
    return subprocess.run(
        [sys.executable, "-I", str(TOOL), str(export), "--public-key", public_key],
        capture_output=True,
        text=True,
        cwd=export.parent,
        timeout=60,
    )


def test_the_checker_imports_nothing_of_the_project() -> None:
    tree = ast.parse(TOOL.read_text(encoding="utf-8"))
    roots = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    roots |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert roots == {"__future__", "argparse", "base64", "hashlib", "json", "sys", "cryptography"}


async def test_an_export_proves_itself_and_tampering_is_found(
    seeded_store: EventStore, signer: NoteSigner, tmp_path: Path
) -> None:
    with pytest.raises(NoCheckpoint):
        await export_case(seeded_store.pool, LUDVIKA.case_id, tmp_path / "none.jsonl", signer.verifier)
    await make_checkpoint(seeded_store.pool, signer)
    out = tmp_path / "ludvika.jsonl"
    report = await export_case(seeded_store.pool, "2025:1234", out, signer.verifier)  # by Dnr
    assert (report.case_id, report.events, report.proven, report.tree_size) == (LUDVIKA.case_id, 10, 10, 20)
    public_key = signer.verifier.encode()
    done = check(out, public_key)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        f"Exporten håller: 10 händelser, kedjade, i loggen {signer.name} med 20 händelser enligt signaturen"
    )

    lines = out.read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines[:-1]]

    def broken(name: str, changed: list[dict[str, object]], last: str = lines[-1], key: str = public_key) -> str:
        path = tmp_path / name
        path.write_text("\n".join([*(json.dumps(e, ensure_ascii=False) for e in changed), last]) + "\n")
        result = check(path, key)
        assert result.returncode == 1, result.stdout
        return result.stderr

    edited = [dict(e) for e in events]
    edited[3] = {**edited[3], "occurred_on": "2020-01-01"}
    told = broken("edited.jsonl", edited)
    assert told.startswith(f"HÅLLER INTE: ärende {LUDVIKA.case_id}, löpnummer 4: kontrollsumman stämmer inte"), told
    assert "löpnummer 6: följer inte på löpnummer 4" in broken("cut.jsonl", events[:4] + events[5:])
    moved = [dict(e) for e in events]
    moved[2] = {**moved[2], "log_index": moved[2]["log_index"] + 1}
    assert "löpnummer 3: finns inte i den signerade loggen" in broken("moved.jsonl", moved)
    other = NoteSigner.generate(signer.name).verifier.encode()
    assert "kontrollpunkten är inte signerad med nyckeln" in broken("key.jsonl", events, key=other)
    forged_note = json.dumps({"checkpoint": json.loads(lines[-1])["checkpoint"].replace("\n20\n", "\n21\n")})
    assert "kontrollpunktens signatur stämmer inte" in broken("note.jsonl", events, last=forged_note)
    assert "exporten slutar inte med sin kontrollpunkt" in broken("no-note.jsonl", events[:-1], last=lines[-2])
    name_and_hash = "+".join(public_key.split("+", 2)[:2])  # the key's base64 may hold a "+" itself
    assert "går inte att läsa" in broken("key-cut.jsonl", events, key=name_and_hash)
    missing = check(tmp_path / "nowhere.jsonl", public_key)
    assert missing.returncode == 1 and "Kan inte läsa" in missing.stderr and "Traceback" not in missing.stderr


async def test_events_after_the_checkpoint_are_exported_without_proof(
    seeded_store: EventStore, signer: NoteSigner, tmp_path: Path
) -> None:
    batches = renamed(seed_batches(TRELLEBORG), "third", "T:3")
    await append_all(seeded_store, "third", batches[:3])
    await make_checkpoint(seeded_store.pool, signer)
    done = sum(len(b) for b in batches[:3])
    await append_all_from(seeded_store, "third", batches[3:], done)
    out = tmp_path / "third.jsonl"
    report = await export_case(seeded_store.pool, "third", out, signer.verifier)
    assert (report.events, report.proven) == (sum(len(b) for b in batches), done)
    result = check(out, signer.verifier.encode())
    assert result.returncode == 0, result.stderr
    assert f"{report.events - done} senare händelser ingår ännu inte i någon kontrollpunkt" in result.stdout


async def append_all_from(store: EventStore, case_id: str, batches: list[list[Event]], seq: int) -> None:
    """Append further batches to a case whose last seq is ``seq``."""
    for batch in batches:
        seq = (await store.append(RecordEvents(case_id=case_id, expected_seq=seq, events=batch))).last_seq
