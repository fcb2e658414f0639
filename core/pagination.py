"""Page-numbered lists that stay quick on large tables.

Django's ``Paginator`` slices the whole queryset: every skipped row of the OFFSET is read
with all its columns and joins, so a finance bureau's list of 10,000 forms grows slower page
by page. ``ListPaginator`` keeps the same page numbers and the same ``Page`` objects, and
reads a page in two steps:

1. the page's primary keys, with the list's filters and ordering but no other column, from
   whichever end of the list is nearer (the last page costs what the first one does; the
   middle page is the dearest);
2. those rows, with the queryset's ``select_related`` and ``prefetch_related``, put back
   in the order of step 1.

The ordering gets the primary key as its last key, so that a page never repeats or skips
a row whose sort keys tie. Counting the rows (for "page X of Y") stays one query, unless the
caller knows the number already (a dashboard counts its rows with its filter options).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest


class ListPaginator(Paginator[Any]):
    object_list: QuerySet[Any]

    def __init__(
        self, object_list: QuerySet[Any], per_page: int, count: int | None = None
    ) -> None:
        ordering = list(object_list.query.order_by) or list(
            object_list.model._meta.ordering
        )
        if not any(_is_unique(object_list.model, key) for key in ordering):
            ordering.append("pk")
        super().__init__(object_list.order_by(*ordering), per_page)
        if count is not None:
            # the caller counted the rows already (``Paginator.count`` is cached here)
            self.__dict__["count"] = count

    def page(self, number: int | str) -> Page[Any]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.object_list.values_list("pk", flat=True)
        if bottom > self.count - top:
            tail = keys.reverse()[self.count - top : self.count - bottom]
            pks = list(tail)[::-1]
        else:
            pks = list(keys[bottom:top])
        rows: dict[Any, Model] = self.object_list.in_bulk(pks)
        return Page([rows[pk] for pk in pks if pk in rows], number, self)


def _is_unique(model: type[Model], key: object) -> bool:
    """Whether ordering ``key`` is one of ``model``'s own unique columns (a total order)."""
    if not isinstance(key, str):
        return False
    name = key.removeprefix("-")
    if name == "pk":
        return True
    if "__" in name:
        return False
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return bool(getattr(field, "unique", False))


def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any],
    per_page: int,
    count: int | None = None,
) -> Page[Any]:
    """The page asked for by ``?page=`` (the first for a missing or malformed number, the
    last for one past the end), as ``Paginator.get_page`` does. ``count``: the number of
    rows of ``queryset``, when the caller has it already."""
    return ListPaginator(queryset, per_page, count).get_page(request.GET.get("page"))
