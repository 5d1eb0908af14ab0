"""Benchmark of the audit store: append rate, verify rate and the log's proofs on a real PostgreSQL.

Starts an embedded PostgreSQL in a temporary directory with its normal (durable) settings,
appends ``--cases`` copies of the Ludvika seed case (10 events each, new case ids and Dnr;
one append per case, ``--writers`` at a time), verifies the whole store's chains, logs every
event (the sequencer), signs a checkpoint, verifies the store against it (chains, log leaves,
Merkle tree, consistency proof), checks an inclusion proof for every event and the read model.
Writes the numbers to BENCHMARKS.md (section "Audit store") unless ``--no-write``.

    .venv/bin/python bench/store.py            # 10,000 cases = 100,000 events
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable
from pathlib import Path

# Run as a script, this file's folder is first on sys.path and this file would shadow the
# ``store`` package: the project root goes before it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg

from activities.models import RecordEvents
from admin.replay import seed_events
from admin.seeds import LUDVIKA
from domain import Event
from domain.merkle import root_from_inclusion_proof
from store.audit import verify
from store.checkpoints import StoredCheckpoint, make_checkpoint
from store.embedded import EmbeddedPostgres, free_port, postgres_bin_dir
from store.events import EventStore
from store.log import log_tree, sequence
from store.migrate import migrate
from store.proofs import verify_store
from store.read_model_check import verify_read_model
from store.signed_note import NoteSigner

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "BENCHMARKS.md"
START, END = "<!-- bench/store.py: start -->", "<!-- bench/store.py: end -->"


def case_copies(count: int) -> list[tuple[str, list[Event]]]:
    """``count`` copies of the Ludvika case, each with its own case id, event ids and Dnr."""
    template = seed_events(LUDVIKA)
    copies = []
    for n in range(count):
        case_id = f"bench-{n:06d}"
        copies.append(
            (
                case_id,
                [
                    e.model_copy(
                        update={
                            "case_id": case_id,
                            "event_id": str(uuid.uuid4()),
                            **({"dnr": f"B:{n}"} if e.type == "CaseOpened" else {}),
                        }
                    )
                    for e in template
                ],
            )
        )
    return copies


async def append_all(store: EventStore, cases: list[tuple[str, list[Event]]], writers: int) -> None:
    """Append every case as one batch, ``writers`` at a time."""
    queue: asyncio.Queue[tuple[str, list[Event]]] = asyncio.Queue()
    for case in cases:
        queue.put_nowait(case)

    async def writer() -> None:
        while not queue.empty():
            case_id, events = queue.get_nowait()
            await store.append(RecordEvents(case_id=case_id, expected_seq=0, events=events))

    await asyncio.gather(*(writer() for _ in range(writers)))


def server_cpu_seconds(data_dir: Path) -> float:
    """CPU time used so far by the server: its postmaster and every process it started (Linux /proc)."""
    postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(entry.name) == postmaster or int(fields[1]) == postmaster:
            ticks += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


async def measured(work: Awaitable[object], data_dir: Path, events: int) -> str:
    """Run ``work``: its rate in events/s, and the CPU per event this process and the server spent."""
    wall, ours, server = time.perf_counter(), time.process_time(), server_cpu_seconds(data_dir)
    await work
    wall, ours = time.perf_counter() - wall, time.process_time() - ours
    server = server_cpu_seconds(data_dir) - server
    return (
        f"{events / wall:,.0f} events/s ({wall:.1f} s) | {1e6 * ours / events:.0f} µs + {1e6 * server / events:.0f} µs"
    )


async def run(cases: int, writers: int, data_dir: Path) -> dict[str, str]:
    """Run the benchmark against a fresh server in ``data_dir``; the results as text."""
    server = EmbeddedPostgres(data_dir, free_port())
    server.start()
    try:
        urls = server.ensure_database("bench")
        await migrate(urls.owner_url, urls.app_url)
        pool = await asyncpg.create_pool(urls.app_url, min_size=writers, max_size=writers)
        try:
            copies = case_copies(cases)
            events = sum(len(e) for _, e in copies)

            async def check() -> None:
                report = await verify(pool)
                assert report.ok and report.events_checked == events, report

            signer = NoteSigner.generate("bench.skolinspektionen.example/log")
            checkpoints: list[StoredCheckpoint] = []

            async def log_all() -> None:
                assert await sequence(pool) == events

            async def checkpoint() -> None:
                checkpoints.append(await make_checkpoint(pool, signer))

            async def check_proofs() -> None:
                report = await verify_store(pool, signer.verifier, checkpoints[0].note)
                assert report.ok and report.events_checked == report.tree_size == events, report.failures[:3]

            async def check_inclusion() -> None:
                tree = await log_tree(pool)
                root, size = tree.root(), tree.size
                for index in range(size):
                    leaf = tree.leaf(index)
                    assert root_from_inclusion_proof(index, size, leaf, tree.inclusion_proof(index)) == root

            async def check_read_model() -> None:
                report = await verify_read_model(pool)
                assert report.ok and report.cases_checked == cases, report.failures[:3]

            results = {
                "append": await measured(append_all(EventStore(pool), copies, writers), data_dir, events),
                # the first pass also sets the new rows' hint bits, once for all
                "verify_first": await measured(check(), data_dir, events),
                "verify": await measured(check(), data_dir, events),
                "sequence": await measured(log_all(), data_dir, events),
                "checkpoint": await measured(checkpoint(), data_dir, events),
                "proofs_first": await measured(check_proofs(), data_dir, events),
                "proofs": await measured(check_proofs(), data_dir, events),
                "inclusion": await measured(check_inclusion(), data_dir, events),
                "read_model": await measured(check_read_model(), data_dir, events),
            }
            settings = await pool.fetchrow(
                "SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc, version() AS v"
            )
        finally:
            await pool.close()
    finally:
        server.stop()
    return {
        **results,
        "events": f"{events:,}",
        "cases": f"{cases:,}",
        "writers": str(writers),
        "durability": f"fsync={settings['fsync']}, synchronous_commit={settings['sc']}",
        "postgres": str(settings["v"]).split(" on ")[0],
    }


async def append_only(cases: int, writers: int, data_dir: Path, with_log: bool) -> str:
    """Only the append, with or without the log's queue trigger (the one thing the log adds to an append)."""
    server = EmbeddedPostgres(data_dir, free_port())
    server.start()
    try:
        urls = server.ensure_database("bench")
        await migrate(urls.owner_url, urls.app_url)
        if not with_log:
            owner = await asyncpg.connect(urls.owner_url)
            try:
                await owner.execute("ALTER TABLE events DISABLE TRIGGER events_enqueue_for_log")
            finally:
                await owner.close()
        pool = await asyncpg.create_pool(urls.app_url, min_size=writers, max_size=writers)
        try:
            copies = case_copies(cases)
            events = sum(len(e) for _, e in copies)
            return await measured(append_all(EventStore(pool), copies, writers), data_dir, events)
        finally:
            await pool.close()
    finally:
        server.stop()


