from __future__ import annotations

from decimal import Decimal

import pytest

from kernel.decimals import as_written, grouped, without_trailing_zeros


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1012.360000", "1012.36"),
        ("750.0000", "750"),
        ("1.0E+7", "10000000"),
        ("1E+2", "100"),
        ("0.00", "0"),
        ("-2.50", "-2.5"),
        ("0.000100", "0.0001"),
        ("96.12", "96.12"),
    ],
)
def test_without_trailing_zeros(value: str, expected: str) -> None:
    result = without_trailing_zeros(Decimal(value))
    assert str(result) == expected
    assert result == Decimal(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("90.0000", "90"),
        ("1E+2", "100"),
        ("1012.360000", "1012.36"),
        ("0.0000005", "0.0000005"),
        ("-0.00", "-0"),
    ],
)
def test_as_written(value: str, expected: str) -> None:
    assert as_written(Decimal(value)) == expected


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        ("11200000", True, "11,200,000"),
        ("11200000.00", True, "11,200,000.00"),
        ("10200.59", True, "10,200.59"),
        ("1036.390000", False, "1,036.39"),
        ("999.5", False, "999.5"),
        ("-21.19", True, "-21.19"),
        ("1E+7", False, "10,000,000"),
    ],
)
def test_grouped_separates_thousands(value: str, places: bool, text: str) -> None:
    assert grouped(Decimal(value), places=places) == text
