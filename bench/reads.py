"""Benchmark of the reads people wait for: the worklist, a search and one case page, at 10,000 cases and
about 1,000,000 events, through the real app (FastAPI in-process, real logins, real SQL).

Starts an embedded PostgreSQL in a temporary directory (durable settings), appends 10,000 cases through
the event store (``bench/reads_data.py``: Ludvika seed cases stopped at every stage of a case's life, about
100 events a case), then times each read ``--runs`` times after a warm-up, with the CPU time the app (and
its in-process client) and the server spent per read, and writes p50/p95/p99 to BENCHMARKS.md (section
"Reads") unless ``--no-write``. Target: p99 ≤ 50 ms each. With ``--data-dir`` the loaded server is kept
there, and a later run with the same folder reads it as it is (after applying any new migrations).

    .venv/bin/python bench/reads.py --data-dir /work/bench-data/reads
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the project before bench/ (see bench/store.py)

import asyncpg
import httpx

from admin.app import create_app
from admin.context import AppContext
from admin.services import Services
from admin.services.auth import Tokens
from bench.reads_data import PASSWORD, load
from runtime.config import Settings
from store.embedded import EmbeddedPostgres, free_port
from store.migrate import migrate

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "BENCHMARKS.md"
START, END = "<!-- bench/reads.py: start -->", "<!-- bench/reads.py: end -->"
BLOCKS = 3
"""The runs of each read are timed in this many blocks; its CPU per read is the least block's."""


def server_cpu_seconds(data_dir: Path) -> float:
    """CPU time used so far by the server: its postmaster and every process it started (Linux /proc)."""
    postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
    ticks = 0
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split() if entry.name.isdigit() else None
        except (OSError, IndexError):
            continue
        if fields and (int(entry.name) == postmaster or int(fields[1]) == postmaster):
            ticks += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


async def timed(http: httpx.AsyncClient, url: str, headers: dict[str, str], runs: int, data_dir: Path) -> str:
    """p50 / p95 / p99 in ms of ``runs`` GETs of ``url`` (after 20 to warm up), each answered 200, and the
    CPU time this process (client and app) and the server spent per GET: the least of ``BLOCKS`` blocks of
    the runs, as other work on shared cores only ever adds to it (it moved a third between runs)."""
    for _ in range(20):
        assert (await http.get(url, headers=headers)).status_code == 200
    times: list[float] = []
    cpus, servers = [], []
    for block in range(BLOCKS):
        count = runs // BLOCKS + (block < runs % BLOCKS)
        cpu, server = time.process_time(), server_cpu_seconds(data_dir)
        for _ in range(count):
            start = time.perf_counter()
            answer = await http.get(url, headers=headers)
            times.append((time.perf_counter() - start) * 1000)
            assert answer.status_code == 200, answer.text[:200]
        cpus.append((time.process_time() - cpu) / count * 1000)
        servers.append((server_cpu_seconds(data_dir) - server) / count * 1000)
    cut = statistics.quantiles(times, n=100)
    return f"{cut[49]:.1f} | {cut[94]:.1f} | {cut[98]:.1f} | {min(cpus):.1f} + {min(servers):.1f}"


async def web_login(http: httpx.AsyncClient, username: str) -> None:
    """Log ``http`` in through the login form (its session cookie then goes along)."""
    page = await http.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf, page.text[:300]
    form = {"csrf_token": csrf.group(1), "username": username, "password": PASSWORD, "next": "/"}
    assert (await http.post("/login", data=form)).status_code == 303


