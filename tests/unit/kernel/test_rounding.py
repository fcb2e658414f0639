from __future__ import annotations

from decimal import Decimal, localcontext

import pytest

from kernel.rounding import percent, quantize


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("19.972"), 2, "19.97"),
        (Decimal("5855.215"), 2, "5855.22"),
        (Decimal("2.665"), 2, "2.67"),  # half-even would give 2.66
        (Decimal("2.675"), 2, "2.68"),
        (Decimal("-2.665"), 2, "-2.67"),
        (Decimal("15"), 2, "15.00"),
        (Decimal("0.5"), 0, "1"),
        (Decimal("1.0049"), 2, "1.00"),
    ],
)
def test_quantize_rounds_half_up(value: Decimal, places: int, expected: str) -> None:
    assert str(quantize(value, places)) == expected


def test_quantize_never_returns_negative_zero() -> None:
    assert str(quantize(Decimal("-0.001"))) == "0.00"


def test_quantize_refuses_negative_places() -> None:
    with pytest.raises(ValueError):
        quantize(Decimal(1), -1)


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        ("1012.36", "1053.2", "96.12"),  # Tianjin 接听率
        ("9098.24", "9113.78", "99.83"),  # 工资福利支出执行率
        ("1978.55", "1969.62", "100.45"),  # 商品和服务支出, over budget
        ("0", "9", "0.00"),  # 资本性支出, nothing spent
        ("11076.79", "11092.40", "99.86"),  # 项目合计执行率
        ("19.87", "22", "90.32"),  # 项目效益得分率
        ("1", "8", "12.50"),
    ],
)
def test_percent_gives_percentage_points_to_two_places(
    numerator: str, denominator: str, expected: str
) -> None:
    assert str(percent(Decimal(numerator), Decimal(denominator))) == expected


def test_percent_rounds_an_exact_half_up() -> None:
    assert percent(Decimal("1"), Decimal("16000")) == Decimal("0.01")  # 0.00625


def test_percent_of_a_zero_denominator_is_an_error_not_zero() -> None:
    with pytest.raises(ZeroDivisionError):
        percent(Decimal(1), Decimal(0))


def test_rounding_ignores_the_callers_decimal_context() -> None:
    with localcontext() as context:
        context.prec = 3
        assert percent(Decimal("1012.36"), Decimal("1053.2")) == Decimal("96.12")
        assert quantize(Decimal("5855.215")) == Decimal("5855.22")
