"""Issue 14, rows 2 and 4: the local stack's state is private, and each installation has its own database password."""

from __future__ import annotations

import os
import pwd
import stat
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from runtime.private_dir import make_private
from store.embedded import APP_ROLE, SYSTEM_USER, TEST_SETTINGS, EmbeddedPostgres, PostgresUrls, free_port


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def private_umask() -> Iterator[None]:
    """make_private sets the process's umask (for `make run`'s children); give the test run its own back."""
    before = os.umask(0o022)
    os.umask(before)
    yield
    os.umask(before)


def test_make_private_closes_what_an_earlier_run_left_open_and_what_comes_next(
    tmp_path: Path, private_umask: None
) -> None:
    data = tmp_path / ".data"
    (data / "mail").mkdir(parents=True, mode=0o755)
    (data / "postgres").mkdir(mode=0o700)
    for path in (data / "temporal.db", data / "mail" / "1.eml", data / "admin-password", data / "postgres" / "x"):
        path.write_text("secret")
        path.chmod(0o644)
    data.chmod(0o755)

    make_private(data)

    assert mode(data) == 0o700 and mode(data / "mail") == 0o700
    assert {mode(p) for p in (data / "temporal.db", data / "mail" / "1.eml", data / "admin-password")} == {0o600}
    assert mode(data / "postgres" / "x") == 0o644  # PostgreSQL's own directory is left to PostgreSQL
    (data / "logs").mkdir()
    (data / "logs" / "web.log").write_text("a line")
    assert mode(data / "logs") == 0o700 and mode(data / "logs" / "web.log") == 0o600  # the umask, for the children


def test_make_private_creates_the_folder(tmp_path: Path, private_umask: None) -> None:
    make_private(tmp_path / "new" / ".data")
    assert mode(tmp_path / "new" / ".data") == 0o700


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[EmbeddedPostgres]:
    """A second installation, beside the session's server: its own data directory in a private .data."""
    data = tmp_path / "stack" / ".data"
    data.mkdir(parents=True, mode=0o700)
    data.chmod(0o700)
    server = EmbeddedPostgres(data / "postgres", free_port(), settings=TEST_SETTINGS)
    server.start()
    yield server
    server.stop()


async def test_each_installation_generates_its_own_application_password(
    own_server: EmbeddedPostgres, pg_urls: PostgresUrls
) -> None:
    urls = own_server.ensure_database("inspections")
    password = (own_server.data_dir / "app.password").read_text().strip()
    assert len(password) >= 24 and password != "inspections"
    assert f":{password}@" in urls.app_url
    assert mode(own_server.data_dir / "app.password") == 0o600
    assert password != urlsplit(pg_urls.app_url).password  # the session's server: another installation
    assert own_server.ensure_database("inspections") == urls  # kept, not generated again
    conn = await asyncpg.connect(urls.app_url)
    await conn.close()
    with pytest.raises(asyncpg.InvalidPasswordError):
        await asyncpg.connect(with_password(urls.app_url, "inspections"))


async def test_an_installation_with_the_old_constant_password_gets_a_generated_one(
    own_server: EmbeddedPostgres,
) -> None:
    urls = own_server.ensure_database("inspections")
    conn = await asyncpg.connect(urls.owner_url)
    await conn.execute(f"ALTER ROLE {APP_ROLE} PASSWORD 'inspections'")  # as every installation had it
    await conn.close()
    (own_server.data_dir / "app.password").unlink()

    renewed = own_server.ensure_database("inspections")

    assert renewed.app_url != urls.app_url
    await (await asyncpg.connect(renewed.app_url)).close()
    with pytest.raises(asyncpg.InvalidPasswordError):
        await asyncpg.connect(with_password(renewed.app_url, "inspections"))


def test_the_servers_private_parent_lets_only_the_server_pass_when_we_are_root(own_server: EmbeddedPostgres) -> None:
    parent = own_server.data_dir.parent
    if os.geteuid() != 0:
        assert mode(parent) == 0o700  # the server runs as we do: nothing to share
        return
    assert mode(parent) == 0o710
    assert parent.stat().st_gid == pwd.getpwnam(SYSTEM_USER).pw_gid


def with_password(url: str, password: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{parts.username}:{password}@{parts.hostname}:{parts.port}"))
