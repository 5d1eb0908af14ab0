"""``inspections`` commands each in a process of its own, forked from one that has imported the CLI already.

Starting the console script costs 1.5 s or more of imports per command (the services bring in Temporal's
client, PDF sealing, the archive builder), and a test module that runs a dozen commands spends most of its
time there. A warm parent imports ``admin.cli`` once; each command is a fork of it with its own argument
list, environment and standard streams, and exits with its own code, exactly as the console script's
``main`` would (tests/e2e/test_cli.py still starts the console script itself). The parent is started with
the module's environment, so what the CLI reads at import (the terminal width, NO_COLOR) is the same;
each command's own variables are set in its fork before it runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import asyncpg

from tests.e2e.test_cli import Cli

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class WarmParent:
    """The warm parent process and the lock that keeps its one conversation in order."""

    process: subprocess.Popen[str]
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def ask(self, args: tuple[str, ...], env: dict[str, str], stdin: str) -> subprocess.CompletedProcess[str]:
        """Run one command in a fork and wait for it (blocking: call it in a thread)."""
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps({"args": list(args), "env": env, "stdin": stdin}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the warm CLI parent stopped (exit {self.process.wait()})")
        done = json.loads(line)
        return subprocess.CompletedProcess(["inspections", *args], done["returncode"], done["stdout"], done["stderr"])


@dataclass
class WarmCli(Cli):
    """A :class:`Cli` whose commands are forks of a warm parent (see the module's docstring)."""

    parent: WarmParent | None = None

    async def __call__(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        assert self.parent is not None, "use warm_cli() to make one"
        async with self.parent.lock:
            return await asyncio.wait_for(asyncio.to_thread(self.parent.ask, args, self.env, stdin or ""), 120)

    def with_env(self, **variables: str) -> WarmCli:
        """The same CLI with more environment variables (e.g. the disposal rules) for its commands."""
        return replace(self, env={**self.env, **variables})


@contextmanager
def warm_cli(env: dict[str, str], pool: asyncpg.Pool, folder: Path) -> Iterator[WarmCli]:
    """A warm parent started with ``env``, stopped at the end."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.warm_cli"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        yield WarmCli(env, pool, folder, WarmParent(process))
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _serve() -> None:
    """The warm parent: import the CLI, then for each request line (JSON: args, env, stdin) fork a process that
    runs the command, wait for it, and answer one line (JSON: returncode, stdout, stderr)."""
    from admin.cli import main

    for line in sys.stdin:
        request = json.loads(line)
        with contextlib.ExitStack() as files:
            streams = [files.enter_context(tempfile.TemporaryFile()) for _ in range(3)]  # stdin, stdout, stderr
            streams[0].write(request["stdin"].encode())
            streams[0].seek(0)
            pid = os.fork()
            if pid == 0:
                for fd, stream in enumerate(streams):
                    os.dup2(stream.fileno(), fd)
                sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - lives as long as the command
                os.environ.clear()
                os.environ.update(request["env"])
                sys.argv = ["inspections", *request["args"]]
                os._exit(_run(main))
            _, status = os.waitpid(pid, 0)
            said = []
            for stream in streams[1:]:
                stream.seek(0)
                said.append(stream.read().decode("utf-8", "replace"))
        answer = {"returncode": os.waitstatus_to_exitcode(status), "stdout": said[0], "stderr": said[1]}
        print(json.dumps(answer), flush=True)


def _run(main: Callable[[], None]) -> int:
    """Run the console script's ``main`` in this (forked) process; its exit code."""
    code = 0
    try:
        main()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    return code


if __name__ == "__main__":
    _serve()
