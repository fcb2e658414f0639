"""Units of operating data, and exact conversion between a unit and its 万-unit.

Pure Python. A value is stored in the unit the centre entered (Tianjin reports 接听量 in 万次,
a centre's own system exports 次): the unit is kept beside the number and converted only when
two figures are combined or compared, by an exact factor (1 万次 = 10,000 次).

Each unit has a *base* (the thing counted) and a factor to that base. Two units can be
converted when they share a base. 个 is the generic Chinese counter: a target written as
"20000 个" can be compared with a count of 件 or 次 (the target form's author did not name
the thing), but never with 人, 元, 秒 or %.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from kernel.decimals import without_trailing_zeros
from kernel.rounding import divide


@dataclass(frozen=True, slots=True)
class Unit:
    symbol: str
    base: str
    factor: Decimal
    integral: bool
    """Whether a value in the base unit must be a whole number (calls, cases, people)."""


_TEN_THOUSAND: Final = Decimal(10000)


def _family(base: str, *, integral: bool = True) -> dict[str, Unit]:
    return {
        base: Unit(base, base, Decimal(1), integral),
        f"万{base}": Unit(f"万{base}", base, _TEN_THOUSAND, integral),
    }


UNITS: Final[dict[str, Unit]] = {
    **_family("次"),
    **_family("件"),
    **_family("个"),
    **_family("人次"),
    "人": Unit("人", "人", Decimal(1), True),
    "条": Unit("条", "条", Decimal(1), True),
    "期": Unit("期", "期", Decimal(1), True),
    **_family("元", integral=False),
    "秒": Unit("秒", "秒", Decimal(1), False),
    "%": Unit("%", "%", Decimal(1), False),
}
"""Every unit a value may carry. 元 is not integral (2 decimals, 分)."""

GENERIC_COUNT_BASE: Final = "个"
COUNT_BASES: Final = frozenset({"次", "件", "个", "条", "期", "人次"})
"""Bases 个 can stand for in a target ("20000 个" 问题 = 件)."""

MAX_DECIMALS: Final = {"元": 2, "秒": 2, "%": 2}
"""Decimals allowed in the base unit of non-integral bases."""


class UnitError(ValueError):
    pass


def unit(symbol: str) -> Unit:
    try:
        return UNITS[symbol]
    except KeyError:
        raise UnitError(f"unknown unit {symbol!r}") from None


def units_of_base(base: str) -> tuple[str, ...]:
    """The units a value of ``base`` may be entered in, base first: ("次", "万次")."""
    return tuple(u.symbol for u in UNITS.values() if u.base == base)


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """``value`` in ``from_unit`` expressed in ``to_unit``, exactly (no rounding).

    ``convert(Decimal("1012.36"), "万次", "次") == Decimal("10123600")``. Raises
    ``UnitError`` when the units count different things.
    """
    source, target = unit(from_unit), unit(to_unit)
    if source.base != target.base:
        raise UnitError(f"cannot convert {from_unit} to {to_unit}")
    if source.factor == target.factor:
        return value
    return without_trailing_zeros(divide(value * source.factor, target.factor))


def convert_for_target(value: Decimal, from_unit: str, to_unit: str) -> Decimal | None:
    """``value`` in the unit of a target, or ``None`` when they cannot be compared.

    Like ``convert``, but a target in 个/万个 also accepts any count (件, 次, 条 …)."""
    try:
        source, target = unit(from_unit), unit(to_unit)
    except UnitError:
        return None
    if source.base == target.base:
        return convert(value, from_unit, to_unit)
    if target.base == GENERIC_COUNT_BASE and source.base in COUNT_BASES:
        return without_trailing_zeros(divide(value * source.factor, target.factor))
    return None


def decimals_allowed(symbol: str) -> int:
    """How many decimals a value in ``symbol`` may have so that its base value is exact:
    0 for 次, 4 for 万次 (1 次), 2 for 元, 6 for 万元 (1 分)."""
    u = unit(symbol)
    base_places = 0 if u.integral else MAX_DECIMALS.get(u.base, 2)
    return base_places + (4 if u.factor == _TEN_THOUSAND else 0)
