"""The web pages (Swedish, server-rendered) over the service layer.

``lists``: "Att göra nu" and the case list; ``cases``: the case page with its command forms; ``login``:
logging in and resuming a form after the session ended; ``admin``: new case, users and organisers;
``audit``: the auditor's page; ``documents``: a case's documents and a form's files; ``register``: the
diarium and the disposal rules; ``session``: cookies, CSRF,
flash messages, pages that fail as pages;
``forms`` and ``labels``: the forms of the commands and the Swedish words; ``templates/``, ``static/``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from admin.web import admin, audit, cases, documents, lists, login, register

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    """Add the web pages and their static files to ``app``."""
    app.include_router(login.router)
    app.include_router(lists.router)
    app.include_router(admin.router)  # before /cases/{case_id}, which would match /cases/new
    app.include_router(audit.router)
    app.include_router(register.router)  # /register, /register/gallring
    app.include_router(cases.router)
    app.include_router(documents.router)  # /cases/{case_id}/documents/{sha256}: a document's bytes
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
