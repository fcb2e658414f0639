"""The bounds an uploaded file is held to, and how a refusal is said.

Every bound has a Chinese message that names it (``FileRefused``); ``Problem.code`` says
which bound or check refused the file, so a caller with its own wording (the evaluation
workbook's, the target form's) can keep it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from kernel import text

EXCEL_MAX_CELL_CHARS: Final = 32_767
"""The most characters Excel itself keeps in one cell."""


@dataclass(frozen=True, slots=True)
class Limits:
    """What one upload may be. Rows are counted below ``header_rows`` heading rows."""

    max_bytes: int = 5 * 1024 * 1024
    max_rows: int = 20_000
    max_columns: int = 20
    max_entries: int = 200
    max_uncompressed_bytes: int = 50 * 1024 * 1024
    max_ratio: int = 200
    max_cells: int = 500_000
    """Cells written in all the workbook's sheets together, merged cells included."""
    max_cell_chars: int = EXCEL_MAX_CELL_CHARS
    header_rows: int = 1


DEFAULT_LIMITS: Final = Limits()


@dataclass(frozen=True, slots=True)
class Problem:
    """An error in the file: ``row`` and ``column`` as a spreadsheet shows them (1, "D"),
    0 and "" when the whole file is concerned; ``code`` names the check."""

    message: str
    row: int = 0
    column: str = ""
    header: str = ""
    code: str = ""


class FileRefused(Exception):
    """The file is refused; ``problems`` say why (Chinese), the first one first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = tuple(problems)

    @property
    def code(self) -> str:
        return self.problems[0].code if self.problems else ""


def refuse(
    message: str, *, row: int = 0, column: str = "", code: str = ""
) -> FileRefused:
    return FileRefused([Problem(message, row, column, code=code)])


def size_text(size: int) -> str:
    """5242880 → "5 MB", 1536 → "1.5 KB", 2**30 → "1 GB"."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} 字节"


def check_size(size: int, max_bytes: int) -> None:
    """Refuse an upload of ``size`` bytes over ``max_bytes``, before it is read."""
    if size > max_bytes:
        raise refuse(
            f"文件大小 {size_text(size)} 超过上限 {size_text(max_bytes)}", code="size"
        )


def column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """ "A" → 0, "AA" → 26."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - ord("A") + 1
    return index - 1


def cell_name(row: int, column: int) -> str:
    """(12, 3) → "D12" (row as shown, column from 0)."""
    return f"{column_letter(column)}{row}"


# What no cell may hold is the rule for all text (kernel/text.py): an xlsx writer refuses
# these characters, PostgreSQL refuses NUL.
CONTROL_CHARACTERS: Final = text.CONTROL_CHARACTERS
first_control = text.first_control


def control_message(where: str, char: str) -> str:
    return (
        f"{where} 含控制字符 U+{ord(char):04X}（不可见字符，多由其他系统导出时带入）："
        "请删除该字符后重新上传"
    )


def length_message(where: str, length: int | str, limit: int) -> str:
    return (
        f"{where} 有 {length} 个字符，超过每个单元格 {limit:,} 个字符的上限："
        "请缩短内容后重新上传"
    )


def extent_message(what: str, limits: Limits) -> str:
    return (
        f"工作表{what}，超过上限（数据最多 {limits.max_rows:,} 行、{limits.max_columns} 列）："
        f"请删除多余的行列，或分成几个文件上传"
    )
