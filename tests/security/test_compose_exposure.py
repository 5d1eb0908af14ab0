"""Issue 14, row 1 (exposure): docker-compose publishes only the web app; Temporal and PostgreSQL stay inside.

The operators' override publishes the Temporal UI on the host's loopback only; every process of the
project gets the payload key file as a secret.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def services(name: str) -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))["services"])


def test_only_the_web_app_is_published() -> None:
    published = {name for name, service in services("docker-compose.yml").items() if service.get("ports")}
    assert published == {"web"}
    for name, service in services("docker-compose.yml").items():
        assert not service.get("network_mode"), name  # no host network sidestepping the above


def test_the_operators_override_publishes_the_ui_on_loopback_only() -> None:
    ops = services("docker-compose.ops.yml")
    assert set(ops) == {"temporal-ui"}
    assert all(str(p).startswith("127.0.0.1:") for p in ops["temporal-ui"]["ports"])


def test_every_project_process_gets_the_payload_keys_and_the_ui_the_codec_endpoint() -> None:
    compose = services("docker-compose.yml")
    for name in ("worker", "delivery", "web", "migrate"):
        service = compose[name]
        assert service["environment"]["INSPECTIONS_PAYLOAD_KEYS_FILE"] == "/run/secrets/payload_keys", name
        assert "payload_keys" in service["secrets"], name
    assert compose["temporal-ui"]["environment"]["TEMPORAL_CODEC_ENDPOINT"].endswith("/codec")
