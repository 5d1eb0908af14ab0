"""Every error of the web app as the API contract's JSON (``{"error": {"code", "message", "details"}}``), and
the HTTP status of each refusal, shared by the JSON API and the pages."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException

from admin.services.cases import Unavailable
from admin.services.errors import UNSTORABLE_TEXT
from domain import DomainError, ErrorCode

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
    429: "too_many_requests: too many failed logins; wait Retry-After seconds.",
    503: "unavailable: a part of the system did not answer in time; send the same request again.",
}


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the error statuses a route can answer, each with the error model."""
    return {status: {"model": ErrorBody, "description": WHEN[status]} for status in statuses}


class ApiError(Exception):
    """An error the API answers directly (401, 429, ...)."""

    def __init__(
        self,
        status: int,
        message: str,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details or []
        self.headers = headers


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
    async def domain_error(_: Request, error: DomainError) -> JSONResponse:
        details = [{"field": error.field, "message": error.message}] if error.field else []
        return JSONResponse(error_body(error.code.value, error.message, details), STATUS[error.code])

    @app.exception_handler(ApiError)
    async def api_error(_: Request, error: ApiError) -> JSONResponse:
        code = HTTP_CODES.get(error.status, "error")
        return JSONResponse(error_body(code, error.message, error.details), error.status, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        errors = list(error.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            return JSONResponse(error_body("bad_request", "The body is not valid JSON."), 400)
        details = field_details(errors)
        message = "Some fields are missing or wrong: " + ", ".join(d["field"] for d in details) + "."
        return JSONResponse(error_body("validation_error", message, details), 422)

    @app.exception_handler(ValidationError)
    async def model_invalid(_: Request, error: ValidationError) -> JSONResponse:
        details = field_details(list(error.errors()))
        message = "Some fields are missing or wrong: " + ", ".join(d["field"] for d in details) + "."
        return JSONResponse(error_body("validation_error", message, details), 422)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, error: HTTPException) -> JSONResponse:
        code = HTTP_CODES.get(error.status_code, "error")
        return JSONResponse(error_body(code, str(error.detail)), error.status_code, headers=error.headers)

    async def unstorable_text(_: Request, error: Exception) -> JSONResponse:
        # PostgreSQL text holds no NUL character: a parameter carrying one is the caller's mistake
        message = "A value contains a NUL character (\\u0000) or a broken Unicode escape; remove it."
        return JSONResponse(error_body("validation_error", message), 422)

    for failure in UNSTORABLE_TEXT:
        app.add_exception_handler(failure, unstorable_text)

    @app.exception_handler(Unavailable)
    async def unavailable(_: Request, error: Unavailable) -> JSONResponse:
        return JSONResponse(error_body("unavailable", str(error)), 503, headers={"Retry-After": "2"})
