"""docker-compose.yml is accepted by docker-compose (Debian's package, installed by `make test`)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {
    "POSTGRES_PASSWORD": "p",
    "INSPECTIONS_APP_PASSWORD": "a",
    "INSPECTIONS_OWNER_PASSWORD": "o",
    "INSPECTIONS_SECRET_KEY": "s",
    "INSPECTIONS_ADMIN_PASSWORD": "x",
}


def compose(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("docker-compose")
    assert binary, "docker-compose is missing: `make test` installs Debian's docker-compose package"
    return subprocess.run(
        [binary, "-f", str(ROOT / "docker-compose.yml"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=ROOT,
        timeout=60,
    )


def test_compose_config_is_valid_and_has_every_service() -> None:
    result = compose("config", "--services", env=SECRETS)
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {
        "postgres",
        "temporal-setup",
        "temporal",
        "temporal-namespace",
        "temporal-ui",
        "migrate",
        "worker",
        "delivery",
        "mail",
        "web",
    }


def test_compose_refuses_to_run_without_secrets() -> None:
    result = compose("config", "-q", env={k: "" for k in SECRETS})
    assert result.returncode != 0 and "POSTGRES_PASSWORD" in result.stderr
