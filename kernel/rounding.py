"""The scoring engine's one rounding rule, and where it is applied.

Rule: half-up (四舍五入, ``ROUND_HALF_UP``) to two decimal places, the way every
figure in the evaluation reports is printed. ``quantize`` and ``percent`` are the
only functions in the engine that round.

Where rounding happens:

- **Leaf scores** are rounded to 2 places once, when the rule computes them
  (``leaves.score_leaf``). An evaluator's score is rounded the same way.
- **Node scores** (一级/二级 indicators) are the *exact* sum of their children's
  already-rounded scores, never rounded again, so a total always equals the sum of
  its leaves (Tianjin: 15 + 19.50 + 38 + 19.87 = 92.37).
- **The total** is that same exact sum; only when some leaves are not applicable is
  it re-scaled (``score / applicable weight × 100``) and then rounded once.
- **Rates** (得分率, 执行率, 接通率 …) are derived from their stored numerator and
  denominator and rounded only when produced for display (``percent``), never fed
  back into a score.
- **Derived hotline figures** (``metrics``) are rounded to 2 places as printed, and
  comparisons between them are computed from the printed figures (see
  ``metrics``).

Intermediate arithmetic runs in ``ARITHMETIC_CONTEXT``: 50 significant digits,
truncating beyond them. Truncating (rather than rounding) the far digits keeps the
final half-up rounding exact: ``x.xx4999…`` can never be turned into ``x.xx5`` and
then rounded up. The engine therefore gives the same answer whatever decimal context
the calling thread has set.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal, localcontext

__all__ = [
    "ARITHMETIC_CONTEXT",
    "HUNDRED",
    "ZERO",
    "divide",
    "percent",
    "quantize",
]

ARITHMETIC_CONTEXT = Context(prec=50, rounding=ROUND_DOWN)
"""Context for intermediate results: exact for any realistic score or amount."""

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def quantize(value: Decimal, places: int = 2) -> Decimal:
    """Round ``value`` half-up to ``places`` decimal places.

    ``quantize(Decimal("19.972")) == Decimal("19.97")``;
    ``quantize(Decimal("5855.215")) == Decimal("5855.22")``. A negative zero is
    returned as ``0.00`` so that it never prints as ``-0.00``.
    """
    if places < 0:
        raise ValueError("places must not be negative")
    result = value.quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=ARITHMETIC_CONTEXT
    )
    return result.copy_abs() if result.is_zero() else result


def divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    """``numerator / denominator`` in ``ARITHMETIC_CONTEXT``, unrounded.

    Raises ``ZeroDivisionError`` when the denominator is zero.
    """
    if denominator.is_zero():
        raise ZeroDivisionError("denominator is zero")
    with localcontext(ARITHMETIC_CONTEXT):
        return numerator / denominator


def percent(numerator: Decimal, denominator: Decimal, places: int = 2) -> Decimal:
    """``numerator / denominator`` in percentage points, rounded half-up.

    ``percent(Decimal("1012.36"), Decimal("1053.2")) == Decimal("96.12")``
    (Tianjin 接听率 96.12%). ``0 / 9`` gives ``0.00``. Raises
    ``ZeroDivisionError`` when the denominator is zero: a rate without a base is
    not 0%, the caller must decide how to show it.
    """
    with localcontext(ARITHMETIC_CONTEXT):
        return quantize(divide(numerator * HUNDRED, denominator), places)
