"""The 公开版 of a document: the reviewer's redaction list, and publication as a recorded act.

``redaction_review`` reads a document as its kind prints it (``documents.kinds``) and lists
the personal data in it: every value of a known contact field of the objects behind it
(``disclosure.subjects.PERSONAL_FIELDS``) and every match of the patterns of free text
(``disclosure.patterns``), each with how often and where it is printed.

``publication_publish`` takes the reviewer's decisions (items kept, items added), replaces
every item to remove in the document's text before rendering (``disclosure.redaction``),
renders the 公开版 files through the kind's own renderer, stores them and records who
published which version of the document, when, and the list as decided.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Max
from django.utils.translation import gettext as _

from core.concurrency import allocate
from disclosure.models import Publication, RedactionItem
from disclosure.patterns import Category, find_personal_data
from disclosure.redaction import (
    PLACEHOLDER,
    document_texts,
    occurrences,
    redacted_document,
)
from disclosure.subjects import Subject, subject_of
from documents.kinds import Document, DocumentType, document_type
from documents.models import DocumentFormat
from documents.rendering import document_fingerprint, document_render

# Characters of text shown on each side of an item where the list says where it stands.
CONTEXT_CHARS = 14
# At most this many places are shown per item (the count says how many there are).
CONTEXTS_SHOWN = 3
# A reviewer's item: at least two characters (one hanzi removes too much), at most 200.
ADDITION_MIN, ADDITION_MAX = 2, 200


@dataclass(frozen=True)
class ReviewItem:
    """One item of the redaction list."""

    key: str
    text: str
    category: Category | None
    origin: RedactionItem.Origin
    field_label: str
    occurrences: int
    contexts: tuple[str, ...]


@dataclass(frozen=True)
class Review:
    kind: str
    code: str
    doctype: DocumentType
    document: Document
    subject: Subject | None
    fingerprint: str
    items: tuple[ReviewItem, ...]
    texts: tuple[str, ...]

    def item(self, key: str) -> ReviewItem | None:
        return next((item for item in self.items if item.key == key), None)


def item_key(text: str) -> str:
    """A stable key for an item's text (the form's checkbox value): no personal data in
    the page's markup beyond the text shown."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _contexts(texts: Sequence[str], item: str) -> tuple[str, ...]:
    found: list[str] = []
    for text in texts:
        start = text.find(item)
        while start != -1 and len(found) < CONTEXTS_SHOWN:
            before = text[max(0, start - CONTEXT_CHARS) : start]
            after = text[start + len(item) : start + len(item) + CONTEXT_CHARS]
            found.append(f"…{before}【{item}】{after}…".replace("\n", " "))
            start = text.find(item, start + len(item))
        if len(found) >= CONTEXTS_SHOWN:
            break
    return tuple(found)


def _item(
    texts: Sequence[str],
    text: str,
    category: Category | None,
    origin: RedactionItem.Origin,
    field_label: str = "",
) -> ReviewItem:
    return ReviewItem(
        key=item_key(text),
        text=text,
        category=category,
        origin=origin,
        field_label=field_label,
        occurrences=occurrences(texts, text),
        contexts=_contexts(texts, text),
    )


def review_item(review: Review, text: str) -> ReviewItem:
    """An item the reviewer added, with where the document prints it."""
    return _item(review.texts, text, None, RedactionItem.Origin.REVIEWER)


def redaction_review(*, kind: str, code: str) -> Review:
    """The redaction list of document ``kind``/``code`` as it is now.

    Raises ``ObjectDoesNotExist`` when there is no such document. Contact-field values come
    first (a value the document does not print is still listed, with 0 occurrences: the
    field is known to hold personal data), then what the patterns find, in order of
    appearance; each text once.
    """
    doctype = document_type(kind)
    if doctype is None:
        raise ObjectDoesNotExist(kind)
    document = doctype.build(code)
    subject = subject_of(kind, code)
    texts = tuple(document_texts(document))
    items: dict[str, ReviewItem] = {}
    if subject is not None:
        for value in subject.field_values():
            key = item_key(value.text)
            if key not in items:
                items[key] = _item(
                    texts,
                    value.text,
                    value.category,
                    RedactionItem.Origin.FIELD,
                    value.label,
                )
    for text in texts:
        for match in find_personal_data(text):
            key = item_key(match.text)
            if key not in items:
                items[key] = _item(
                    texts, match.text, match.category, RedactionItem.Origin.PATTERN
                )
    return Review(
        kind=kind,
        code=code,
        doctype=doctype,
        document=document,
        subject=subject,
        fingerprint=document_fingerprint(document, DocumentFormat.PDF),
        items=tuple(items.values()),
        texts=texts,
    )


def addition_errors(review: Review, additions: Sequence[str]) -> list[str]:
    """Why the reviewer's added items cannot be removed (empty: they can)."""
    errors: list[str] = []
    for text in additions:
        if not ADDITION_MIN <= len(text) <= ADDITION_MAX:
            errors.append(
                _("“%(text)s”: an item to remove is 2 to 200 characters long.")
                % {"text": text[:40]}
            )
        elif PLACEHOLDER in text:
            errors.append(
                _("“%(text)s” holds the mark of removed text; type the text itself.")
                % {"text": text}
            )
        elif occurrences(review.texts, text) == 0:
            errors.append(
                _(
                    "“%(text)s” does not appear in the document; copy it exactly as "
                    "printed."
                )
                % {"text": text}
            )
    return errors


