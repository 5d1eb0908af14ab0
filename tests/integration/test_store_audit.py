"""Export as JSON Lines, and the README's stand-alone check of a proven export (tools/verify_export.py)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from admin.seeds import LUDVIKA, TRELLEBORG
from runtime.checkpoint_key import ensure_signer
from store.audit import export
from store.embedded import PostgresUrls
from store.errors import UnknownCase
from store.events import EventStore

pytestmark = pytest.mark.integration

README = Path(__file__).resolve().parents[2] / "README.md"
INSPECTIONS = Path(sys.executable).parent / "inspections"


def readme_command() -> str:
    """The README's command that checks an export with tools/verify_export.py (one shell line)."""
    section = README.read_text(encoding="utf-8").split("## Verifying the audit chain", 1)[1]
    [line] = [
        line
        for block in re.findall(r"```sh\n(.*?)```", section, re.S)
        for line in block.splitlines()
        if "tools/verify_export.py" in line
    ]
    return line


def run_readme_check(env: dict[str, str], export_file: Path) -> subprocess.CompletedProcess[str]:
    """The README's line as an auditor types it in a clone, on ``export_file`` (``python3``: the venv's, which
    has ``cryptography``; the script imports nothing of the project, tests/integration/test_case_export.py)."""
    command = readme_command().replace("ludvika.jsonl", shlex.quote(str(export_file)))
    path = f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"
    return subprocess.run(
        ["bash", "-c", command], env={**env, "PATH": path}, capture_output=True, text=True, cwd=README.parent
    )


async def test_export_round_trips_every_stored_field(seeded_store: EventStore, tmp_path: Path) -> None:
    out = tmp_path / "ludvika.jsonl"
    report = await export(seeded_store.pool, "2025:1234", out)  # by Dnr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    stored = await seeded_store.read(LUDVIKA.case_id)
    assert report.events == len(lines) == len(stored) and report.case_id == LUDVIKA.case_id
    for line, event in zip(lines, stored, strict=True):
        assert set(line) == {
            "case_id",
            "seq",
            "event_id",
            "type",
            "occurred_on",
            "recorded_at",
            "actor",
            "data",
            "prev_hash",
            "hash",
        }
        assert {**line, "recorded_at": event.recorded_at} == event.model_dump(mode="json") | {
            "recorded_at": event.recorded_at
        }
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", line["recorded_at"])
    assert "Huvudmannen gör i flera delar" in out.read_text(encoding="utf-8")  # UTF-8 kept as is
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ludvika.jsonl"]  # no partial file left behind
    with pytest.raises(UnknownCase):
        await export(seeded_store.pool, "1999:1", tmp_path / "none.jsonl")


async def test_the_readme_check_agrees_with_verify(
    seeded_store: EventStore, pg_urls: PostgresUrls, tmp_path: Path
) -> None:
    ensure_signer(tmp_path / "secrets" / "checkpoint-key")  # as `make run` makes it in its data folder
    out = tmp_path / "trelleborg.jsonl"
    env = {**os.environ, "INSPECTIONS_DATABASE_URL": pg_urls.app_url, "INSPECTIONS_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [str(INSPECTIONS), "audit", "export", "--case", TRELLEBORG.case_id, "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "10 med bevis för att de ingår i den signerade kontrollpunkten för 20 händelser" in done.stdout
    checked = run_readme_check(env, out)
    assert checked.returncode == 0 and "Exporten håller: 10 händelser, kedjade" in checked.stdout, checked.stderr

    lines = out.read_text(encoding="utf-8").splitlines()
    seq = next(json.loads(line)["seq"] for line in lines if '"ResponseApproved"' in line)
    edited = json.loads(lines[seq - 1])
    assert edited["data"]["paragraph"] == "§ 122"
    edited["data"]["paragraph"] = "§ 123"
    lines[seq - 1] = json.dumps(edited, ensure_ascii=False)
    (tmp_path / "edited.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    broken = run_readme_check(env, tmp_path / "edited.jsonl")
    assert broken.returncode == 1 and f"ärende {TRELLEBORG.case_id}, löpnummer {seq}" in broken.stderr

    owner = await asyncpg.connect(pg_urls.owner_url)
    try:  # the same edit in the database: verify and the README check name the same seq
        await owner.execute("SET session_replication_role = replica")
        await owner.execute(
            """UPDATE events SET data = jsonb_set(data, '{paragraph}', '"§ 123"')
                               WHERE case_id = $1 AND seq = $2""",
            TRELLEBORG.case_id,
            seq,
        )
    finally:
        await owner.close()
    again = subprocess.run(
        [str(INSPECTIONS), "audit", "export", "--case", "2020:7120", "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert again.returncode == 0, again.stderr
    assert f"ärende {TRELLEBORG.case_id}, löpnummer {seq}" in run_readme_check(env, out).stderr
    verified = subprocess.run(
        [str(INSPECTIONS), "audit", "verify"], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert verified.returncode == 1 and f"ärende {TRELLEBORG.case_id}, löpnummer {seq}" in verified.stdout
