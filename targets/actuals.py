"""Actual values (实际完成值) as the targets' pages cite them, from the app that has them.

Targets sits below operations in the layers (docs/architecture.md), so it never imports it:
the operations app hands its readers in when Django starts (``OperationsConfig.ready`` calls
``provide``), the way ``core.health`` receives the documents' worker figures. Until then —
or in a project without the operations app — there are no actual values to cite, and 运行监控
and the review pages show the targets without them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from budgets.models import Organisation


class Actual(Protocol):
    """One metric's actual value of a period, as targets reads it (``value`` in ``unit``;
    rates keep their numerator and denominator; ``source`` names where it came from)."""

    @property
    def name(self) -> str: ...
    @property
    def value(self) -> Decimal: ...
    @property
    def unit(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def numerator(self) -> Decimal | None: ...
    @property
    def denominator(self) -> Decimal | None: ...
    @property
    def months(self) -> tuple[int, ...]: ...
    @property
    def display(self) -> str: ...
    @property
    def reconstructed(self) -> bool:
        """Not the centre's figure but one read back from a published rate, or computed
        from such figures: printed with its mark wherever it is shown."""
        ...

    @property
    def counts_reconstructed(self) -> bool:
        """The numerator or denominator shown beside the value is reconstructed."""
        ...


Actuals = Mapping[str, Actual]
"""Actual values keyed by metric code and by the library indicator codes they provide."""


@dataclass(frozen=True)
class ActualsSource:
    """The readers an app above targets provides."""

    by_year: Callable[[Organisation, Iterable[int]], Mapping[int, Actuals]]
    """The whole-year actual values of each of the years that has data."""
    half_year: Callable[[Organisation, int], Actuals]
    """The January–June actual values of a year (only figures all six months went into)."""
    metric_codes: Callable[[Organisation | None, Iterable[str]], Mapping[str, str]] = (
        lambda organisation, names: {}
    )
    """The catalogue metric each indicator name is (by the metric's name or alias, the
    way the catalogue writes it), for the names that are one: what measure a target
    counts, so that it is compared with the actual of that measure alone."""
    to_month: Callable[[Organisation, int, int], Actuals] = (
        lambda organisation, year, month: {}
    )
    """The actual values of January to ``month`` of a year (运行监控 reports of 1–N
    months; only figures every one of those months went into)."""


_source: ActualsSource | None = None


def provide(source: ActualsSource) -> None:
    """Install the readers of actual values (called once, from an ``AppConfig.ready``)."""
    global _source
    _source = source


def actual_values_by_year(
    *, organisation: Organisation, years: Iterable[int]
) -> Mapping[int, Actuals]:
    return {} if _source is None else _source.by_year(organisation, years)


def actual_values(*, organisation: Organisation, year: int) -> Actuals:
    return actual_values_by_year(organisation=organisation, years=[year]).get(year, {})


def half_year_actual_values(*, organisation: Organisation, year: int) -> Actuals:
    return {} if _source is None else _source.half_year(organisation, year)


def actual_values_to_month(
    *, organisation: Organisation, year: int, month: int
) -> Actuals:
    """January to ``month`` of ``year`` (``{}`` until an app provides them)."""
    return {} if _source is None else _source.to_month(organisation, year, month)


def metric_codes_for_names(
    *, organisation: Organisation | None, names: Iterable[str]
) -> Mapping[str, str]:
    """The catalogue metric code of each of ``names`` that names one (``{}`` until an
    app provides the catalogue)."""
    return {} if _source is None else _source.metric_codes(organisation, names)
