"""Reading one cell of an operating-data sheet: a number, a period or a name.

Pure Python. Each function returns the value or raises ``CellError`` with a plain Chinese
message that says what is wrong and what to type instead. The rules are strict on purpose:
a figure that could be read two ways is refused, never guessed, so what is stored is what the
centre meant.

- 数值: a plain half-width decimal number ("1012.36", 1012.36 in a number cell). Refused, each
  with its own message: blanks (``BlankCell``: the caller decides), full-width digits
  ("１２３"), thousands separators ("1,012.36"), percentages ("96.12%": enter the two counts),
  units in the cell ("1012.36万": the unit goes in the 单位 column), formulas ("=B2+B3"),
  dates, negative numbers.
- 期间: a year ("2020", "2020年", 2020) for the whole year, or a month of it ("2020-03",
  "2020年3月", "2020/3", "2020.03", or an Excel date on the 1st of the month). Months outside
  1–12 and years outside 2000–2100 are refused.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Final

MIN_YEAR: Final = 2000
MAX_YEAR: Final = 2100


class CellError(ValueError):
    """A cell that cannot be read; ``str()`` is the message for the user."""


class BlankCell(CellError):
    pass


@dataclass(frozen=True, slots=True, order=True)
class Period:
    year: int
    month: int | None = None

    @property
    def label(self) -> str:
        return (
            f"{self.year}年" if self.month is None else f"{self.year}年{self.month}月"
        )

    @property
    def key(self) -> str:
        """The canonical text a template writes: "2020" or "2020-03"."""
        return str(self.year) if self.month is None else f"{self.year}-{self.month:02d}"


_FULL_WIDTH: Final = re.compile(r"[０-９．，％－＋]")
_PLAIN_NUMBER: Final = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_THOUSANDS: Final = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_SCIENTIFIC: Final = re.compile(r"-?[0-9]+(?:\.[0-9]+)?[eE][-+]?[0-9]+")
_LARGEST_FIGURE: Final = Decimal(10) ** 15
_BLANKS: Final = " \t\r\n\u3000\xa0"
_LEADING_NUMBER: Final = re.compile(r"-?[0-9][0-9,]*+(?:\.[0-9]++)?+")


def text(raw: object) -> str:
    """A text cell: stripped; numbers as written (2020.0 → "2020"); None → ""."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip(_BLANKS)


def normalise_name(raw: str) -> str:
    """The key a metric or organisation name is matched by: NFKC (full-width → half-width),
    no whitespace. "１５秒内 接听量" and "15秒内接听量" are the same metric."""
    return "".join(unicodedata.normalize("NFKC", raw).split())


def number(raw: object) -> Decimal:
    """A non-negative number from a 数值 cell (see the module rules)."""
    if raw is None or (isinstance(raw, str) and not raw.strip(_BLANKS)):
        raise BlankCell("数值为空")
    if isinstance(raw, bool):
        raise CellError(f"数值“{raw}”不是数字")
    if isinstance(raw, (datetime, date, time)):
        raise CellError(
            "数值是日期格式：请把单元格格式改为“常规”或“数值”后重新填写数字"
        )
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise CellError("数值不是有效数字")
        value = Decimal(int(raw)) if raw.is_integer() else Decimal(repr(raw))
    else:
        value = _number_text(str(raw).strip(_BLANKS))
    if value < 0:
        raise CellError(
            f"数值不能为负数（{_plain(value)}）：计数、金额和时长都不小于 0"
        )
    return value


def _number_text(cell: str) -> Decimal:
    if cell.startswith("="):
        raise CellError(
            f"数值“{_shown(cell)}”是公式：请复制后“选择性粘贴 → 数值”，只保留计算结果"
        )
    if _FULL_WIDTH.search(cell):
        half = unicodedata.normalize("NFKC", cell)
        raise CellError(f"数值“{_shown(cell)}”含全角字符：请改用半角数字，如“{half}”")
    if _PLAIN_NUMBER.fullmatch(cell):
        try:
            return Decimal(cell)
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            raise CellError(f"数值“{_shown(cell)}”不是数字") from None
    if cell.endswith("%"):
        raise CellError(
            f"数值“{_shown(cell)}”是百分比：请填写计数（如接听量、呼入量各占一行），比率由系统计算"
        )
    if _THOUSANDS.fullmatch(cell):
        raise CellError(
            f"数值“{_shown(cell)}”含千位分隔符：请去掉逗号，填写“{_shown(cell.replace(',', ''))}”"
        )
    if _SCIENTIFIC.fullmatch(cell):
        raise CellError(_scientific_message(cell))
    suffixed = _number_with_suffix(cell)
    if suffixed:
        digits, suffix = suffixed
        raise CellError(
            f"数值“{_shown(cell)}”含单位“{_shown(suffix)}”：数值列只填数字“{_shown(digits.replace(',', ''))}”，"
            f"单位填在“单位”列"
        )
    raise CellError(f"数值“{_shown(cell)}”不是数字")


