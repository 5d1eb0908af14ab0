"""The codec-server endpoint: admins and auditors read sealed histories; nobody else; no encoding for anyone.

The router is mounted on a minimal FastAPI app whose authentication dependency reads the
caller's name from the bearer token (the real app's tokens are wired by the web app, not here).
The last test runs Temporal's own CLI against it, so the wire format is Temporal's, not ours.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, HTTPException, Request
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload, Payloads
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import WorkflowSerializationContext
from temporalio.testing import WorkflowEnvironment

from admin.codec_server import CodecRequestError, codec_router, decode_payloads
from domain.actors import Role, User
from runtime.codec import EncryptionCodec, encrypted_data_converter
from runtime.payload_keys import PayloadKeyring, generate_keyring
from store.embedded import free_port
from tests.support.binaries import temporal_cli_path

UI = "http://127.0.0.1:8233"
USERS = {
    "auditor": User(username="revisor", roles=frozenset({Role.AUDITOR})),
    "admin": User(username="admin", roles=frozenset({Role.ADMIN})),
    "inspector": User(username="marta", roles=frozenset({Role.INSPECTOR})),
}
SECRET = {"title": "Kvalitetsgranskning av Ludvika kommun", "measures": "Elevhälsan förstärks"}


async def bearer(request: Request) -> User:
    """Stands in for the app's token check: the token is the user's key in USERS."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or token not in USERS:
        raise HTTPException(401, "log in first")
    return USERS[token]


@pytest.fixture
def keyring() -> PayloadKeyring:
    return generate_keyring()


@pytest.fixture
def app(keyring: PayloadKeyring) -> FastAPI:
    app = FastAPI()
    app.include_router(codec_router(keyring, bearer, [UI, "http://localhost:8233"]))
    return app


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        yield client


def sealed(keyring: PayloadKeyring, value: object = SECRET, workflow_id: str = "case-1") -> Payload:
    [payload] = pydantic_data_converter.payload_converter.to_payloads([value])
    context = WorkflowSerializationContext("default", workflow_id)
    return EncryptionCodec(keyring).with_context(context).seal(payload)


def body(*payloads: Payload) -> bytes:
    return json_format.MessageToJson(Payloads(payloads=list(payloads))).encode()


def values(answer: str | bytes) -> list[object]:
    """The JSON values of an answer's payloads (None for one that is still sealed)."""
    out: list[object] = []
    for item in json.loads(answer)["payloads"]:
        encoding = base64.b64decode(item["metadata"]["encoding"])
        out.append(json.loads(base64.b64decode(item.get("data", ""))) if encoding == b"json/plain" else None)
    return out


def test_sealed_payloads_of_any_workflow_open_and_the_rest_is_answered_unchanged(keyring: PayloadKeyring) -> None:
    plain = pydantic_data_converter.payload_converter.to_payloads(["search attribute"])[0]
    foreign = sealed(generate_keyring())
    answer = decode_payloads(
        EncryptionCodec(keyring),
        body(sealed(keyring, workflow_id="case-1"), sealed(keyring, {"n": 2}, "case-2"), plain, foreign),
    )
    assert values(answer) == [SECRET, {"n": 2}, "search attribute", None]
    assert json.loads(answer)["payloads"][3] == json.loads(body(foreign))["payloads"][0]  # still sealed


@pytest.mark.parametrize(
    "text", [b"", b"not json", b'{"payloads": 3}', b'{"payloads": [{"metadata": {"encoding": 5}}]}']
)
def test_a_body_that_is_not_payloads_is_a_request_error(keyring: PayloadKeyring, text: bytes) -> None:
    with pytest.raises(CodecRequestError):
        decode_payloads(EncryptionCodec(keyring), text)


@pytest.mark.parametrize("who", ["auditor", "admin"])
async def test_auditors_and_admins_read_with_cors_for_the_temporal_ui(
    http: httpx.AsyncClient, keyring: PayloadKeyring, who: str
) -> None:
    answer = await http.post(
        "/codec/decode",
        content=body(sealed(keyring)),
        headers={"authorization": f"Bearer {who}", "origin": UI, "content-type": "application/json"},
    )
    assert answer.status_code == 200
    assert values(answer.content) == [SECRET]
    assert answer.headers["access-control-allow-origin"] == UI
    assert answer.headers["access-control-allow-credentials"] == "true"
    assert answer.headers["cache-control"] == "no-store"


async def test_the_preflight_allows_only_the_uis_origins(http: httpx.AsyncClient) -> None:
    asked = {"access-control-request-method": "POST", "access-control-request-headers": "content-type,x-namespace"}
    allowed = await http.options("/codec/decode", headers={"origin": UI, **asked})
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == UI
    assert "x-namespace" in allowed.headers["access-control-allow-headers"]
    other = await http.options("/codec/decode", headers={"origin": "http://evil.example", **asked})
    assert "access-control-allow-origin" not in other.headers


async def test_other_roles_and_strangers_are_refused_and_nothing_encodes(
    http: httpx.AsyncClient, keyring: PayloadKeyring
) -> None:
    content = body(sealed(keyring))
    inspector = await http.post("/codec/decode", content=content, headers={"authorization": "Bearer inspector"})
    assert inspector.status_code == 403
    assert inspector.json()["error"]["code"] == "forbidden" and "auditor" in inspector.json()["error"]["message"]
    assert "Ludvika" not in inspector.text
    assert (await http.post("/codec/decode", content=content)).status_code == 401
    encode = await http.post("/codec/encode", content=content, headers={"authorization": "Bearer admin"})
    assert encode.status_code in (404, 405)


async def test_a_bad_body_is_a_400_in_the_error_shape(http: httpx.AsyncClient) -> None:
    answer = await http.post(
        "/codec/decode", content=b"{", headers={"authorization": "Bearer auditor", "accept-language": "en"}
    )
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_request"


async def test_the_temporal_cli_shows_a_sealed_history_through_the_endpoint(
    dev_server_env: WorkflowEnvironment, app: FastAPI, keyring: PayloadKeyring
) -> None:
    address = dev_server_env.client.service_client.config.target_host
    client = await Client.connect(address, data_converter=encrypted_data_converter(keyring))
    handle = await client.start_workflow("NobodyRunsThis", SECRET, id=f"codec-{free_port()}", task_queue="nobody")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.01)  # uvicorn offers no started event to wait on

        async def show(*codec: str) -> str:
            args = ["workflow", "show", "-w", handle.id, "--address", address, "-o", "json", *codec]
            cli = await asyncio.create_subprocess_exec(
                temporal_cli_path(), *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
            )
            out, err = await cli.communicate()
            return out.decode() if cli.returncode == 0 else err.decode()

        endpoint = ["--codec-endpoint", f"http://127.0.0.1:{port}/codec"]
        assert started_input(await show()) == {"encoding": b"binary/encrypted", "value": None}
        shown = started_input(await show(*endpoint, "--codec-auth", "Bearer auditor"))
        assert shown == {"encoding": b"json/plain", "value": SECRET}
    finally:
        server.should_exit = True
        await serving
        await handle.terminate()


def started_input(shown: str) -> dict[str, object]:
    """The encoding and (when JSON) value of the workflow's input in ``temporal workflow show -o json``."""
    try:
        events = json.loads(shown)["events"]
    except (ValueError, KeyError):
        return {"error": shown}
    item = events[0]["workflowExecutionStartedEventAttributes"]["input"]["payloads"][0]
    encoding = base64.b64decode(item["metadata"]["encoding"])
    value = json.loads(base64.b64decode(item["data"])) if encoding == b"json/plain" else None
    return {"encoding": encoding, "value": value}
