"""Reading one cell: strict numbers and periods, each refusal with its own message."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from operations.cells import (
    BlankCell,
    CellError,
    Period,
    normalise_name,
    number,
    period,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1012.36", Decimal("1012.36")),
        (" 1053.2 ", Decimal("1053.2")),
        (1012.36, Decimal("1012.36")),
        (1053.0, Decimal("1053")),
        (30948, Decimal("30948")),
        ("0", Decimal("0")),
    ],
)
def test_plain_numbers_are_read_exactly(raw: object, expected: Decimal) -> None:
    assert number(raw) == expected
    assert str(number(raw)) == str(expected)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("１２３", "数值“１２３”含全角字符：请改用半角数字，如“123”"),
        ("1,012.36", "数值“1,012.36”含千位分隔符：请去掉逗号，填写“1012.36”"),
        (
            "96.12%",
            "数值“96.12%”是百分比：请填写计数（如接听量、呼入量各占一行），比率由系统计算",
        ),
        (
            "1012.36万",
            "数值“1012.36万”含单位“万”：数值列只填数字“1012.36”，单位填在“单位”列",
        ),
        ("560 个", "数值“560 个”含单位“个”：数值列只填数字“560”，单位填在“单位”列"),
        ("=B2+B3", "数值“=B2+B3”是公式：请复制后“选择性粘贴 → 数值”，只保留计算结果"),
        ("-5", "数值不能为负数（-5）：计数、金额和时长都不小于 0"),
        (-0.5, "数值不能为负数（-0.5）：计数、金额和时长都不小于 0"),
        ("约一千", "数值“约一千”不是数字"),
        (
            date(2020, 3, 1),
            "数值是日期格式：请把单元格格式改为“常规”或“数值”后重新填写数字",
        ),
        (True, "数值“True”不是数字"),
    ],
)
def test_each_kind_of_bad_number_has_its_message(raw: object, message: str) -> None:
    with pytest.raises(CellError) as error:
        number(raw)
    assert str(error.value) == message


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000"])
def test_a_blank_number_is_blank_not_zero(raw: object) -> None:
    with pytest.raises(BlankCell, match="数值为空"):
        number(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2020", Period(2020)),
        (2020, Period(2020)),
        (2020.0, Period(2020)),
        ("2020年", Period(2020)),
        ("2020年全年", Period(2020)),
        ("2020-03", Period(2020, 3)),
        ("2020-3", Period(2020, 3)),
        ("2020年3月", Period(2020, 3)),
        ("2020/12", Period(2020, 12)),
        ("2020.03", Period(2020, 3)),
        (date(2020, 3, 1), Period(2020, 3)),
        (datetime(2020, 11, 1, 0, 0), Period(2020, 11)),
    ],
)
def test_periods_are_a_year_or_a_month_of_it(raw: object, expected: Period) -> None:
    assert period(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2020-13", "期间“2020-13”的月份须在 1–12 之间：一年只有 12 个月"),
        ("2020-00", "期间“2020-00”的月份须在 1–12 之间：一年只有 12 个月"),
        ("2020年13月", "期间“2020年13月”的月份须在 1–12 之间：一年只有 12 个月"),
        ("1999", "期间“1999”的年份须在 2000–2100 之间"),
        ("２０２０", "期间“２０２０”含全角字符：请改用半角数字，如“2020”"),
        (
            "2020年1-6月",
            "期间“2020年1-6月”无法识别：请填写年份（如 2020）或年月（如 2020-03）",
        ),
        (
            date(2020, 3, 15),
            "期间“2020-03-15”是具体日期：请填写年份（如 2020）或年月（如 2020-03）",
        ),
    ],
)
def test_bad_periods_are_refused_with_their_message(raw: object, message: str) -> None:
    with pytest.raises(CellError) as error:
        period(raw)
    assert str(error.value) == message


def test_a_blank_period_is_refused() -> None:
    with pytest.raises(BlankCell) as error:
        period(None)
    assert str(error.value) == "期间为空：请填写年份（如 2020）或年月（如 2020-03）"


def test_names_match_across_full_width_and_spaces() -> None:
    assert normalise_name("１５秒内 接听量") == normalise_name("15秒内接听量")
    assert Period(2020, 3).label == "2020年3月"
    assert Period(2020).key == "2020"
    assert Period(2020, 3).key == "2020-03"
