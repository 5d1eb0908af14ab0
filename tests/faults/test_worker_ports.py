"""Workers started side by side never collide on their metrics port, and never die of a taken one."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from store.embedded import free_port
from worker import METRICS_PORTS_TRIED, metrics_port

pytestmark = pytest.mark.short


def held(stack: ExitStack, port: int) -> None:
    """Listen on ``port`` until ``stack`` closes, as another worker's exporter would."""
    sock = stack.enter_context(socket.socket())
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen()


@pytest.fixture
def base() -> Iterator[int]:
    """A port whose nine successors are free too (checked, not assumed)."""
    for _ in range(50):
        port = free_port()
        if port + METRICS_PORTS_TRIED < 65536 and all(metrics_port(p) == p for p in range(port, port + 10)):
            yield port
            return
    pytest.fail("no run of ten free ports")


def test_a_worker_takes_the_next_free_port_when_its_own_is_taken(base: int) -> None:
    with ExitStack() as others:
        held(others, base)
        held(others, base + 1)
        assert metrics_port(base) == base + 2


def test_with_every_port_taken_a_worker_runs_without_metrics(base: int) -> None:
    with ExitStack() as others:
        for port in range(base, base + METRICS_PORTS_TRIED):
            held(others, port)
        assert metrics_port(base) is None


def test_no_port_asked_for_means_no_metrics() -> None:
    assert metrics_port(None) is None
