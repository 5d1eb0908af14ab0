"""The local stack's state folder is private: ``.data/`` 0700, everything in it 0600 (folders 0700).

It holds the case texts (Temporal's SQLite file, the mail sink's letters), the logs, the
passwords, the signing secret and the payload keys. ``make run`` calls :func:`make_private`
before it starts anything: it tightens what an earlier run left readable and sets the umask,
so that every file the stack's processes create afterwards is private as well.

The embedded PostgreSQL data directory inside is left to PostgreSQL (it keeps it 0700 itself,
and when we are root it belongs to the server's own user). When we are root, that user must
pass through ``.data/``, so ``store.embedded`` lets its group alone do so (0710).
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_UMASK = 0o077
KEPT_BY_POSTGRES = frozenset({"postgres"})


def make_private(data_dir: Path, kept: frozenset[str] = KEPT_BY_POSTGRES) -> None:
    """Create ``data_dir`` 0700, make what is in it owner-only, and set a private umask for this process."""
    os.umask(PRIVATE_UMASK)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    data_dir.chmod(0o700)
    for entry in data_dir.iterdir():
        if entry.name in kept or entry.is_symlink():
            continue
        if not entry.is_dir():
            entry.chmod(0o600)
            continue
        for folder, _, files in os.walk(entry):
            Path(folder).chmod(0o700)
            for name in files:
                path = Path(folder, name)
                if not path.is_symlink():
                    path.chmod(0o600)
