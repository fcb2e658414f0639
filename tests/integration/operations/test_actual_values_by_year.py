"""The several-year read of actual values (reviews, histories, dashboards) agrees with the
year table that the operations pages show, figure by figure, and reads the catalogue as
plain rows that describe it exactly as the model instances do."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgets.models import Organisation
from operations.selectors import (
    actual_values_by_year,
    catalogue_specs,
    metrics_for,
    spec_of,
    year_table,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre() -> Organisation:
    return Organisation.objects.get(name="天津市便民专线服务中心")


def test_catalogue_specs_describe_the_catalogue_as_the_models_do(
    centre: Organisation,
) -> None:
    from_models = {m.code: spec_of(m) for m in metrics_for(organisation=centre)}
    from_rows = catalogue_specs(organisation=centre)
    assert {s.code: s for s in from_rows} == from_models
    assert len(from_rows) == len(from_models) > 40
    leased = next(s for s in from_rows if s.code == "lines-leased")
    assert leased.parts == ("dedicated-lines-leased", "trunk-lines-leased")
    rate = next(s for s in from_rows if s.numerator == "lines-opened")
    assert rate.denominator == "lines-leased" and rate.parts == ()


def test_every_year_agrees_with_the_year_table(centre: Organisation) -> None:
    by_year = actual_values_by_year(organisation=centre, years=range(2016, 2021))
    assert sorted(by_year) == [2018, 2019, 2020]  # the years with uploaded data
    for year, actuals in by_year.items():
        table = {
            row.metric.code: row.year_value
            for row in year_table(organisation=centre, year=year)
            if row.year_value is not None
        }
        assert table.keys() <= actuals.keys()
        for code, figure in table.items():
            assert actuals[code].value == figure.value, (year, code)
            assert actuals[code].unit == figure.unit, (year, code)
            assert actuals[code].months == figure.months, (year, code)
            assert all(label in actuals[code].source for label in figure.sources)


def test_the_figures_seed_001_cites(centre: Organisation) -> None:
    by_year = actual_values_by_year(organisation=centre, years=[2018, 2019, 2020])
    staff = [by_year[y]["staff-monthly-average"].value for y in (2018, 2019, 2020)]
    assert staff == [Decimal("621"), Decimal("777"), Decimal("909")]
    assert by_year[2019]["cases-accepted"].value == Decimal("751.92")


def test_several_years_cost_four_queries(
    centre: Organisation, django_assert_num_queries: object
) -> None:
    with django_assert_num_queries(4):  # type: ignore[operator]
        by_year = actual_values_by_year(organisation=centre, years=range(2010, 2021))
    assert len(by_year) == 3


def test_an_organisation_without_data_costs_one_query(
    django_assert_num_queries: object,
) -> None:
    empty = Organisation.objects.create(
        code="no-data", name="无数据中心", kind=Organisation.Kind.UNIT
    )
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert actual_values_by_year(organisation=empty, years=[2020]) == {}
