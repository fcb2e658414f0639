"""Text written into a workbook as text (``kernel.spreadsheets.writing``): the value is the
text as written, a string, with Excel's quote prefix where Excel would read a formula;
read back — by openpyxl and by the upload reader (calamine) — as written."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from kernel.spreadsheets import DEFAULT_LIMITS, read_table
from kernel.spreadsheets.writing import append_row, write_text


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_formula_looking_text_is_a_string_with_the_quote_prefix() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    append_row(sheet, ["=100%", "-5%", "+1", "@x", "≥90%", Decimal("10.42"), None, 3])
    append_row(sheet, [])
    write_text(sheet.cell(row=3, column=1), "=SUM(A1:A2)\x07")
    content = _saved(workbook)

    read = load_workbook(io.BytesIO(content)).active
    assert read is not None
    assert [(c.value, c.data_type, c.quotePrefix) for c in read[1]] == [
        ("=100%", "s", True),
        ("-5%", "s", True),
        ("+1", "s", True),
        ("@x", "s", True),
        ("≥90%", "s", False),
        (10.42, "n", False),
        (None, "n", False),
        (3, "n", False),
    ]
    assert all(c.value is None for c in read[2])  # an empty row stays a row
    # a control character (which openpyxl refuses) dropped; never a formula
    assert (read["A3"].value, read["A3"].data_type) == ("=SUM(A1:A2)", "s")

    table = read_table("x.xlsx", content, DEFAULT_LIMITS)
    assert table.rows[0][:5] == ["=100%", "-5%", "+1", "@x", "≥90%"]