async def run(data_dir: Path, runs: int, writers: int) -> dict[str, str]:
    """Load the store and time every read; the results as text."""
    server = EmbeddedPostgres(data_dir, free_port())
    server.start()
    try:
        urls = server.ensure_database("bench")
        await migrate(urls.owner_url, urls.app_url)
        pool = await asyncpg.create_pool(urls.app_url, min_size=writers, max_size=writers)
        try:
            loading = time.perf_counter()
            events = await pool.fetchval("SELECT count(*) FROM events")
            kept = bool(events)
            if not kept:  # a --data-dir kept from an earlier run is read as it is
                events = await load(pool, writers)
            loaded = time.perf_counter() - loading
            owner = await asyncpg.connect(urls.owner_url)
            await owner.execute("VACUUM ANALYZE")  # what autovacuum does after a load
            await owner.close()
            app = create_app(Settings(), AppContext(Services(pool, None, "bench"), Tokens("bench-secret")))
            results: dict[str, str] = {"load_before": load_average()}
            async with app.router.lifespan_context(app):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://bench") as api:
                    tokens = {}
                    for who in ("inspector03", "decider1", "organiser7"):
                        answer = await api.post("/api/v1/auth/token", json={"username": who, "password": PASSWORD})
                        tokens[who] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
                    work = await api.get("/api/v1/worklist", headers=tokens["inspector03"])
                    results["items"] = str(len(work.json()["items"]))
                    closed = await pool.fetchval("SELECT case_id FROM cases WHERE state = 'closed' LIMIT 1")
                    reads = {
                        "worklist_inspector": ("/api/v1/worklist", "inspector03"),
                        "worklist_decider": ("/api/v1/worklist", "decider1"),
                        "worklist_organiser": ("/api/v1/worklist", "organiser7"),
                        "search_word": ("/api/v1/cases?q=elevhälsa", "decider1"),
                        "search_name": ("/api/v1/cases?q=falun&include_closed=true", "decider1"),
                        "search_dnr": ("/api/v1/cases?q=B:12&include_closed=true", "decider1"),
                        "case_api": (f"/api/v1/cases/{closed}", "decider1"),
                    }
                    for name, (url, who) in reads.items():
                        results[name] = await timed(api, url, tokens[who], runs, data_dir)
                async with httpx.AsyncClient(transport=transport, base_url="http://bench") as web:
                    await web_login(web, "inspector03")
                    results["worklist_page"] = await timed(web, "/", {}, runs, data_dir)
                    results["search_page"] = await timed(web, "/cases?q=elevh%C3%A4lsa", {}, runs, data_dir)
                    results["case_page"] = await timed(web, f"/cases/{closed}", {}, runs, data_dir)
            results["load_after"] = load_average()
            version = str(await pool.fetchval("SELECT version()")).split(" on ")[0]
        finally:
            await pool.close()
    finally:
        server.stop()
    how = "kept from an earlier run" if kept else f"loaded in {loaded:.0f} s"
    return {**results, "events": f"{events:,}", "load": how, "postgres": version}


def load_average() -> str:
    """The machine's 1-minute load average (how busy the shared cores were)."""
    loadavg = Path("/proc/loadavg")
    return loadavg.read_text().split()[0] if loadavg.exists() else "?"


