"""Reading a 公开版 back: every cell's text of a workbook (the PDF: ``readback``)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook


def workbook_text(content: bytes) -> str:
    """Every non-empty cell of every sheet, joined with spaces."""
    book = load_workbook(BytesIO(content))
    return " ".join(
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )
