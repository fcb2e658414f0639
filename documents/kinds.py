"""The kinds of document the pipeline renders, and what each must provide.

A kind knows three things: who may see an object (through its app's scoping), how to read
an object into a ``Document`` (its template and the plain data the template formats), and how
to write any format other than PDF and HTML. The pipeline (services, task, views, command)
does the rest the same way for every kind: target forms (``documents.target_forms``) and
evaluation reports (``documents.evaluation_reports``), which the documents app registers at
start-up (``DocumentsConfig.ready``): this module imports neither.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from documents.models import DocumentFormat, DocumentKind


@dataclass(frozen=True)
class Document:
    """An object read for printing: ``context`` is everything the template shows.

    ``context`` holds plain values (strings, ``Decimal``, dates, frozen dataclasses such as
    ``kernel.grids.Grid``) and no model instances, so it can be hashed into the render
    fingerprint: any change to what is printed changes the fingerprint.
    """

    kind: DocumentKind
    code: str
    title: str
    template_name: str
    context: Mapping[str, object]


class DocumentType(Protocol):
    kind: DocumentKind
    formats: tuple[DocumentFormat, ...]

    def visible(self, user: AbstractBaseUser | AnonymousUser, code: str) -> bool:
        """Whether ``user`` may see (and so render) object ``code``."""
        ...

    def build(self, code: str) -> Document:
        """Read object ``code``; raises ``ObjectDoesNotExist`` when there is none."""
        ...

    def export(self, document: Document, format: DocumentFormat) -> bytes:
        """The file in a format other than PDF, for kinds that list one."""
        ...

    def notes(self, code: str) -> list[str]:
        """What the document page tells the reader besides the document: for an object
        printed as submitted or approved, what in the live data has moved since."""
        ...


_types: dict[str, DocumentType] = {}


def register(doctype: DocumentType) -> None:
    """Make ``doctype`` the kind its ``kind`` names (at start-up)."""
    _types[doctype.kind] = doctype


def document_types() -> Mapping[str, DocumentType]:
    return _types


def document_type(kind: str) -> DocumentType | None:
    return _types.get(kind)
