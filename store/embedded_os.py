"""What running PostgreSQL as root needs: a system user, and paths that user can reach and read."""

from __future__ import annotations

import contextlib
import os
import pwd
import stat
import subprocess
from pathlib import Path


class SystemUserError(RuntimeError):
    """The system user for the server could not be had."""


def system_user(user: str) -> pwd.struct_passwd:
    """The system user the server runs as when we are root, created with useradd when missing."""
    with contextlib.suppress(KeyError):
        return pwd.getpwnam(user)
    try:
        args = ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user]
        detail = subprocess.run(args, capture_output=True, text=True, check=False).stderr.strip()
    except FileNotFoundError:
        detail = "useradd is not installed"
    try:
        return pwd.getpwnam(user)  # also when a concurrent process created it first
    except KeyError:
        raise SystemUserError(f"PostgreSQL cannot run as root; no user {user}: {detail}") from None


def chown_tree(root: Path, uid: int, gid: int) -> None:
    os.chown(root, uid, gid)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            os.lchown(os.path.join(dirpath, name), uid, gid)


def allow_traverse(path: Path, gid: int | None = None) -> None:
    """Let other users pass through (o+x, not list) every directory above ``path``.

    A directory whose group is ``gid`` and that its group may pass through is left as it is.
    """
    for parent in path.resolve().parents:
        info = parent.stat()
        if info.st_mode & stat.S_IXOTH or (gid is not None and info.st_gid == gid and info.st_mode & stat.S_IXGRP):
            continue
        parent.chmod(stat.S_IMODE(info.st_mode) | stat.S_IXOTH)


def share_private_parent(parent: Path, gid: int) -> None:
    """Let group ``gid`` alone pass through ``parent`` when it is our private directory (0700 → 0710).

    The local stack keeps its state in a private ``.data``; the server's user must reach its
    data directory inside, and nobody else need.
    """
    info = parent.stat()
    if info.st_uid == os.geteuid() and not stat.S_IMODE(info.st_mode) & 0o077:
        os.chown(parent, -1, gid)
        parent.chmod(0o710)


def allow_read_tree(root: Path) -> None:
    """Make an installation tree readable (and its programs runnable) by other users."""
    for dirpath, _, filenames in os.walk(root):
        os.chmod(dirpath, stat.S_IMODE(os.stat(dirpath).st_mode) | stat.S_IROTH | stat.S_IXOTH)
        for name in filenames:
            path = Path(dirpath, name)
            mode = stat.S_IMODE(path.stat().st_mode)
            path.chmod(mode | stat.S_IROTH | (stat.S_IXOTH if mode & stat.S_IXUSR else 0))
