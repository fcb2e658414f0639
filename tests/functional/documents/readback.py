"""Reading a rendered PDF back, shared by the PDF tests of target forms and evaluation
reports: text through poppler (pdftotext, pdffonts), table cells through pdfplumber, and
what WeasyPrint drew, to compare them."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from io import BytesIO

import pdfplumber
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import TextBox

from documents.pdf import BASE_URL, StaticFilesURLFetcher


def squash(text: str) -> str:
    """Text without any whitespace: line wraps inside cells and paragraphs do not matter."""
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class ReadBack:
    pdf: bytes
    text: str  # pdftotext, whole document
    pages: list[str]  # pdftotext, page by page
    tables: list[list[list[list[str]]]]  # per page: its tables, rows of squashed cells

    @property
    def rows(self) -> list[list[str]]:
        """Every table row of every page, merged-away cells dropped."""
        return [row for page in self.tables for table in page for row in table]

    def row_with(self, *cells: str) -> list[str]:
        """The first table row holding ``cells`` side by side (squashed)."""
        wanted = [squash(c) for c in cells]
        for row in self.rows:
            for start in range(len(row) - len(wanted) + 1):
                if row[start : start + len(wanted)] == wanted:
                    return row
        raise AssertionError(f"No table row holds {wanted!r} side by side.")


def read_back(pdf: bytes) -> ReadBack:
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    tables: list[list[list[list[str]]]] = []
    with pdfplumber.open(BytesIO(pdf)) as reader:
        for page in reader.pages:
            tables.append(
                [
                    [[squash(c) for c in row if c is not None] for row in table]
                    for table in page.extract_tables()
                ]
            )
    return ReadBack(pdf=pdf, text=text, pages=text.split("\f")[:-1], tables=tables)


def pdf_fonts(pdf: bytes) -> list[list[str]]:
    """pdffonts' rows: name, type…, encoding, emb, sub, uni, object, generation."""
    listing = subprocess.run(
        ["pdffonts", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return [line.split() for line in listing.splitlines()[2:]]


def drawn_text(html: str) -> Counter[str]:
    """The characters WeasyPrint lays out for ``html`` (text boxes only), as a multiset."""
    document = HTML(
        string=html, base_url=BASE_URL, url_fetcher=StaticFilesURLFetcher()
    ).render()
    drawn: Counter[str] = Counter()
    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, TextBox):
                drawn.update(squash(box.text))
    return drawn


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._skip += tag in ("style", "title", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "title", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text a reader sees in ``html`` (no style, title or script)."""
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)
