"""The KPI expressions (records.kpis) and the catalogue (operations.catalogue) say the same."""

from __future__ import annotations

import pytest

from operations.catalogue import BY_CODE, FROM_RECORDS, Kind
from records.kpis import KPIS, MEASURE_BY_KEY


def test_every_kpi_is_a_catalogue_metric_documented_there_and_back() -> None:
    assert sorted(k.metric for k in KPIS) == sorted(FROM_RECORDS)
    assert all(k.metric in BY_CODE for k in KPIS)


@pytest.mark.parametrize("kpi", [k for k in KPIS if k.denominator and not k.per])
def test_a_rate_has_the_catalogue_numerator_and_denominator(kpi: object) -> None:
    spec = BY_CODE[kpi.metric]  # type: ignore[attr-defined]
    assert spec.kind is Kind.RATE
    assert (kpi.numerator, kpi.denominator) == (spec.numerator, spec.denominator)  # type: ignore[attr-defined]


@pytest.mark.parametrize("kpi", [k for k in KPIS if not k.denominator])
def test_a_count_is_the_measure_of_its_own_name_and_text(kpi: object) -> None:
    code = kpi.metric  # type: ignore[attr-defined]
    assert kpi.numerator == code  # type: ignore[attr-defined]
    assert BY_CODE[code].kind is Kind.COUNT
    assert MEASURE_BY_KEY[code].description == FROM_RECORDS[code]