def machine(load: float) -> str:
    """CPU model, core count, Python version, and the load other work put on the machine."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return (
        f"{cores} cores ({cpu}), Python {platform.python_version()}, {platform.system()} {platform.release()}; "
        f"load average {load:.2f} when the run started (other work on the machine lowers both rates)"
    )


def section(results: dict[str, str], command: str, load: float) -> str:
    """The BENCHMARKS.md section with these results."""
    return f"""{START}
## Audit store

Appending {results["events"]} events ({results["cases"]} copies of the Ludvika seed case, 10 events each,
one append per case, {results["writers"]} concurrent writers) to a fresh embedded {results["postgres"]}
with durable settings ({results["durability"]}), then verifying the hash chain of the whole store twice;
then logging every event (the global log, issue 15), signing a checkpoint and verifying the store against it.

| measure | rate (wall time) | CPU per event: this process + PostgreSQL | target |
|---|---|---|---|
| append | {results["append"]} | ≥ 2,000 events/s |
| verify, whole store, first pass after loading | {results["verify_first"]} | |
| verify, whole store, again | {results["verify"]} | ≥ 50,000 events/s |
| log every event (the sequencer, one run) | {results["sequence"]} | |
| sign a checkpoint (read the log, Merkle tree, Ed25519) | {results["checkpoint"]} | |
| verify against the checkpoint: chains, log leaves, tree, consistency proof | {results["proofs_first"]} | |
| the same, again | {results["proofs"]} | ≥ 50,000 events/s |
| an inclusion proof for every event, made and checked (in memory) | {results["inclusion"]} | |
| read model: fold every case again and compare its rows | {results["read_model"]} | |

Machine: {machine(load)}. Command: `{command}`

How: an append is 5 round trips (BEGIN, the case's advisory lock, one read, one write statement
carrying the events, notices and read-model rows as arrays, COMMIT); round trips, not rows, are
what costs here. The verifier streams (case_id, seq) in cursor batches of 500, asks for the next
batch before hashing the current one, and rebuilds the canonical JSON with json's own C encoder.
The first read of freshly written rows also sets their hint bits (a one-off cost each row pays once),
hence the two verify passes. Verifying against a checkpoint is the same pass over (case_id, seq)
joined with each event's log entry, plus one SHA-256 per event for its leaf and the tree above the
leaves (one more SHA-256 per event); the consistency proof itself is a few dozen hashes. The
read-model check folds every event through the domain (pydantic models), hence its lower rate.
On this shared 2-core machine the rates vary by ±30 % and more with
what else is running; the CPU per event (this benchmark's process, and the server's processes)
varies less, and bounds what two idle cores can do.
{END}"""


def write_section(text: str) -> None:
    """Write or refresh the section in BENCHMARKS.md, leaving other sections alone."""
    current = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else "# Benchmarks\n"
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    updated = pattern.sub(lambda _: text, current) if pattern.search(current) else current.rstrip() + "\n\n" + text
    BENCHMARKS.write_text(updated.rstrip() + "\n", encoding="utf-8")


def main() -> None:
    """Parse the arguments, run, print and record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases of 10 events each (default 10000)")
    parser.add_argument("--writers", type=int, default=8, help="concurrent appenders (default 8)")
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    parser.add_argument(
        "--append-only",
        choices=["with-log", "without-log"],
        help="only the append, with or without the log's queue trigger (the A/B of its cost); prints, writes nothing",
    )
    args = parser.parse_args()
    postgres_bin_dir()  # fail early with a clear message when the binaries are missing
    load = os.getloadavg()[0]
    if args.append_only:
        with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
            rate = asyncio.run(
                append_only(args.cases, args.writers, Path(tmp) / "data", args.append_only == "with-log")
            )
        print(f"append {args.append_only}, load {load:.2f}: {rate}")  # noqa: T201 - a script's output
        return
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        results = asyncio.run(run(args.cases, args.writers, Path(tmp) / "data"))
    command = ".venv/bin/python bench/store.py" + "".join(
        f" --{k} {v}" for k, v in (("cases", args.cases), ("writers", args.writers)) if v != parser.get_default(k)
    )
    text = section(results, command, load)
    print(text)  # noqa: T201 - a script's output
    if not args.no_write:
        write_section(text)


if __name__ == "__main__":
    main()
