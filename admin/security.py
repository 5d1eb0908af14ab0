"""What every answer of the web app carries, and what every request may bring (issue 14).

- :class:`SecurityHeaders`: ``nosniff``; no framing (``frame-ancestors 'none'`` and
  ``X-Frame-Options``); ``Referrer-Policy``; a Content Security Policy that lets a page load only
  the app's own files (the API docs' Swagger UI, served by the app itself, also needs inline
  styles and data: images); ``Cache-Control: no-store`` on everything but ``/static``.
- :class:`BodyLimit`: a JSON or form body larger than ``MAX_BODY`` (1 MiB) is refused with
  ``413 payload_too_large`` — at once from its Content-Length, or while it streams in (chunked),
  never after reading it whole. The codec endpoint and file uploads have their own, larger limits.
- :func:`metrics_allowed`: ``/metrics`` answers only callers on the loopback interface, or
  anyone presenting the configured metrics token.
"""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 1024 * 1024
"""The largest JSON or form body (1 MiB)."""
OWN_LIMITS = {"/codec/": 16 * 1024 * 1024}
"""Paths whose handlers read the body with a larger limit of their own (a page of Temporal history)."""
UPLOAD_LIMIT = 21 * 1024 * 1024
"""Multipart uploads (documents: 20 MB a file, checked precisely by their route) get this much."""

PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def headers_for(path: str) -> dict[str, str]:
    """The security headers of an answer to ``path`` (a route may set its own Cache-Control)."""
    headers = {**ALWAYS, "Content-Security-Policy": DOCS_POLICY if path.startswith("/docs") else PAGE_POLICY}
    if not path.startswith("/static/"):
        headers["Cache-Control"] = "no-store"
    return headers


class SecurityHeaders:
    """ASGI middleware: the headers of :func:`headers_for` on every HTTP answer, streamed ones too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = headers_for(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    """The body passed the limit while it was being read (FastAPI passes an HTTPException on as it is)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The body is larger than {limit} bytes; send less.")
        self.limit = limit


def limit_for(path: str, content_type: str) -> int:
    """The largest body a request to ``path`` with ``content_type`` may bring."""
    for prefix, limit in OWN_LIMITS.items():
        if path.startswith(prefix):
            return limit
    if content_type.startswith("multipart/form-data"):
        return UPLOAD_LIMIT
    return MAX_BODY


def too_large(limit: int) -> JSONResponse:
    """docs/api.md's error answer for a body over ``limit``."""
    message = f"Innehållet är större än {limit} byte; skicka mindre."
    return JSONResponse({"error": {"code": "payload_too_large", "message": message, "details": []}}, 413)


class BodyLimit:
    """ASGI middleware: a body over its limit is refused (413) before or while it is read, never after."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        limit = limit_for(scope["path"], headers.get("content-type", ""))
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await too_large(limit)(scope, receive, send)
            return
        read = 0

        async def counted() -> Message:
            nonlocal read
            message = await receive()
            if message["type"] == "http.request":
                read += len(message.get("body", b""))
                if read > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)


def metrics_allowed(request: Request, token: str | None) -> bool:
    """Whether ``request`` may read ``/metrics``: from the loopback interface, or with the metrics token."""
    scheme, _, presented = request.headers.get("authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(presented.strip().encode(), token.encode()):
        return True
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
