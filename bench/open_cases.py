"""Many open cases with running deadline timers: the worker's memory, and a command on an evicted case.

Against the stack of ``make run`` (``inspections run``): opens ``--cases`` cases through the JSON
API and takes each to awaiting the account (open-case, draft-decision, sign-decision: the round's
reminders and overdue timer armed in the case workflow), ``--concurrency`` at a time, printing the
worker's resident memory (VmRSS) as the count grows. Then it sends one command (extend-deadline)
to ``--probes`` of the first cases opened — long evicted from the worker's cache when there are
more open cases than ``INSPECTIONS_MAX_CACHED_WORKFLOWS`` — and to as many of the last (still
cached), and prints both latencies.

    .venv/bin/python bench/open_cases.py [--data-dir .data] [--cases 10000] [--concurrency 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the project, not bench/, shadows `store`

import httpx

from bench.stack_client import Api, StackInfo, new_tag, percentiles, rss_mib, run_lifecycle, today, worker_pid

AWAITING = 3  # open-case, draft-decision, sign-decision


async def main(args: argparse.Namespace) -> None:
    stack = StackInfo.find(Path(args.data_dir))
    worker = worker_pid(stack.data_dir)
    print(f"worker {worker}: {rss_mib(worker):.0f} MiB before", flush=True)
    limits = httpx.Limits(max_connections=args.concurrency * 2)
    async with httpx.AsyncClient(base_url=stack.http, timeout=120, limits=limits) as http:
        api = Api(http, new_tag())
        await api.set_up(stack.admin_password)
        tag, gate, case_ids = new_tag(), asyncio.Semaphore(args.concurrency), [""] * args.cases
        done, began = 0, time.perf_counter()

        async def one(n: int) -> None:
            nonlocal done
            async with gate:
                case_ids[n] = await run_lifecycle(api, tag, n, until=AWAITING)
            done += 1
            if done % args.report_every == 0 or done == args.cases:
                rate = done / (time.perf_counter() - began)
                print(f"{done:6} open cases, {rate:5.1f} cases/s, worker {rss_mib(worker):6.0f} MiB", flush=True)

        await asyncio.gather(*(one(n) for n in range(args.cases)))
        settled = rss_mib(worker)
        for label, probes in (
            ("evicted (first opened)", case_ids[: args.probes]),
            ("cached (last opened)", case_ids[-args.probes :]),
        ):
            api.latencies = []
            for case_id in probes:  # one at a time: the latency of the command alone
                due = (today() + timedelta(days=400)).isoformat()
                body = {"request_id": f"{case_id}:probe", "response_due": due, "reason": "Mätning."}
                await api.call("marta.rivelis", f"/api/v1/cases/{case_id}/commands/extend-deadline", body)
            p = percentiles(api.latencies)
            print(
                f"extend-deadline on {len(probes)} {label} cases: "
                f"p50 {p['p50']:.0f} ms, p95 {p['p95']:.0f} ms, p99 {p['p99']:.0f} ms"
            )
    print(f"worker RSS with {args.cases} open cases: {settled:.0f} MiB (after the probes {rss_mib(worker):.0f} MiB)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("INSPECTIONS_DATA_DIR", ".data"))
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--probes", type=int, default=50)
    parser.add_argument("--report-every", type=int, default=1000)
    asyncio.run(main(parser.parse_args()))
