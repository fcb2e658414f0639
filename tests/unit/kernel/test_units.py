"""Units: exact conversion between a unit and its 万-unit, and which can be compared."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kernel.units import (
    UnitError,
    convert,
    convert_for_target,
    decimals_allowed,
    units_of_base,
)


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        ("1012.36", "万次", "次", "10123600"),
        ("10123600", "次", "万次", "1012.36"),
        ("32.4", "万件", "件", "324000"),
        ("9098.24", "万元", "元", "90982400"),
        ("1", "次", "万次", "0.0001"),
    ],
)
def test_conversion_is_exact(
    value: str, source: str, target: str, expected: str
) -> None:
    assert str(convert(Decimal(value), source, target)) == expected


def test_different_things_do_not_convert() -> None:
    with pytest.raises(UnitError):
        convert(Decimal(1), "次", "件")


def test_a_generic_count_target_accepts_any_count_but_not_people_or_money() -> None:
    assert convert_for_target(Decimal("10.42"), "万件", "个") == Decimal("104200")
    assert convert_for_target(Decimal("30"), "条", "个") == Decimal("30")
    assert convert_for_target(Decimal("865"), "人", "个") is None
    assert convert_for_target(Decimal("8.99"), "万元", "个") is None


@pytest.mark.parametrize(
    ("unit", "places"),
    [("次", 0), ("万次", 4), ("元", 2), ("万元", 6), ("人", 0), ("秒", 2)],
)
def test_decimals_allowed_keep_the_base_value_whole(unit: str, places: int) -> None:
    assert decimals_allowed(unit) == places


def test_units_of_a_base_offer_the_wan_unit() -> None:
    assert units_of_base("次") == ("次", "万次")
    assert units_of_base("元") == ("元", "万元")
    assert units_of_base("人") == ("人",)