def removals_for(
    review: Review, *, keep: Collection[str], additions: Sequence[str]
) -> list[str]:
    """The texts to remove: every listed item not kept, and the reviewer's additions."""
    removed = [item.text for item in review.items if item.key not in keep]
    return removed + [text for text in additions if text not in removed]


def public_document(
    review: Review, *, keep: Collection[str], additions: Sequence[str]
) -> Document:
    """The 公开版 of the reviewed document: its text with every removal replaced."""
    return redacted_document(
        review.document, removals_for(review, keep=keep, additions=additions)
    )


def _next_number(kind: str, code: str) -> int:
    last = Publication.objects.filter(kind=kind, object_code=code).aggregate(
        last=Max("number")
    )["last"]
    return int(last or 0) + 1


def publication_publish(
    *,
    kind: str,
    code: str,
    user: User,
    fingerprint: str,
    keep: Collection[str],
    additions: Sequence[str],
) -> Publication:
    """Publish the 公开版 of ``kind``/``code`` with the reviewer's decisions.

    ``fingerprint`` is the version of the document the reviewer's list was made from: if
    the document has changed since, nothing is published (``ValidationError``), since the
    list may no longer hold what the document prints. ``keep`` are the keys of listed items
    to leave in; ``additions`` texts the reviewer added, each printed in the document.
    The caller has checked that ``user`` may publish it.
    """
    review = redaction_review(kind=kind, code=code)
    if review.fingerprint != fingerprint:
        raise ValidationError(
            _(
                "The document has changed since this list was made: nothing was "
                "published. Check the list again below, then publish."
            ),
            code="stale",
        )
    if review.subject is None:
        raise ValidationError(
            _("This kind of document cannot be published yet."), code="no_subject"
        )
    if errors := addition_errors(review, additions):
        raise ValidationError(errors, code="addition")
    public = public_document(review, keep=keep, additions=additions)
    pdf = document_render(review.doctype, public, DocumentFormat.PDF)
    xlsx = (
        review.doctype.export(public, DocumentFormat.XLSX)
        if DocumentFormat.XLSX in review.doctype.formats
        else None
    )
    subject = review.subject
    return allocate(
        lambda _attempt: _publication_create(
            review=review,
            subject=subject,
            title=public.title,
            user=user,
            pdf=pdf,
            xlsx=xlsx,
            keep=keep,
            additions=additions,
        ),
        field="__all__",
    )


def _publication_create(
    *,
    review: Review,
    subject: Subject,
    title: str,
    user: User,
    pdf: bytes,
    xlsx: bytes | None,
    keep: Collection[str],
    additions: Sequence[str],
) -> Publication:
    publication = Publication(
        kind=review.kind,
        object_code=review.code,
        number=_next_number(review.kind, review.code),
        title=title[:300],
        organisation=subject.organisation,
        year=subject.year,
        source_fingerprint=review.fingerprint,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        published_by=user,
    )
    folder = f"disclosure/{review.kind}/{review.code}/{publication.pk}"
    publication.pdf.name = f"{folder}.pdf"
    if xlsx is not None:
        publication.xlsx.name = f"{folder}.xlsx"
    publication.full_clean()
    # the files once the row is known to be valid; an attempt that fails after this
    # (a simultaneous publication took the number) deletes them before the next one
    stored: list[str] = []
    try:
        publication.pdf.name = default_storage.save(
            publication.pdf.name, ContentFile(pdf)
        )
        stored.append(publication.pdf.name)
        if xlsx is not None:
            publication.xlsx.name = default_storage.save(
                publication.xlsx.name, ContentFile(xlsx)
            )
            stored.append(publication.xlsx.name)
        publication.save()
        _items_create(publication, review, keep=keep, additions=additions)
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise
    return publication


def _items_create(
    publication: Publication,
    review: Review,
    *,
    keep: Collection[str],
    additions: Sequence[str],
) -> None:
    rows = [
        RedactionItem(
            publication=publication,
            position=position,
            category=item.category or "",
            text=item.text[:200],
            origin=item.origin,
            field_label=item.field_label,
            decision=RedactionItem.Decision.KEPT
            if item.key in keep
            else RedactionItem.Decision.REMOVED,
            occurrences=item.occurrences,
        )
        for position, item in enumerate(review.items)
    ]
    listed = {item.text for item in review.items}
    rows += [
        RedactionItem(
            publication=publication,
            position=len(review.items) + number,
            text=text,
            origin=RedactionItem.Origin.REVIEWER,
            decision=RedactionItem.Decision.REMOVED,
            occurrences=occurrences(review.texts, text),
        )
        for number, text in enumerate(t for t in additions if t not in listed)
    ]
    for row in rows:
        row.full_clean(exclude=["publication"])
    RedactionItem.objects.bulk_create(rows)
