"""A Decimal as a person writes it: without the trailing zeros of its column, never in
exponent notation.

Stored numbers carry their column's places (``1012.360000``, ``750.0000``); pages, messages,
workbooks and the scoring engine's explanations show them as written (``1012.36``, ``750``).
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["as_written", "grouped", "without_trailing_zeros"]


def without_trailing_zeros(value: Decimal) -> Decimal:
    """``value`` without trailing zeros, and with exponent 0 when it is a whole number.

    ``Decimal("1012.360000") → Decimal("1012.36")``; ``Decimal("1.0E+7") →
    Decimal("10000000")`` (``normalize`` alone would give ``1E+7``); ``Decimal("0.00") →
    Decimal("0")``.
    """
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        return normal.quantize(Decimal(1))
    return normal


def as_written(value: Decimal) -> str:
    """``value`` as text without trailing zeros or exponent: ``Decimal("90.0000") → "90"``,
    ``Decimal("1E+2") → "100"``."""
    return format(without_trailing_zeros(value), "f")


def grouped(value: Decimal, *, places: bool = True) -> str:
    """``value`` with its thousands separated, for reading: ``Decimal("11200000.00") →
    "11,200,000.00"`` (the column's places kept, as money is printed), or with
    ``places=False`` as written: ``Decimal("1036.390000") → "1,036.39"``."""
    return format(value if places else without_trailing_zeros(value), ",f")
