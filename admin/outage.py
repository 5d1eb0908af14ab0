"""Answers when a part of the system is down, and when something unexpected failed: never a bare 5xx.

PostgreSQL or Temporal unreachable (also while the stack stops or restarts a part) →
``503 {"error": {"code": "unavailable", "message": ...}}`` with ``Retry-After`` on the API, and a
Swedish page saying the same on the web pages. Anything unexpected → ``500`` in the same shapes
(``internal_error``), logged with its traceback. Messages are Swedish unless ``Accept-Language``
asks for English; the words are in :data:`MESSAGES`, one small table to fold into the catalogue.
"""

from __future__ import annotations

from html import escape

import structlog
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from admin.services.outage import OUTAGES, part_down

log = structlog.get_logger(__name__)

RETRY_AFTER_SECONDS = 2
MESSAGES: dict[str, dict[str, str]] = {
    "database": {
        "sv": "Databasen svarar inte just nu. Försök igen om en stund; samma begäran (samma request_id) "
        "kan skickas igen utan att något görs två gånger.",
        "en": "The database does not answer right now. Try again shortly; the same request (same request_id) "
        "can be sent again without anything being done twice.",
    },
    "temporal": {
        "sv": "Ärendemotorn (Temporal) svarar inte just nu. Försök igen om en stund; samma begäran (samma "
        "request_id) kan skickas igen utan att något görs två gånger.",
        "en": "The case engine (Temporal) does not answer right now. Try again shortly; the same request (same "
        "request_id) can be sent again without anything being done twice.",
    },
    "system": {
        "sv": "En del av systemet svarar inte just nu. Försök igen om en stund.",
        "en": "A part of the system does not answer right now. Try again shortly.",
    },
    "internal": {
        "sv": "Ett oväntat fel inträffade och har loggats. Försök igen; hör av dig till förvaltningen om felet består.",
        "en": "An unexpected error occurred and has been logged. Try again; tell the operators if it persists.",
    },
    "page_title_503": {"sv": "Tillfälligt otillgänglig", "en": "Temporarily unavailable"},
    "page_title_500": {"sv": "Något gick fel", "en": "Something went wrong"},
}
NOT_PAGES = ("/api/", "/codec", "/healthz", "/metrics", "/docs", "/redoc", "/openapi", "/static/")
"""Paths that answer JSON; every other path is a web page."""


def english(request: Request) -> bool:
    """Whether the caller asks for English (``Accept-Language: en…`` before any Swedish)."""
    for part in request.headers.get("accept-language", "").lower().split(","):
        tag = part.split(";")[0].strip()
        if tag.startswith("sv"):
            return False
        if tag.startswith("en"):
            return True
    return False


def is_page(request: Request) -> bool:
    """Whether ``request`` is for a web page (answered with HTML) rather than the JSON API."""
    return not request.url.path.startswith(NOT_PAGES)


def answer(request: Request, status: int, key: str, code: str) -> Response:
    """The error ``key`` as JSON (API) or as a Swedish page (web), with ``Retry-After`` on a 503."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else {}
    if is_page(request):
        return HTMLResponse(
            _page(status, MESSAGES[key]["sv"]), status, headers={**headers, "Cache-Control": "no-store"}
        )
    message = MESSAGES[key]["en" if english(request) else "sv"]
    return JSONResponse({"error": {"code": code, "message": message, "details": []}}, status, headers=headers)


def install_outage_handlers(app: FastAPI) -> None:
    """A part down → 503; anything unexpected → 500; both with a body (JSON or a page)."""

    async def outage(request: Request, error: Exception) -> Response:
        part = part_down(error) or "system"
        log.warning("answered 503: a part is down", part=part, path=request.url.path, error=f"{type(error).__name__}")
        return answer(request, 503, part, "unavailable")

    async def unexpected(request: Request, error: Exception) -> Response:
        # the server logs the traceback ("Exception in ASGI application"); this line says what the client got
        log.error("answered 500: unexpected error", path=request.url.path, error=f"{type(error).__name__}: {error}")
        return answer(request, 500, "internal", "internal_error")

    for failure in OUTAGES:
        app.add_exception_handler(failure, outage)
    app.add_exception_handler(Exception, unexpected)


def _page(status: int, message: str) -> str:
    title = MESSAGES[f"page_title_{status}"]["sv"]
    return f"""<!doctype html>
<html lang="sv">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{escape(title)} – Uppföljning av granskningar</title>
  <link rel="stylesheet" href="/static/style.css">
</head>
<body>
  <main id="main">
    <h1>{escape(title)}</h1>
    <div class="error-summary" role="alert"><p>{escape(message)}</p></div>
    <p><a href="">Försök igen</a> · <a href="/">Till ärendelistan</a></p>
  </main>
</body>
</html>
"""
