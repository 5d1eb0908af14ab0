"""`make run`'s supervisor on free ports in a temporary directory: up, one case, down, up again, intact."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import httpx
import pytest

from admin.seeds import TRELLEBORG, compressed
from store.embedded import free_port

ROOT = Path(__file__).resolve().parents[2]


def start(data: Path, ports: dict[str, int]) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "INSPECTIONS_DATA_DIR": str(data),
        "INSPECTIONS_ADMIN_PASSWORD": "admin-password-1",
        **{f"INSPECTIONS_{name}_PORT": str(port) for name, port in ports.items()},
    }
    for key in ("INSPECTIONS_DATABASE_URL", "INSPECTIONS_DATABASE_OWNER_URL", "INSPECTIONS_TEMPORAL_ADDRESS"):
        env.pop(key, None)
    log = (data.parent / "stack.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "admin.cli", "run", "--no-demo"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=_as_a_background_job,
    )


def _as_a_background_job() -> None:
    """Start with SIGINT ignored, as a shell starts `make run &`: Ctrl-C (SIGINT) must still stop the stack."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the stack stopped while starting; see stack.log"
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:
                if json.load(answer) == {"status": "ok", "temporal": "ok", "database": "ok"}:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail("the stack did not become healthy")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)
    assert proc.wait(60) == 0


def test_the_stack_starts_keeps_a_case_and_stops_cleanly(tmp_path: Path) -> None:
    data = tmp_path / ".data"
    ports = {
        "HTTP": free_port(),
        "TEMPORAL": free_port(),
        "TEMPORAL_UI": free_port(),
        "POSTGRES": free_port(),
        "SMTP": free_port(),
        "WORKER_METRICS": free_port(),
    }
    url = f"http://127.0.0.1:{ports['HTTP']}"
    seed = compressed(TRELLEBORG, date.today(), case_id="stack", dnr="S:1")
    proc = start(data, ports)
    try:
        wait_healthy(url, proc)
        with httpx.Client(base_url=url, timeout=60) as http:
            token = http.post("/api/v1/auth/token", json={"username": "admin", "password": "admin-password-1"})
            admin = {"Authorization": f"Bearer {token.json()['access_token']}"}
            assert (
                http.post(
                    "/api/v1/organisers",
                    headers=admin,
                    json={
                        "organiser_id": seed.organiser_id,
                        "name": seed.organiser_name,
                        "email": seed.organiser_email,
                    },
                ).status_code
                == 201
            )
            assert (
                http.post(
                    "/api/v1/users",
                    headers=admin,
                    json={"username": "marta.rivelis", "password": "a-long-password", "roles": ["inspector"]},
                ).status_code
                == 201
            )
            token = http.post("/api/v1/auth/token", json={"username": "marta.rivelis", "password": "a-long-password"})
            marta = {"Authorization": f"Bearer {token.json()['access_token']}"}
            opened = http.post("/api/v1/cases", headers=marta, json=seed.steps[0].payload)
            assert opened.status_code == 201, opened.text
            case_id = opened.json()["case_id"]
            drafted = http.post(
                f"/api/v1/cases/{case_id}/commands/draft-decision", headers=marta, json=seed.steps[1].payload
            )
            assert drafted.status_code == 200 and drafted.json()["state"] == "decision_pending_signature"
            metrics = http.get("/metrics").text
            assert 'inspections_commands_total{command="draft-decision",outcome="accepted"} 1.0' in metrics
            assert 'inspections_cases{kind="open"} 1.0' in metrics
            worker_metrics = httpx.get(f"http://127.0.0.1:{ports['WORKER_METRICS']}/metrics", timeout=10).text
            assert "temporal_" in worker_metrics  # the SDK's runtime metrics
    finally:
        stop(proc)
    assert not any(p for p in os.listdir("/proc") if p.isdigit() and _is_ours(p, data)), "orphan processes"
    proc = start(data, ports)
    try:
        wait_healthy(url, proc)
        with httpx.Client(base_url=url, timeout=60) as http:
            token = http.post("/api/v1/auth/token", json={"username": "marta.rivelis", "password": "a-long-password"})
            marta = {"Authorization": f"Bearer {token.json()['access_token']}"}
            case = http.get(f"/api/v1/cases/{case_id}", headers=marta).json()
            assert case["state"] == "decision_pending_signature"
            events = http.get(f"/api/v1/cases/{case_id}/events", headers=marta).json()["events"]
            assert [e["type"] for e in events] == ["CaseOpened", "DecisionDrafted"]
            again = http.post(
                f"/api/v1/cases/{case_id}/commands/draft-decision", headers=marta, json=seed.steps[1].payload
            )  # the workflow is alive after the restart
            assert again.status_code == 200 and again.json() == drafted.json()
    finally:
        stop(proc)


def _is_ours(pid: str, data: Path) -> bool:
    try:
        return str(data) in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False
