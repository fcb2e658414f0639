"""Formatting filters of the printed documents (formatting only: no queries, no totals)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from kernel.rounding import quantize

register = template.Library()


@register.filter
def amount(value: Decimal | None) -> str:
    """Money as the forms print it: two decimals (half-up), thousands separated.

    ``Decimal("133340000") → "133,340,000.00"``; ``None`` → "" (an empty cell).
    """
    if value is None:
        return ""
    return f"{quantize(value):,.2f}"
