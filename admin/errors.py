"""Every error of the web app as the API contract's JSON (``{"error": {"code", "message", "details"}}``), and
the HTTP status of each refusal, shared by the JSON API and the pages."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException

from admin.outage import install_outage_handlers
from admin.services.cases import Unavailable
from admin.services.errors import UNSTORABLE_TEXT
from admin.texts import Lang, language, tell, tell_key
from domain import DomainError, ErrorCode
from domain.errors import from_validation

STATUS = {
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.INVALID_STATE: 409,
    ErrorCode.CONFLICT: 409,
    ErrorCode.VALIDATION_ERROR: 422,
}
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "not_found",
    409: "conflict",
    413: "payload_too_large",
    422: "validation_error",
    429: "too_many_requests",
    503: "unavailable",
}


class ErrorDetail(BaseModel):
    """One wrong field: its path (``areas[0].code``) and what is wrong with it."""

    field: str
    message: str


class ErrorInfo(BaseModel):
    """What went wrong: docs/api.md's code, a plain-language message and the fields concerned."""

    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorBody(BaseModel):
    """Every error answer of the API: ``{"error": {"code", "message", "details"}}``."""

    error: ErrorInfo


WHEN = {
    400: "bad_request: the body is not JSON.",
    401: "unauthorized: no or bad credentials.",
    403: "forbidden: wrong role, the drafter signing, or an organiser on another organiser's case.",
    404: "not_found: unknown case or command.",
    409: "invalid_state / conflict: the command is not allowed now, or the record exists already.",
    422: "validation_error: a field is missing or wrong; details names each field.",
    413: "payload_too_large: the body is larger than 1 MiB.",
    429: "too_many_requests: too many failed logins of this username, or from this address; wait Retry-After seconds.",
    503: "unavailable: a part of the system did not answer in time; send the same request again.",
}


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the error statuses a route can answer, each with the error model."""
    return {status: {"model": ErrorBody, "description": WHEN[status]} for status in statuses}


class ApiError(Exception):
    """An error the API answers directly (401, 429, ...); ``key`` and ``params`` name its words in
    ``domain.messages`` (``message`` is the English, for logs)."""

    def __init__(
        self,
        status: int,
        message: str,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        key: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details or []
        self.headers = headers
        self.key = key
        self.params = params or {}

    def told(self, lang: Lang) -> str:
        """The message in ``lang`` (the English text when it has no key)."""
        return tell_key(self.key, self.params, lang) if self.key else self.message


def lang_of(request: Request) -> Lang:
    """The language the caller asks for: Swedish unless ``Accept-Language`` prefers English."""
    return language(request.headers.get("accept-language"))


def command_of(request: Request) -> str | None:
    """The command whose form names the fields of a refusal of this request (its path says)."""
    if "command" in request.path_params:
        return str(request.path_params["command"])
    return "open-case" if request.method == "POST" and request.url.path.rstrip("/").endswith("/cases") else None


def refusal_body(error: DomainError, lang: Lang, command: str | None = None) -> dict[str, Any]:
    """docs/api.md's error object of a refusal: every refused field in ``details``, in ``lang``."""
    details = [{"field": e.field, "message": tell(e, lang, command=command)} for e in error.all if e.field]
    if len(details) > 1:
        message = tell_key("api.fields", {"fields": [d["field"] for d in details]}, lang, command=command)
    else:
        message = tell(error, lang, command=command)
    return error_body(error.code.value, message, details)


def error_body(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """docs/api.md's error object."""
    return {"error": {"code": code, "message": message, "details": details or []}}


def field_details(errors: list[Any]) -> list[dict[str, Any]]:
    """pydantic's errors as ``[{"field": "areas[0].code", "message": ...}]``."""
    details = []
    for e in errors:
        loc = [p for p in e.get("loc", ()) if p != "body"]
        field = ""
        for part in loc:
            field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
        details.append({"field": field or "body", "message": e.get("msg", "invalid")})
    return details


def install_error_handlers(app: FastAPI) -> None:
    """Answer every failure as JSON in docs/api.md's shape."""

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        return JSONResponse(refusal_body(error, lang_of(request), command_of(request)), STATUS[error.code])

    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> JSONResponse:
        code = HTTP_CODES.get(error.status, "error")
        body = error_body(code, error.told(lang_of(request)), error.details)
        return JSONResponse(body, error.status, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = list(error.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            return JSONResponse(error_body("bad_request", tell_key("api.bad_json", None, lang_of(request))), 400)
        for e in errors:  # a query parameter or the body as a whole: the field is its name
            e["loc"] = tuple(p for p in e.get("loc", ()) if p not in ("body", "query", "path"))
        return JSONResponse(refusal_body(from_validation(errors), lang_of(request), command_of(request)), 422)

    @app.exception_handler(ValidationError)
    async def model_invalid(request: Request, error: ValidationError) -> JSONResponse:
        refusal = from_validation(list(error.errors()))
        return JSONResponse(refusal_body(refusal, lang_of(request), command_of(request)), 422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        code = HTTP_CODES.get(error.status_code, "error")
        key = {404: "api.no_route", 405: "api.method"}.get(error.status_code)
        message = tell_key(key, None, lang_of(request)) if key else str(error.detail)
        return JSONResponse(error_body(code, message), error.status_code, headers=error.headers)

    async def unstorable_text(request: Request, error: Exception) -> JSONResponse:
        # PostgreSQL text holds no NUL character: a parameter carrying one is the caller's mistake
        return JSONResponse(error_body("validation_error", tell_key("api.unstorable", None, lang_of(request))), 422)

    for failure in UNSTORABLE_TEXT:
        app.add_exception_handler(failure, unstorable_text)

    install_outage_handlers(app)  # a part down → 503, anything unexpected → 500, never without a body

    @app.exception_handler(Unavailable)
    async def unavailable(request: Request, error: Unavailable) -> JSONResponse:
        body = error_body("unavailable", tell_key(error.key, None, lang_of(request)))
        return JSONResponse(body, 503, headers={"Retry-After": "2"})
