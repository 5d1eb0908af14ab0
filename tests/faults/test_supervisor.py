"""The local stack's supervisor over real child processes: restart, crash loops, what a part needs, stopping."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from runtime.supervisor import GIVE_UP_AFTER, ChildPart, Supervisor

pytestmark = pytest.mark.short

RUNS = "import time; time.sleep(600)"
FAILS = "import sys; sys.exit(3)"
IGNORES_TERM = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('up', flush=True); time.sleep(600)"
)


def child(tmp_path: Path, name: str, code: str, needs: tuple[str, ...] = ()) -> ChildPart:
    return ChildPart(name, [sys.executable, "-c", code], {}, tmp_path / f"{name}.log", needs)


def supervise_until(supervisor: Supervisor, condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        supervisor.tick()
        time.sleep(0.01)


@pytest.fixture
def said() -> list[str]:
    return []


@pytest.fixture
def supervisor(tmp_path: Path, said: list[str]) -> Supervisor:
    running = Supervisor(tmp_path / "parts.json", said.append, first_pause=0.01, max_pause=0.05)
    yield running
    running.stop([list(running.parts)], timeout=2, hurry=lambda: False)


def test_a_killed_part_is_started_again_and_the_others_keep_running(
    supervisor: Supervisor, tmp_path: Path, said: list[str]
) -> None:
    supervisor.add(child(tmp_path, "web", RUNS))
    supervisor.add(child(tmp_path, "worker", RUNS))
    web, worker = supervisor.parts["web"], supervisor.parts["worker"]
    first_pid, other_pid = web.pid(), worker.pid()
    web.kill()  # SIGKILL
    supervise_until(supervisor, lambda: web.restarts == 1 and web.alive())
    assert web.pid() != first_pid and worker.pid() == other_pid and worker.alive()
    assert any("web stopped (killed by SIGKILL)" in line for line in said)
    status = json.loads((tmp_path / "parts.json").read_text())["parts"]
    assert status["web"] == {"pid": web.pid(), "state": "running", "restarts": 1, "last_exit": "killed by SIGKILL"}


def test_a_crash_loop_gives_up_on_that_part_only_and_says_why(
    supervisor: Supervisor, tmp_path: Path, said: list[str]
) -> None:
    supervisor.add(child(tmp_path, "other", RUNS))
    supervisor.add(child(tmp_path, "broken", "print('cannot read my configuration'); " + FAILS))
    broken = supervisor.parts["broken"]
    supervise_until(supervisor, lambda: broken.state == "gave-up")
    assert broken.restarts == GIVE_UP_AFTER - 1 and broken.last_exit == "exit 3"
    assert "broken keeps stopping" in said[-1] and "cannot read my configuration" in said[-1]
    assert supervisor.parts["other"].alive() and supervisor.parts["other"].restarts == 0


def test_an_exit_while_a_needed_part_is_down_does_not_count_and_waits_for_its_return(
    supervisor: Supervisor, tmp_path: Path
) -> None:
    supervisor.add(child(tmp_path, "postgres", RUNS))
    supervisor.add(child(tmp_path, "worker", RUNS, needs=("postgres",)))
    postgres, worker = supervisor.parts["postgres"], supervisor.parts["worker"]
    worker.kill()  # on its own, soon after its start: a quick exit, counted toward a crash loop
    supervise_until(supervisor, lambda: worker.restarts == 1 and worker.alive())
    assert worker.quick_exits == 1
    postgres.kill()
    worker.kill()  # as the worker does when the database goes away under it
    supervisor.tick()
    assert (postgres.state, worker.state) == ("waiting", "waiting")
    supervise_until(supervisor, lambda: worker.restarts == 2 and worker.alive())
    assert worker.quick_exits == 1, "an exit while PostgreSQL was down is not the worker's crash"
    assert worker.started_at >= postgres.started_at, "the worker is started again only once PostgreSQL is back"


def test_a_second_stop_signal_kills_what_is_still_stopping(supervisor: Supervisor, tmp_path: Path) -> None:
    supervisor.add(child(tmp_path, "stubborn", IGNORES_TERM))
    stubborn = supervisor.parts["stubborn"]
    supervise_until(supervisor, lambda: "up" in (tmp_path / "stubborn.log").read_text())
    asked = time.monotonic()
    supervisor.stop([["stubborn"]], timeout=60, hurry=lambda: time.monotonic() - asked > 0.3)
    assert not stubborn.alive() and time.monotonic() - asked < 10
