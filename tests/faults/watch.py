"""inotify on a folder, to act the instant a file appears in it (the mail sink writing a letter)."""

from __future__ import annotations

import ctypes
import os
import select
import signal
import struct
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

IN_CREATE = 0x100
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then the name (len bytes, NUL padded)


class FolderWatch:
    """Calls ``on_create(name)`` in a thread as soon as a file is created in ``folder`` (until ``close``)."""

    def __init__(self, folder: Path, on_create: Callable[[str], None]) -> None:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        self._fd = libc.inotify_init()
        if self._fd < 0 or libc.inotify_add_watch(self._fd, bytes(folder), IN_CREATE) < 0:
            raise OSError(ctypes.get_errno(), f"inotify on {folder}")
        self._stop_read, self._stop_write = os.pipe()
        self._on_create = on_create
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            ready, _, _ = select.select([self._fd, self._stop_read], [], [])
            if self._stop_read in ready:
                return
            data, offset = os.read(self._fd, 65536), 0
            while offset < len(data):
                _, mask, _, length = _EVENT.unpack_from(data, offset)
                name = data[offset + _EVENT.size : offset + _EVENT.size + length].rstrip(b"\0").decode()
                offset += _EVENT.size + length
                if mask & IN_CREATE:
                    self._on_create(name)

    def close(self) -> None:
        """Stop watching."""
        os.write(self._stop_write, b"x")
        self._thread.join(5)
        for fd in (self._fd, self._stop_read, self._stop_write):
            os.close(fd)


def kill_on_first_letter(folder: Path, pid: int) -> None:
    """Block until a letter file is created in ``folder``, then SIGKILL ``pid`` and print when (monotonic).

    Run as its own process (``python -m tests.faults.watch FOLDER PID``), so that no other thread of the
    test holds the interpreter when the file appears: the kill lands before the mail sink has answered.
    """
    fired = threading.Event()

    def created(name: str) -> None:
        if name.endswith(".eml") and not fired.is_set():
            os.kill(pid, signal.SIGKILL)
            print(time.monotonic(), flush=True)
            fired.set()

    watch = FolderWatch(folder, created)
    print("watching", flush=True)
    fired.wait()
    watch.close()


if __name__ == "__main__":
    kill_on_first_letter(Path(sys.argv[1]), int(sys.argv[2]))
