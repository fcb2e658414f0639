"""The several-year read of actual values (reviews, histories, dashboards) agrees with the
year table that the operations pages show, figure by figure, and reads the catalogue as
plain rows that describe it exactly as the model instances do; the half-year actuals of
运行监控 come from the months January to June."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgets.models import Organisation
from operations.selectors import (
    HALF_YEAR,
    actual_values,
    actual_values_by_year,
    catalogue_specs,
    half_year_actual_values,
    metrics_for,
    spec_of,
    year_table,
)
from operations.services import operating_data_import
from tests.integration.operations.files import row, xlsx

pytestmark = pytest.mark.django_db


def test_catalogue_specs_describe_the_catalogue_as_the_models_do(
    tianjin: Organisation,
) -> None:
    from_models = {m.code: spec_of(m) for m in metrics_for(organisation=tianjin)}
    from_rows = catalogue_specs(organisation=tianjin)
    assert {s.code: s for s in from_rows} == from_models
    assert len(from_rows) == len(from_models) > 40
    leased = next(s for s in from_rows if s.code == "lines-leased")
    assert leased.parts == ("dedicated-lines-leased", "trunk-lines-leased")
    rate = next(s for s in from_rows if s.numerator == "lines-opened")
    assert rate.denominator == "lines-leased" and rate.parts == ()


def test_every_year_agrees_with_the_year_table(tianjin: Organisation) -> None:
    by_year = actual_values_by_year(organisation=tianjin, years=range(2016, 2021))
    assert sorted(by_year) == [2018, 2019, 2020]  # the years with uploaded data
    for year, actuals in by_year.items():
        table = {
            row.metric.code: row.year_value
            for row in year_table(organisation=tianjin, year=year)
            if row.year_value is not None
        }
        assert table.keys() <= actuals.keys()
        for code, figure in table.items():
            assert actuals[code].value == figure.value, (year, code)
            assert actuals[code].unit == figure.unit, (year, code)
            assert actuals[code].months == figure.months, (year, code)
            assert all(label in actuals[code].source for label in figure.sources)


def test_the_figures_seed_001_cites(tianjin: Organisation) -> None:
    by_year = actual_values_by_year(organisation=tianjin, years=[2018, 2019, 2020])
    staff = [by_year[y]["staff-monthly-average"].value for y in (2018, 2019, 2020)]
    assert staff == [Decimal("621"), Decimal("777"), Decimal("909")]
    assert by_year[2019]["cases-accepted"].value == Decimal("751.92")


def test_several_years_cost_four_queries(
    tianjin: Organisation, django_assert_num_queries: object
) -> None:
    with django_assert_num_queries(4):  # type: ignore[operator]
        by_year = actual_values_by_year(organisation=tianjin, years=range(2010, 2021))
    assert len(by_year) == 3


def test_an_organisation_without_data_costs_one_query(
    django_assert_num_queries: object,
) -> None:
    empty = Organisation.objects.create(
        code="no-data", name="无数据中心", kind=Organisation.Kind.UNIT
    )
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert actual_values_by_year(organisation=empty, years=[2020]) == {}


def test_half_year_actuals_come_from_january_to_june_only(
    tianjin: Organisation,
) -> None:
    rows = [row("呼入量", f"2021-{m:02d}", 1000) for m in range(1, 8)]
    rows += [row("接听量", f"2021-{m:02d}", 900 + 10 * m) for m in range(1, 8)]
    rows += [row("呼入量", 2021, 99999), row("接听量", 2021, 88888)]  # the whole year
    rows += [row("月均人数", f"2021-{m:02d}", 600 + m) for m in range(1, 7)]
    rows += [row("年末人数", f"2021-{m:02d}", 610 + m) for m in (1, 2, 6)]
    assert operating_data_import(
        organisation=tianjin, name="月报.xlsx", content=xlsx(rows)
    ).committed
    half = half_year_actual_values(organisation=tianjin, year=2021)
    offered, answered = half["calls-offered"], half["call-answer-rate"]
    assert (offered.value, offered.months) == (Decimal("6000"), HALF_YEAR)
    assert offered.source.startswith("由 1–6月 月度数据汇总；运行数据上传“月报.xlsx”")
    # 910 + 920 + … + 960 = 5610 of 6000 calls: the rate of the six months' counts
    assert (answered.numerator, answered.denominator) == (
        Decimal("5610"),
        Decimal("6000"),
    )
    assert answered.value == Decimal("93.50")
    assert half["staff-monthly-average"].value == Decimal("603.50")  # their mean
    # a year-end headcount entered for three months only covers no half-year
    assert "staff-year-end" not in half
    # the full year keeps its own rows
    assert actual_values(organisation=tianjin, year=2021)["calls-offered"].value == (
        Decimal("99999")
    )


def test_no_half_year_actual_from_five_months(tianjin: Organisation) -> None:
    rows = [row("呼入量", f"2021-{m:02d}", 1000) for m in range(1, 6)]
    assert operating_data_import(
        organisation=tianjin, name="1-5月.xlsx", content=xlsx(rows)
    ).committed
    assert half_year_actual_values(organisation=tianjin, year=2021) == {}
