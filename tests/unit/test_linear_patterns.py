"""Every regular expression applied to uploaded or typed text runs in linear time: a
100,000-character cell built to make a backtracking pattern retry every split of its runs
is read (or refused) in well under 50 ms by each reader of such text."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from kernel.indicator_values import parse_indicator_value
from operations import cells
from operations.services import _YEAR
from targets.workbooks_io import _UNIT_SUFFIX, _YEAR_LINE, _split_unit

N = 100_000

CELLS = {
    "digits then words": "1" * (N - 4) + " a b",
    "digits and commas": "1," * (N // 2) + "x",
    "year then blanks": "2020" + " " * (N - 5) + "x",
    "year, 年 and blanks": "2020" + "年 " * ((N - 5) // 2) + "x",
    "blanks between digits": "1 " * (N // 2) + "x",
    "decimal points": "1." * (N // 2) + "x",
    "minus signs": "-" * N,
    "parentheses": "(" * N,
    "label then parenthesis": "a(" * (N // 2),
    "percent": "9" * (N - 1) + "%",
    "full-width": "１" * N,
    "scientific": "1" * (N - 3) + "e5x",
}


def _swallow(read: Callable[[str], object]) -> Callable[[str], object]:
    def run(cell: str) -> object:
        try:
            return read(cell)
        except ValueError:  # CellError is a ValueError: a refusal is an answer
            return None

    return run


READERS: dict[str, Callable[[str], object]] = {
    "operations.cells.number (数值)": _swallow(cells.number),
    "operations.cells.period (期间)": _swallow(cells.period),
    "operations.services._YEAR": _YEAR.match,
    "kernel.indicator_values.parse_indicator_value (指标值)": parse_indicator_value,
    "targets.workbooks_io._split_unit (表头栏目)": _split_unit,
    "targets.workbooks_io._UNIT_SUFFIX": _UNIT_SUFFIX.fullmatch,
    "targets.workbooks_io._YEAR_LINE": _YEAR_LINE.fullmatch,
}


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("cell", list(CELLS))
def test_a_100000_character_cell_is_read_in_linear_time(reader: str, cell: str) -> None:
    text = CELLS[cell]
    assert len(text) >= N - 1
    best = min(_timed(READERS[reader], text) for _ in range(3))
    assert best < 0.050, f"{reader} took {best:.3f} s on {cell}"


def _timed(read: Callable[[str], object], text: str) -> float:
    began = time.perf_counter()
    read(text)
    return time.perf_counter() - began


def test_the_penetration_test_cell_gets_its_message() -> None:
    with pytest.raises(cells.CellError) as error:
        cells.number("1" * 40_000 + " a b")
    assert str(error.value) == (
        "数值“1111111111111111111111111111111111111111…（共 40,004 个字符）”不是数字"
    )


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            "1E5",
            "数值“1E5”是科学计数法：请填写完整的数字“100000”"
            "（把单元格格式改为“数值”或“文本”可避免 Excel 自动转换）",
        ),
        ("1e400", "数值“1e400”是科学计数法，且大得不合理：请填写实际的数字"),
        (
            "1012.36 万",
            "数值“1012.36 万”含单位“万”：数值列只填数字“1012.36”，单位填在“单位”列",
        ),
        ("1,2,3", "数值“1,2,3”不是数字"),
    ],
)
def test_scientific_notation_is_named_not_taken_for_a_unit(
    cell: str, message: str
) -> None:
    with pytest.raises(cells.CellError) as error:
        cells.number(cell)
    assert str(error.value) == message
