"""Rates that keep their numerator and denominator.

The percentage is derived, never stored, and rounded by the project's one rounding rule:
half-up to two places, in ``kernel.rounding`` (pure Python, so budgets, targets and the
scoring engine all round the same way).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kernel.rounding import percent


@dataclass(frozen=True, slots=True)
class Rate:
    """A rate such as 执行率 or 接通率: numerator over denominator."""

    numerator: Decimal
    denominator: Decimal

    @property
    def percent(self) -> Decimal | None:
        """Percentage points, two places half-up; ``None`` when the denominator is zero."""
        if self.denominator == 0:
            return None
        return percent(self.numerator, self.denominator)

    def __str__(self) -> str:
        value = self.percent
        return "—" if value is None else f"{value}%"