# Every pattern here is linear in the length of the cell: no two neighbouring parts can
# match the same characters, and runs are possessive (*+), so a failed match never retries
# another split of a run of spaces or digits. The number-and-unit form is read in two
# steps (``_number_with_suffix``).
_YEAR_TEXT: Final = re.compile(r"([0-9]{4})\s*+(?:年度|全年|年\s*+(?:全年|年度)?+)?+")
_MONTH_TEXT: Final = re.compile(
    r"([0-9]{4})\s*+(?:年|-|/|\.)\s*+([0-9]{1,2})\s*+(?:月)?+(?:份)?+"
)


def _shown(cell: str) -> str:
    """A cell as a message quotes it: at most 40 characters."""
    return cell if len(cell) <= 40 else f"{cell[:40]}…（共 {len(cell):,} 个字符）"


def _number_with_suffix(cell: str) -> tuple[str, str] | None:
    """ "1012.36 万" → ("1012.36", "万"): a number (digits and commas, then a decimal
    part) followed by one word without blanks; None otherwise. The number is taken whole
    (possessive: never given back), the rest must be one word: linear, where the single
    pattern it replaces took time quadratic in the length of the cell."""
    number = _LEADING_NUMBER.match(cell)
    if number is None:
        return None
    suffix = cell[number.end() :].lstrip()
    if not suffix or len(suffix.split(maxsplit=1)) > 1:
        return None
    return number[0], suffix


def _scientific_message(cell: str) -> str:
    value = Decimal(cell)  # the pattern admits only what Decimal reads
    if abs(value) >= _LARGEST_FIGURE:
        return f"数值“{_shown(cell)}”是科学计数法，且大得不合理：请填写实际的数字"
    return (
        f"数值“{_shown(cell)}”是科学计数法：请填写完整的数字“{_shown(_plain(value))}”"
        "（把单元格格式改为“数值”或“文本”可避免 Excel 自动转换）"
    )


def period(raw: object) -> Period:
    """The period of a 期间 cell (see the module rules)."""
    if raw is None or (isinstance(raw, str) and not raw.strip(_BLANKS)):
        raise BlankCell("期间为空：请填写年份（如 2020）或年月（如 2020-03）")
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        if raw.day != 1:
            raise CellError(
                f"期间“{raw.isoformat()}”是具体日期：请填写年份（如 2020）或年月（如 2020-03）"
            )
        return _checked(raw.year, raw.month, raw.strftime("%Y-%m"))
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return _checked(raw, None, str(raw))
    cell = str(raw).strip(_BLANKS)
    if _FULL_WIDTH.search(cell):
        half = unicodedata.normalize("NFKC", cell)
        raise CellError(f"期间“{_shown(cell)}”含全角字符：请改用半角数字，如“{half}”")
    if match := _YEAR_TEXT.fullmatch(cell):
        return _checked(int(match[1]), None, cell)
    if match := _MONTH_TEXT.fullmatch(cell):
        return _checked(int(match[1]), int(match[2]), cell)
    raise CellError(
        f"期间“{_shown(cell)}”无法识别：请填写年份（如 2020）或年月（如 2020-03）"
    )


def _checked(year: int, month: int | None, written: str) -> Period:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CellError(f"期间“{written}”的年份须在 {MIN_YEAR}–{MAX_YEAR} 之间")
    if month is not None and not 1 <= month <= 12:
        raise CellError(f"期间“{written}”的月份须在 1–12 之间：一年只有 12 个月")
    return Period(year, month)


def decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _plain(value: Decimal) -> str:
    return format(value, "f")
