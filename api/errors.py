"""Every error of the API as one JSON shape, its messages in the request's language
(Chinese by default, through gettext like the pages):

    {"detail": "输入有误：没有写入任何数据。", "code": "invalid",
     "errors": [{"field": "values[2].value", "message": "…"}]}

``errors`` lists each refused field (``field`` is "" for the request as a whole); a
write that answers with an error has written nothing (the services are atomic)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def field_errors(detail: Any, path: str = "") -> Iterator[dict[str, str]]:
    """DRF's nested error detail (dicts by field, lists by index) as a flat list of
    {field, message}; the field path reads ``values[2].value``."""
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            if isinstance(key, int):  # a list's errors by index (DRF's ListSerializer)
                yield from field_errors(value, f"{path}[{key}]")
                continue
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            yield from field_errors(
                value, f"{path}.{name}" if path and name else path or name
            )
    elif isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            for item in detail:
                yield {"field": path, "message": str(item)}
        else:
            for index, item in enumerate(detail):
                if item:  # a list of objects: the empty ones had no error
                    yield from field_errors(item, f"{path}[{index}]")
    else:
        yield {"field": path, "message": str(detail)}


def error_response(
    message: str,
    *,
    code: str,
    errors: list[dict[str, str]] | None = None,
    status_code: int = status.HTTP_400_BAD_REQUEST,
    headers: Mapping[str, str] | None = None,
) -> Response:
    return Response(
        {"detail": message, "code": code, "errors": errors or []},
        status=status_code,
        headers=headers,
    )


def invalid(errors: list[dict[str, str]]) -> Response:
    """A refused write: each field's message, and nothing written."""
    return error_response(
        _("The input was refused; nothing was written."),
        code="invalid",
        errors=errors,
    )


def django_errors(error: DjangoValidationError) -> list[dict[str, str]]:
    """A service's ``ValidationError`` (by field or as a whole) as the API's list."""
    if hasattr(error, "error_dict"):
        return [
            {"field": "" if name == "__all__" else name, "message": str(message)}
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"field": "", "message": str(message)} for message in error.messages]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        return invalid(django_errors(exc))
    if isinstance(exc, Http404):
        return error_response(
            _("Not found (or not yours to see)."),
            code="not_found",
            status_code=status.HTTP_404_NOT_FOUND,
        )
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        return invalid(list(field_errors(exc.detail)))
    assert isinstance(exc, exceptions.APIException)
    detail = exc.detail
    message = (
        str(detail)
        if not isinstance(detail, (list, dict))
        else "; ".join(e["message"] for e in field_errors(detail))
    )
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    headers = {
        name: value
        for name, value in response.items()
        if name in ("WWW-Authenticate", "Retry-After", "Allow")
    }
    return error_response(
        message,
        code=str(code),
        status_code=response.status_code,
        headers=headers,
    )
