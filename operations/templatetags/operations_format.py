"""Display filters of the operating-data pages (formatting only, no domain logic)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext

from kernel.decimals import as_written

register = template.Library()


@register.filter
def plain(value: object) -> str:
    """A Decimal as written, without the trailing zeros of its column: 1012.360000 → 1012.36;
    rates keep their two places (96.10 stays 96.10 when passed as such)."""
    if value is None or value == "":
        return ""
    if not isinstance(value, Decimal):
        return str(value)
    return as_written(value)


@register.filter
def figure(value: object) -> str:
    """A figure with its unit: "96.12%", "1012.36 万次"."""
    number = getattr(value, "value", None)
    unit = getattr(value, "unit", "")
    if number is None:
        return ""
    text = format(number, "f") if unit == "%" else plain(number)
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


@register.filter
def period_label(month: int | None) -> str:
    if month is None:
        return gettext("Whole year")
    return gettext("%(month)s (month)") % {"month": month}
