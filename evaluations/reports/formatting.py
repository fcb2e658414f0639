"""How a report prints its figures: half-up to two places, a whole number bare."""

from __future__ import annotations

from decimal import Decimal

from kernel.decimals import as_written
from kernel.rates import Rate
from kernel.rounding import quantize


def figure(value: Decimal) -> str:
    """A figure as the reports print it: half-up to two places, whole numbers bare.

    ``15 → "15"``, ``19.5 → "19.50"``, ``5855.215 → "5855.22"``, ``-15.03 → "-15.03"``.
    """
    rounded = quantize(value)
    if rounded == rounded.to_integral_value():
        return f"{rounded:.0f}"
    return f"{rounded:.2f}"


def short_figure(value: Decimal) -> str:
    """Half-up to two places without trailing zeros: ``19.50 → "19.5"``, ``1.10 → "1.1"``
    (how a sentence of the seed reports sometimes writes a figure its table prints as
    19.50)."""
    return as_written(quantize(value))


def percent(value: Decimal | None) -> str:
    """A rate in percentage points as printed: ``88.24 → "88.24%"``, ``None → "-"``."""
    return "-" if value is None else f"{figure(value)}%"


def rate(value: Rate | None) -> str:
    return "-" if value is None else percent(value.percent)
