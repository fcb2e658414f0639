"""What every API view shares: scoped lookups that answer 404 for what the user may not
see, query filters validated like a form, cursor pagination, and ETags on every read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import HttpResponseBase
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from api.errors import field_errors, invalid


class FiltersRefused(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


class Cursor(CursorPagination):
    """Lists are paged by an opaque cursor (``next``/``previous`` links), in creation
    order: a row added while a client pages through is never skipped nor repeated."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int:
        """``page_size`` from 1 to 500; anything else is refused (400), not ignored."""
        given = request.query_params.getlist(self.page_size_query_param)
        if not given:
            return self.page_size
        if len(given) > 1 or not given[0].isdigit() or not 1 <= int(given[0]) <= 500:
            raise FiltersRefused(
                invalid(
                    [
                        {
                            "field": self.page_size_query_param,
                            "message": _("Give a whole number from 1 to 500."),
                        }
                    ]
                )
            )
        return int(given[0])

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


class ApiView(GenericAPIView):  # type: ignore[type-arg]
    """A view of the API: each GET answers with an ETag and a 304 to a matching
    ``If-None-Match`` (a client syncing often reads only what changed)."""

    pagination_class = Cursor

    def finalize_response(  # type: ignore[override]
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(
            request,
            response,  # type: ignore[arg-type]
            *args,
            **kwargs,
        )
        if (
            request.method in ("GET", "HEAD")
            and isinstance(response, Response)
            and response.status_code == 200
        ):
            response.render()
            set_response_etag(response)
            conditional = get_conditional_response(
                request._request, etag=response.get("ETag"), response=response
            )
            if conditional is not None and conditional is not response:
                return conditional
        return response

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, FiltersRefused):
            return exc.response
        return super().handle_exception(exc)

    def filters(self, serializer_class: type[serializers.Serializer[Any]]) -> Any:
        """The query parameters, validated: a bad one is a 400 naming it."""
        params = self.request.query_params
        names: list[str] = [str(name) for name in serializer_class().fields]
        blank: list[dict[str, str]] = [
            {"field": name, "message": _("This parameter cannot be empty.")}
            for name in names
            if name in params and not params[name].strip()
        ] + [
            {"field": name, "message": _("Give this parameter once.")}
            for name in names
            if len(params.getlist(name)) > 1
        ]
        if blank:
            raise FiltersRefused(invalid(blank))
        found = serializer_class(data=params)
        if not found.is_valid():
            raise FiltersRefused(invalid(list(field_errors(found.errors))))
        return found.validated_data

    def page(self, queryset: QuerySet[Any]) -> Response:
        """One page of ``queryset``, each object as ``item`` writes it."""
        rows = self.paginate_queryset(queryset)
        assert rows is not None
        return self.get_paginated_response([self.item(row) for row in rows])

    def item(self, obj: Any) -> Any:
        """One object of a list as JSON: the hook each list view that calls ``page``
        fills in (a view that lists nothing has none)."""
        raise NotImplementedError(f"{type(self).__name__} lists no objects by item()")


def changes_since(since: datetime, *history: tuple[type[Model], str]) -> Q:
    """The rows changed at or after ``since``: a row counts as changed when a history
    row (django-simple-history, ``history_date``) of the model or of one of its parts
    was written then. ``history`` pairs a historical model with the path from it to the
    row's id (``"id"`` for the row's own, ``"budget_year_id"`` for a line's)."""
    changed = Q(pk__in=[])
    for model, path in history:
        changed |= Q(
            pk__in=model._default_manager.filter(history_date__gte=since).values(path)
        )
    return changed


def changed_since[M: Model](
    queryset: QuerySet[M], since: datetime | None, *history: tuple[type[Model], str]
) -> QuerySet[M]:
    """``queryset`` narrowed to the rows ``changes_since(since, …)``; all without it."""
    return (
        queryset if since is None else queryset.filter(changes_since(since, *history))
    )


def of_organisation(code: str, *paths: str) -> Q:
    """Rows whose organisation at any of ``paths`` has ``code``."""
    found = Q(pk__in=[])
    for path in paths:
        found |= Q(**{f"{path}__code": code})
    return found


def filtered[M: Model](
    queryset: QuerySet[M],
    filters: dict[str, Any],
    *,
    organisation: tuple[str, ...],
    year: str = "year",
    exact: tuple[str, ...] = (),
) -> QuerySet[M]:
    """``queryset`` narrowed by the list's validated query parameters: ``organisation``
    at any of its paths, ``year`` at its path, and each of ``exact`` as it is."""
    if "organisation" in filters:
        queryset = queryset.filter(
            of_organisation(filters["organisation"], *organisation)
        )
    if "year" in filters:
        queryset = queryset.filter(**{year: filters["year"]})
    for name in exact:
        if name in filters:
            queryset = queryset.filter(**{name: filters[name]})
    return queryset
