"""Uploaded spreadsheets, let in one safe way (pure Python: no Django, no app).

Every upload of the project goes through here before any spreadsheet library allocates:

- ``limits``: the bounds (``Limits``), the refusal (``FileRefused`` of ``Problem``s, each
  a Chinese message naming its bound) and the size check every upload uses;
- ``packages``: the xlsx zip, every entry decompressed and counted, never trusted;
- ``sheets``: the shared strings and sheets streamed through expat, each cell placed
  whatever its quoting, against the extent, cell count, cell length and control-character
  bounds; formulas, error values and merged ranges found;
- ``opening``: ``check_workbook``, the three steps in order;
- ``tables``: ``read_table``, a checked ``.xlsx`` (calamine) or ``.csv`` as raw cells.

And one way out: ``writing`` puts text into the workbooks the project writes as text, with
Excel's quote prefix where Excel would read a formula (``=100%`` prints as written).
"""

from kernel.spreadsheets.limits import (
    DEFAULT_LIMITS,
    EXCEL_MAX_CELL_CHARS,
    FileRefused,
    Limits,
    Problem,
    cell_name,
    check_size,
    column_index,
    column_letter,
    first_control,
    refuse,
    size_text,
)
from kernel.spreadsheets.opening import CheckedWorkbook, check_workbook
from kernel.spreadsheets.packages import CORRUPT
from kernel.spreadsheets.sheets import SheetFacts
from kernel.spreadsheets.tables import Table, read_table

__all__ = [
    "CORRUPT",
    "DEFAULT_LIMITS",
    "EXCEL_MAX_CELL_CHARS",
    "CheckedWorkbook",
    "FileRefused",
    "Limits",
    "Problem",
    "SheetFacts",
    "Table",
    "cell_name",
    "check_size",
    "check_workbook",
    "column_index",
    "column_letter",
    "first_control",
    "read_table",
    "refuse",
    "size_text",
]
