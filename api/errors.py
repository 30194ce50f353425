"""HTTP statuses for marketgraph errors, in one exception handler.

Every error body is ``{"detail": "..."}``: one line naming the problem and
the fix. The error classes below refine :mod:`marketgraph.errors` for the
few cases where HTTP needs a status of its own (a too-large upload is an
``InputError`` answered with 413); everything else maps by its base class.
"""

from __future__ import annotations

import logging
from typing import ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from marketgraph.errors import (
    ExtractionError,
    InputError,
    MarketGraphError,
    QueryError,
    StoreError,
    UnknownEntity,
)

log = logging.getLogger(__name__)


class PayloadTooLarge(InputError):
    """An upload or request body over the configured size limit (413)."""

    status_code = 413


class UnsupportedMediaType(InputError):
    """A body or file of a type the endpoint does not read (415)."""

    status_code = 415


class NotAcceptable(QueryError):
    """No format the client accepts can carry the result (406)."""

    status_code = 406


class QueryTimeout(QueryError):
    """A query ran past the time limit (503: the server stopped waiting)."""

    status_code = 503


class ServerBusy(QueryTimeout):
    """Every query worker stayed busy until the time limit (503, retry later)."""

    headers: ClassVar[dict[str, str]] = {"Retry-After": "5"}


class Unauthorized(QueryError):
    """A write without the right bearer token (401)."""

    status_code = 401
    headers: ClassVar[dict[str, str]] = {"WWW-Authenticate": 'Bearer realm="marketgraph"'}


class Forbidden(QueryError):
    """A request the server's settings refuse: updates or SERVICE turned off (403)."""

    status_code = 403


class MethodNotAllowed(QueryError):
    """An operation sent with the wrong HTTP method (405)."""

    status_code = 405


#: Status by base class, for errors that carry none of their own.
STATUS_BY_CLASS: tuple[tuple[type[MarketGraphError], int], ...] = (
    (UnknownEntity, 404),
    (InputError, 400),
    (QueryError, 400),
    (ExtractionError, 500),
    (StoreError, 500),
)


def status_of(exc: MarketGraphError) -> int:
    """The HTTP status for a marketgraph error.

    >>> status_of(UnknownEntity("no such thing")), status_of(PayloadTooLarge("big"))
    (404, 413)
    """
    own = getattr(exc, "status_code", None)
    if own is not None:
        return own
    for cls, status in STATUS_BY_CLASS:
        if isinstance(exc, cls):
            return status
    return 500


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


async def _marketgraph_error(request: Request, exc: MarketGraphError) -> JSONResponse:
    status = status_of(exc)
    if status >= 500:
        log.error("%s %s failed: %s", request.method, request.url.path, exc)
    return JSONResponse(
        {"detail": _one_line(str(exc))}, status_code=status, headers=getattr(exc, "headers", None)
    )


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    # FastAPI's default is a list of objects; clients get one line like every other error.
    problems = []
    for err in exc.errors():
        where = ".".join(str(part) for part in err.get("loc", ()) if part not in ("query", "path"))
        problems.append(f"{where}: {err.get('msg', 'invalid')}" if where else err.get("msg", ""))
    detail = "; ".join(problems) or "invalid request"
    return JSONResponse(
        {"detail": _one_line(f"invalid request parameter ({detail}); see /docs for the API")},
        status_code=422,
    )


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no such page: {request.url.path}; see /docs for the API"
    elif exc.status_code == 405 and detail == "Method Not Allowed":
        detail = f"{request.method} is not allowed on {request.url.path}; see /docs for the API"
    return JSONResponse(
        {"detail": _one_line(detail)}, status_code=exc.status_code, headers=exc.headers
    )


def install_error_handlers(app: FastAPI) -> None:
    """Answer every marketgraph error, bad parameter and HTTP error with ``{"detail"}``."""
    app.add_exception_handler(MarketGraphError, _marketgraph_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
