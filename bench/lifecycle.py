"""Full case lifecycles through the JSON API against bare Temporal, in alternating batches, one run.

Against the stack of ``make run`` (``inspections run``): a batch of ``--cases`` Ludvika
lifecycles (open-case and seven commands, open to closed) through ``/api/v1`` at
``--concurrency``, then a batch of as many bare Temporal workflows on the same dev server (start,
then eight Updates each running one no-op activity: ``bench/bare.py``, its worker in this
process) at the same concurrency, alternating ``--batches`` times; then both again one at a time
(unloaded). Prints cases/s, command p50/p95/p99, the ratios project/bare, CPU seconds per case
of every process (stack and this one), and workflow tasks and history bytes of one case each.

    .venv/bin/python bench/lifecycle.py [--data-dir .data] [--cases 100] [--concurrency 20] [--batches 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the project, not bench/, shadows `store`

import httpx
from temporalio.client import Client
from temporalio.worker import Worker

from bench.bare import BareLifecycle, noop
from bench.stack_client import Api, StackInfo, cpu_by_part, new_tag, percentiles, run_lifecycle, stack_pids

STEPS = 8  # open-case + seven commands: the Ludvika lifecycle


async def bare_lifecycle(client: Client, queue: str, latencies: list[float]) -> str:
    """Start a bare workflow and take its eight steps; its workflow id."""
    workflow_id = f"bare-{uuid.uuid4().hex}"
    handle = await client.start_workflow(BareLifecycle.run, STEPS, id=workflow_id, task_queue=queue)
    for step in range(STEPS):
        began = time.perf_counter()
        await handle.execute_update(BareLifecycle.step, step)
        latencies.append(time.perf_counter() - began)
    await handle.result()
    return workflow_id


async def batch(run_one, cases: int, concurrency: int) -> tuple[float, list[str]]:  # type: ignore[no-untyped-def]
    """Run ``cases`` lifecycles, ``concurrency`` at a time; wall seconds and the ids."""
    gate = asyncio.Semaphore(concurrency)

    async def one(n: int) -> str:
        async with gate:
            return await run_one(n)

    began = time.perf_counter()
    ids = await asyncio.gather(*(one(n) for n in range(cases)))
    return time.perf_counter() - began, list(ids)


async def history_of(client: Client, workflow_id: str) -> tuple[int, int]:
    """Workflow tasks and history bytes (JSON) of a workflow's runs."""
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    tasks = sum(1 for e in history.events if e.HasField("workflow_task_completed_event_attributes"))
    return tasks, len(history.to_json())


async def main(args: argparse.Namespace) -> str:
    stack = StackInfo.find(Path(args.data_dir))
    pids = stack_pids(stack.data_dir) + [os.getpid()]
    client = await Client.connect(stack.temporal)
    queue = f"bench-bare-{new_tag()}"
    results: dict[str, dict[str, list[float]]] = {"bare": {}, "project": {}, "by command": {}}
    cpu: dict[str, list[dict[str, float]]] = {"bare": [], "project": []}
    limits = httpx.Limits(max_connections=args.concurrency * 2)
    async with (
        httpx.AsyncClient(base_url=stack.http, timeout=60, limits=limits) as http,
        Worker(client, task_queue=queue, workflows=[BareLifecycle], activities=[noop]),
    ):
        api = Api(http, new_tag(), by_command={})
        await api.set_up(stack.admin_password)
        last: dict[str, str] = {}
        for phase, cases, concurrency in [("loaded", args.cases, args.concurrency)] * args.batches + [
            ("unloaded", args.unloaded, 1)
        ]:
            for kind in ("bare", "project"):
                latencies: list[float] = []
                api.latencies = latencies
                api.by_command = {} if phase == "loaded" else None
                tag = new_tag()
                run_one = (
                    (lambda n, latencies=latencies: bare_lifecycle(client, queue, latencies))
                    if kind == "bare"
                    else (lambda n, tag=tag: run_lifecycle(api, tag, n))
                )
                before = cpu_by_part(pids)
                wall, ids = await batch(run_one, cases, concurrency)
                if phase == "loaded":
                    after = cpu_by_part(pids)
                    cpu[kind].append({p: (after[p] - before.get(p, 0.0)) / cases for p in after})
                results[kind].setdefault(f"{phase} rate", []).append(cases / wall)
                results[kind].setdefault(f"{phase} latencies", []).extend(latencies)
                for name, took in (api.by_command or {}).items() if kind == "project" else ():
                    results["by command"].setdefault(name, []).extend(took)
                last[kind] = ids[-1] if kind == "bare" else f"case-{ids[-1]}"
                print(f"{phase:8} {kind:7} {cases} cases in {wall:5.1f} s: {cases / wall:5.2f} cases/s", flush=True)
        shape = {kind: await history_of(client, last[kind]) for kind in ("bare", "project")}
    return report(args, results, cpu, shape)


