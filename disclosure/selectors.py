"""Reads of what was published: the public index and its listings.

Only the latest publication of each document is public (a document published again, say
with an item the first list missed, replaces its earlier 公开版: the earlier file is no
longer served).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from disclosure.models import Publication
from documents.models import DocumentKind


def current_publications() -> QuerySet[Publication]:
    """The latest publication of each document, with its organisation."""
    latest = (
        Publication.objects.filter(
            kind=OuterRef("kind"), object_code=OuterRef("object_code")
        )
        .order_by("-number")
        .values("pk")[:1]
    )
    return (
        Publication.objects.filter(pk=Subquery(latest))
        .select_related("organisation")
        .annotate(removed=Count("items", filter=Q(items__decision="removed")))
        .order_by("-year", "organisation__name", "kind", "object_code")
    )


@dataclass(frozen=True)
class ListedDocument:
    """One row of the public listing (JSON and CSV): nothing but what is public."""

    year: int | None
    organisation: str
    organisation_code: str
    kind: str
    kind_name: str
    title: str
    code: str
    number: int
    published_at: datetime
    pdf_url: str
    pdf_sha256: str
    xlsx_url: str
    removed_items: int


def kind_name(kind: str) -> str:
    """The kind's name as the pages print it (its code if the kind is unknown)."""
    try:
        return str(DocumentKind(kind).label)
    except ValueError:
        return kind
