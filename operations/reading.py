"""Reading an uploaded operating-data file into a table of raw cells, safely.

The reading itself is the kernel's one opener (``kernel.spreadsheets``: size, zip bounds
measured while decompressing, the sheet's actual extent, cell count and length, control
characters, then python-calamine). What is operating data's own: the data sheet is the one
named 运行数据 (else the first), and its limits come from ``OPERATIONS_UPLOAD_LIMITS``
(``operations.services.upload_limits``).
"""

from __future__ import annotations

from typing import Final

from kernel import spreadsheets
from kernel.spreadsheets import (
    DEFAULT_LIMITS,
    FileRefused,
    Limits,
    Problem,
    Table,
    column_index,
    column_letter,
    refuse,
    size_text,
)

DATA_SHEET: Final = "运行数据"

__all__ = [
    "DATA_SHEET",
    "DEFAULT_LIMITS",
    "FileRefused",
    "Limits",
    "Problem",
    "Table",
    "column_index",
    "column_letter",
    "read_table",
    "refuse",
    "size_text",
]


def read_table(name: str, content: bytes, limits: Limits = DEFAULT_LIMITS) -> Table:
    """The data sheet of ``content`` (an upload named ``name``), or ``FileRefused``."""
    return spreadsheets.read_table(name, content, limits, sheet=DATA_SHEET)
