"""HTML → PDF: the one place WeasyPrint is called.

Fonts come from the system through fontconfig (Noto Serif CJK SC for the body, Noto Sans CJK
SC for headings, named in the print stylesheet); WeasyPrint subsets them with HarfBuzz
(``libharfbuzz-subset0``) and embeds the subsets. Everything else a document refers to goes
through ``StaticFilesURLFetcher``: it serves files found by the static-files finders, read
from disk, and refuses every other URL, so rendering can neither reach the network nor read a
local file outside the static files (django-weasyprint's ``DjangoURLFetcher``, InvenTree's
``report/fetcher.py``).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.formatting_structure.boxes import TableRowBox
from weasyprint.urls import URLFetcher, URLFetcherResponse

from documents.typesetting import joined

# Relative URLs in a document ("/static/…") resolve against this made-up origin; the fetcher
# answers for it without any network access.
BASE_URL = "https://documents.hotline-perf.invalid/"

ProgressCallback = Callable[[int], None]


class URLRefused(ValueError):
    """A document asked for something other than a static file."""


def static_file_for_url(url: str) -> Path | None:
    """The file on disk that static URL ``url`` names, or ``None`` if it names none."""
    prefix = urlsplit(urljoin(BASE_URL, settings.STATIC_URL))
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (prefix.scheme, prefix.netloc):
        return None
    if not parts.path.startswith(prefix.path):
        return None
    relative = unquote(parts.path[len(prefix.path) :])
    if not relative or "\x00" in relative:
        return None
    try:
        found: Any = finders.find(relative)
        if found is None and settings.STATIC_ROOT:
            found = safe_join(str(settings.STATIC_ROOT), relative)
    except SuspiciousFileOperation:
        return None
    if not found:
        return None
    path = Path(found)
    return path if path.is_file() else None


class StaticFilesURLFetcher(URLFetcher):  # type: ignore[misc]
    """Serves static files from disk; refuses every other URL (network, ``file:``, data)."""

    def __init__(self) -> None:
        super().__init__(allow_redirects=False, fail_on_errors=False)

    def fetch(
        self, url: str, headers: dict[str, str] | None = None
    ) -> URLFetcherResponse:
        path = static_file_for_url(url)
        if path is None:
            raise URLRefused(f"Documents may only use static files, not {url!r}.")
        content_type, _encoding = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            url,
            body=path.read_bytes(),
            headers={"Content-Type": content_type or "application/octet-stream"},
        )


def layout_pages(html: str) -> Document:
    """``html`` (typeset: ``documents.typesetting``) laid out in pages (WeasyPrint's
    document, before it is written), its unbreakable groups joined for WeasyPrint."""
    return HTML(
        string=joined(html), base_url=BASE_URL, url_fetcher=StaticFilesURLFetcher()
    ).render()


def write_pdf(document: Document) -> bytes:
    pdf: bytes = document.write_pdf()
    return pdf


def render_pdf(html: str, *, progress: ProgressCallback | None = None) -> bytes:
    """The PDF of ``html``: A4 pages laid out by the document's own print CSS.

    ``progress`` is called with 70 once the layout is done (the slow half); writing the
    file, with the font subsetting, is the rest.
    """
    document = layout_pages(html)
    if progress is not None:
        progress(70)
    return write_pdf(document)


def rows_starting_pages(document: Document) -> dict[str, set[int]]:
    """For each table body row marked ``data-table``/``data-row`` in the HTML, the rows
    that are the first of that table on a page after the table's first page: where a
    merged cell running across the break would be drawn blank. A row that runs on from
    the page before (a long text broken inside it) starts no page."""
    starts: dict[str, set[int]] = {}
    last: dict[str, str] = {}  # each table's last row on the page before
    for page in document.pages:
        first: dict[str, str] = {}
        rows: dict[str, str] = {}
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if not isinstance(box, TableRowBox) or element is None:
                continue
            table, row = element.get("data-table"), element.get("data-row")
            if table is None or row is None:
                continue
            first.setdefault(table, row)
            rows[table] = row
        for table, row in first.items():
            # a row that runs on from the page before does not start this one
            if int(row) > 0 and last.get(table) != row:
                starts.setdefault(table, set()).add(int(row))
        last = rows
    return starts
