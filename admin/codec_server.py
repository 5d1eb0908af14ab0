"""The Temporal codec-server endpoint: operators read sealed histories in the Temporal UI and CLI.

The protocol is Temporal's remote codec: ``POST /codec/decode`` with the JSON form of a
``temporal.api.common.v1.Payloads`` message (``{"payloads": [{"metadata": {...}, "data": "..."}]}``,
bytes in base64) answers the same shape with each payload opened. Only admins and auditors may
use it; the caller comes from the ``user`` dependency the app gives (bearer token for the CLI's
``--codec-auth``, the session cookie for the UI with "include cross-origin credentials").

There is deliberately no ``/codec/encode``: sealing a payload is what lets a command reach a
case, and that stays with the system's own processes.

What cannot be opened (an unknown key, an altered payload) and what was never sealed (search
attributes, histories from before encryption) is answered unchanged, so the UI shows it as it is.
The UI runs on another origin (its own port), so the answer carries CORS headers for the
configured UI origins, with credentials.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import structlog
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload, Payloads

from domain.actors import Role, User
from runtime.codec import ENCRYPTED, EncryptionCodec, PayloadRefused
from runtime.payload_keys import PayloadKeyring

log = structlog.get_logger(__name__)

READERS = (Role.ADMIN, Role.AUDITOR)
MAX_BODY_BYTES = 16 * 1024 * 1024
"""A history page's payloads; Temporal itself caps one payload at 2 MB."""
MAX_PAYLOADS = 1000
_ALLOWED_HEADERS = "content-type, x-namespace, authorization"


class CodecRequestError(ValueError):
    """The request body is not a Payloads message in JSON."""


def decode_payloads(codec: EncryptionCodec, body: bytes) -> str:
    """The codec-server answer to ``body``: every sealed payload opened, anything else unchanged."""
    if len(body) > MAX_BODY_BYTES:
        raise CodecRequestError(f"the body is larger than {MAX_BODY_BYTES} bytes")
    try:
        request = json_format.Parse(body, Payloads())
    except (json_format.ParseError, UnicodeDecodeError, ValueError, TypeError, RecursionError) as error:
        raise CodecRequestError(f"not a Payloads message in JSON: {error}") from None
    if len(request.payloads) > MAX_PAYLOADS:
        raise CodecRequestError(f"at most {MAX_PAYLOADS} payloads at a time")
    answer = Payloads()
    for payload in request.payloads:
        answer.payloads.append(_opened(codec, payload))
    return json_format.MessageToJson(answer, indent=None)


def _opened(codec: EncryptionCodec, payload: Payload) -> Payload:
    """The payload opened, or as it is when it was never sealed or cannot be opened (shown still sealed)."""
    if payload.metadata.get("encoding") != ENCRYPTED:
        return payload
    try:
        return codec.open(payload)
    except PayloadRefused:
        return payload


def codec_router(
    keyring: PayloadKeyring,
    user: Callable[..., Awaitable[User]],
    allowed_origins: Sequence[str],
) -> APIRouter:
    """``POST /codec/decode`` (and its CORS preflight) for ``user``, the app's authentication dependency."""
    codec = EncryptionCodec(keyring)  # no workflow context: each payload names its own workflow
    origins = frozenset(allowed_origins)
    router = APIRouter(prefix="/codec", include_in_schema=False)

    def cors(request: Request) -> dict[str, str]:
        origin = request.headers.get("origin")
        if origin not in origins:
            return {"Vary": "Origin"}
        return {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Credentials": "true",
            "Access-Control-Allow-Methods": "POST, OPTIONS",
            "Access-Control-Allow-Headers": _ALLOWED_HEADERS,
            "Access-Control-Max-Age": "600",
            "Vary": "Origin",
        }

    @router.options("/decode")
    async def preflight(request: Request) -> Response:
        """The browser's CORS preflight (sent without credentials, so answered without them)."""
        return Response(status_code=204, headers=cors(request))

    @router.post("/decode")
    async def decode(request: Request, caller: User = Depends(user)) -> Response:  # noqa: B008 (FastAPI's way)
        """Open the sealed payloads of a history for an admin or an auditor."""
        english = request.headers.get("accept-language", "").lower().startswith("en")
        if not any(caller.has(role) for role in READERS):
            message = (
                f"Reading Temporal histories needs the role admin or auditor; {caller.username} has neither."
                if english
                else f"Att läsa Temporals historik kräver rollen admin eller auditor, som {caller.username} saknar."
            )
            return _error(403, "forbidden", message, cors(request))
        try:
            answer = decode_payloads(codec, await _body(request))
        except CodecRequestError as error:
            message = str(error) if english else f"Förfrågan kunde inte läsas: {error}"
            return _error(400, "bad_request", message, cors(request))
        log.info("codec.decode", user=caller.username, namespace=request.headers.get("x-namespace"))
        headers = {**cors(request), "Cache-Control": "no-store"}
        return Response(answer, media_type="application/json", headers=headers)

    return router


async def _body(request: Request) -> bytes:
    """The body, read no further than the limit (a huge body is refused, not held in memory)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise CodecRequestError(f"the body is larger than {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _error(status: int, code: str, message: str, headers: dict[str, str]) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": []}}
    return JSONResponse(body, status_code=status, headers={**headers, "Cache-Control": "no-store"})
