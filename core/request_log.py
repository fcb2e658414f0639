"""Structured logs: one JSON object per line on stderr, and one line per request.

``RequestLogMiddleware`` (first in ``MIDDLEWARE``) gives every request an id — the proxy's
``X-Request-ID`` when it sends a sane one, else a new one — returns it in the response's
``X-Request-ID`` and writes, when the response is ready, one ``hotline_perf.request`` line
with the id, user, client address, method, path, status and duration. Every other line
logged while the request runs (a traceback from ``django.request`` included) carries the
same ``request_id``, so one request's lines can be found together. ``JsonFormatter`` is the
formatter ``LOGGING`` (settings/base.py) puts on stderr.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponseBase

from core.client_ip import client_ip

request_id_var: ContextVar[str] = ContextVar("request_id", default="")

logger = logging.getLogger("hotline_perf.request")

# A proxy's id is kept only if it is short and plain, so a client cannot write into the log.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

# The attributes every LogRecord has: anything else on a record came from ``extra=``.
_RECORD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__
) | {"message", "asctime", "request"}


class RequestIdFilter(logging.Filter):
    """Stamps each record logged while a request runs with that request's id (on the
    stderr handler of ``LOGGING``, so it happens while the request is still running)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = request_id_var.get()
        if request_id and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time, level, logger, message, the request id,
    the fields given with ``extra=`` and, for an error, the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _username(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is None:
        return ""
    try:
        return str(user.get_username()) if user.is_authenticated else ""
    except Exception:  # the session store (the database) may be the thing that failed
        return ""


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        given = str(request.headers.get("X-Request-ID", ""))
        request_id = given if _SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": request_id,
                    "user": _username(request),
                    "client": client_ip(request),
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)
