"""Numbers as a reader reads them: thousands separated (``kernel.decimals.grouped``).
Formatting only; form inputs keep the plain number a person types."""

from __future__ import annotations

from decimal import Decimal

from django import template

from kernel.decimals import grouped as _grouped

register = template.Library()


@register.filter
def grouped(value: object) -> str:
    """``11200000.00`` → ``11,200,000.00``; ``None`` → ``""``; text unchanged."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        return str(value)
    return _grouped(Decimal(value))


@register.filter
def grouped_plain(value: object) -> str:
    """As ``grouped``, without the trailing zeros of the column: ``1036.390000`` →
    ``1,036.39``."""
    if isinstance(value, Decimal):
        return _grouped(value, places=False)
    return grouped(value)
