"""Actual values taken from the operating data instead of retyped."""

from __future__ import annotations

from django.db import transaction

from evaluations.engine import plain_number
from evaluations.models import Evaluation
from evaluations.services.guards import check_unlocked
from operations.selectors import actual_values
from targets.selectors import library_index


@transaction.atomic
def evaluation_actuals_from_operating_data(*, evaluation: Evaluation) -> list[str]:
    """Take each 三级 indicator's actual value from the operating data the hotline centre
    uploaded for the evaluated year, instead of retyping it; returns the names updated.

    An indicator is matched through the indicator library (its own link, else its name).
    The number, unit and — for rates — numerator and denominator come from the upload, and
    the source names the upload. The printed text is kept when it states the same number.
    """
    check_unlocked(evaluation)
    if evaluation.project is None:
        return []
    figures = actual_values(organisation=evaluation.project.unit, year=evaluation.year)
    if not figures:
        return []
    library = library_index()
    updated = []
    for indicator in evaluation.indicators.filter(children__isnull=True):
        library_indicator = indicator.library_indicator or library.match(indicator.name)
        if library_indicator is None or library_indicator.code not in figures:
            continue
        figure = figures[library_indicator.code]
        if plain_number(indicator.actual_number) != plain_number(figure.value):
            indicator.actual_text = figure.display
        indicator.library_indicator = library_indicator
        indicator.actual_number = figure.value
        indicator.actual_unit = figure.unit
        indicator.actual_numerator = figure.numerator
        indicator.actual_denominator = figure.denominator
        indicator.actual_source = figure.source[:300]
        indicator.full_clean()
        indicator.save()
        updated.append(indicator.name)
    return updated