def write(results: dict[str, str], runs: int) -> None:
    """Put the results into BENCHMARKS.md between this benchmark's markers."""
    rows = [
        ("worklist (API), an inspector: own cases under review, received and overdue accounts", "worklist_inspector"),
        ("worklist (API), a decision maker: every draft awaiting a signature", "worklist_decider"),
        ("worklist (API), an organiser: its accounts to draft, approve or submit", "worklist_organiser"),
        ("worklist page (HTML, «Att göra nu»), an inspector", "worklist_page"),
        ("search (API): a word of the title, open cases, first page of 50", "search_word"),
        ("search (API): an organiser's name, closed cases included", "search_name"),
        ("search (API): a Dnr prefix, closed cases included", "search_dnr"),
        ("search page (HTML), a word", "search_page"),
        ("one case (API)", "case_api"),
        ("one case page (HTML): facts, forms, reasons, the latest 25 of 107 events and of 97 notices", "case_page"),
    ]
    table = "\n".join(f"| {label} | {results[key]} |" for label, key in rows)
    met = sum(float(results[key].split(" | ")[2]) <= 50 for _, key in rows)
    cpu = max(sum(float(x) for x in results[key].split(" | ")[3].split(" + ")) for _, key in rows)
    verdict = (
        "well under the 50 ms a read may take"
        if met == len(rows)
        else "so on two cores not shared with other work every p99 should be well under 50 ms; on this run's busy"
        " cores the target is not shown for the reads whose p99 is above it"
    )
    text = f"""{START}
## Reads (issue 16)

10,000 cases and {results["events"]} events appended through the event store ({results["load"]}):
Ludvika seed cases stopped at every stage (7,600 closed, 200 referred, 1,500 awaiting an account of which
150 overdue, 150 received, 500 under review, 50 awaiting a signature), each round padded with reminders;
290 organisers, 20 inspectors. Each read {runs} times after 20 to warm up, one at a time, through the whole
app in-process (FastAPI, the login's token or session checked in the database, the SQL, the page rendered).
The inspector's worklist held {results["items"]} items. {results["postgres"]}. The CPU per read is that of the
least of {BLOCKS} blocks of the runs, as other work on shared cores only ever adds to it; even so it moved by up
to a third between runs of the same code here.

| read | p50 ms | p95 ms | p99 ms (target ≤ 50) | CPU per read, ms: app (and client) + PostgreSQL |
|---|---|---|---|---|
{table}

p99 ≤ 50 ms in this run: {met} of {len(rows)} reads. The most CPU a read takes is {cpu:.1f} ms (app and
PostgreSQL together), {verdict}.
(A fresh load of the 10,000 cases took 81 s on a quiet machine, 195–294 s on busy ones.)

What a read costs: the login's check, then one connection from the pool for everything else — the case page
reads the case with its organiser, its events, notices and documents on it (7 statements with the pool's resets;
20 at 4feb093), a list its page and, on the pages, its organisers' names and the filters' choices. The app keeps
what start-up made out of the garbage collector's way (`gc.freeze`): a full collection walked it all, 80–130 ms
each (timed with gc.callbacks), and set the p99 of whichever read it fell in. Against the code before (4feb093),
the same data and this measurement, run alternately with it at load 0.9 (two pairs of runs), the CPU per read
went, in this table's order, from 5.2–5.7 to 4.1–4.2 ms, 7.5–8.1 to 5.7–6.1, 1.9–2.6 to 1.8–2.6, 7.4–7.9 to
5.3–5.9, 6.4–6.5 to 5.8–6.7, 5.9–7.9 to 5.2–6.2, 1.7–2.5 to 1.4–1.6, 5.5–7.2 to 5.8–6.3, 9.5–11.7 to 7.1–7.2 and
8.4–10.0 to 5.7–6.6. The code before had p99s of 33–111 ms in two runs of five (full collections); this code's
p99s were at most 18 ms in nine runs.

Machine: 2 cores ({platform.machine()}), Python {platform.python_version()}, load average {results["load_before"]}
before the reads and {results["load_after"]} after them: the cores are shared with other work, which moves
the wall times (the tail most) far more than the CPU per read. Command:
`.venv/bin/python bench/reads.py` (`--data-dir DIR` keeps the loaded server for the next run).
{END}"""
    current = BENCHMARKS.read_text(encoding="utf-8")
    if START in current:
        current = current[: current.index(START)] + text + current[current.index(END) + len(END) :]
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    BENCHMARKS.write_text(current, encoding="utf-8")


def main() -> None:
    """Run the benchmark and print (and, unless --no-write, record) the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--data-dir", type=Path, help="keep the loaded server here, and reuse it the next time")
    args = parser.parse_args()
    if args.data_dir:
        results = asyncio.run(run(args.data_dir, args.runs, args.writers))
    else:
        with tempfile.TemporaryDirectory(prefix="bench-reads-") as folder:
            results = asyncio.run(run(Path(folder), args.runs, args.writers))
    for key, value in results.items():
        print(f"{key:>20}: {value}")
    if not args.no_write:
        write(results, args.runs)


if __name__ == "__main__":
    main()