def report(args, results, cpu, shape) -> str:  # type: ignore[no-untyped-def]
    """The results as a Markdown table, with the ratios project / bare."""

    def rate(kind: str, phase: str) -> float:
        rates = results[kind][f"{phase} rate"]
        return sum(rates) / len(rates)

    lines = [
        "| | bare Temporal | this project | project / bare |",
        "|---|---|---|---|",
        f"| full lifecycles/s at {args.concurrency} concurrent ({args.batches} alternating batches of {args.cases}) "
        f"| {rate('bare', 'loaded'):.2f} | {rate('project', 'loaded'):.2f} "
        f"| **{rate('project', 'loaded') / rate('bare', 'loaded'):.2f}** |",
    ]
    for phase, label in (("loaded", f"at {args.concurrency} concurrent"), ("unloaded", "unloaded")):
        b, p = (percentiles(results[k][f"{phase} latencies"]) for k in ("bare", "project"))
        lines.append(
            f"| command p50 / p95 / p99, {label} | {b['p50']:.0f} / {b['p95']:.0f} / {b['p99']:.0f} ms "
            f"| {p['p50']:.0f} / {p['p95']:.0f} / {p['p99']:.0f} ms "
            f"| {p['p50'] / b['p50']:.2f} / {p['p95'] / b['p95']:.2f} / **{p['p99'] / b['p99']:.2f}** |"
        )
    per_part = {k: {p: sum(b.get(p, 0.0) for b in cpu[k]) / len(cpu[k]) for p in cpu[k][0]} for k in cpu}
    bare_cpu, project_cpu = (sum(per_part[k].values()) for k in ("bare", "project"))
    lines.append(
        f"| CPU seconds per case, all processes (loaded) | {bare_cpu:.3f} | {project_cpu:.3f} "
        f"| {project_cpu / bare_cpu:.2f} |"
    )
    for part in sorted(per_part["project"], key=lambda p: -per_part["project"][p]):
        b, p = per_part["bare"].get(part, 0.0), per_part["project"][part]
        if max(b, p) >= 0.001:
            lines.append(f"| … of which {part} | {b:.3f} | {p:.3f} | |")
    (bt, bb), (pt, pb) = shape["bare"], shape["project"]
    lines.append(
        f"| workflow tasks / history bytes per case | {bt} / {bb / 1024:.0f} KB | {pt} / {pb / 1024:.0f} KB | |"
    )
    lines += ["", "Project commands at load, by command: p50 / p95 / p99 ms", ""]
    for name, took in results["by command"].items():
        cut = percentiles(took)
        lines.append(f"- {name}: {cut['p50']:.0f} / {cut['p95']:.0f} / {cut['p99']:.0f}")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("INSPECTIONS_DATA_DIR", ".data"))
    parser.add_argument("--cases", type=int, default=100, help="lifecycles per loaded batch")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--batches", type=int, default=3, help="alternating loaded batches of each kind")
    parser.add_argument("--unloaded", type=int, default=20, help="lifecycles one at a time, of each kind")
    arguments = parser.parse_args()
    print(asyncio.run(main(arguments)))
