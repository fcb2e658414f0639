"""Writes to target forms and the indicator library. Each write is validated
(``full_clean()``) before it is saved, so bad input raises ``ValidationError`` and changes
nothing."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction

from budgets.models import AmountUnit, Organisation, Project
from targets.models import (
    IndicatorCategory,
    LibraryIndicator,
    TargetForm,
    TargetIndicator,
)


def target_form_create(
    *,
    code: str,
    layout: str,
    year: int,
    project: Project | None = None,
    organisation: Organisation | None = None,
    title: str = "",
    has_half_year: bool = False,
    funds_unit: str = AmountUnit.WAN_YUAN,
    funds_total: Decimal | None = None,
    funds_fiscal: Decimal | None = None,
    funds_other: Decimal | None = None,
    overall_goal: str = "",
    annual_goal: str = "",
    long_term_goal: str = "",
    main_functions: str = "",
    staffing: str = "",
    source_notes: str = "",
) -> TargetForm:
    """Create an empty target form; indicators are added with ``target_indicator_add``."""
    form = TargetForm(
        code=code,
        layout=layout,
        year=year,
        project=project,
        organisation=organisation,
        title=title,
        has_half_year=has_half_year,
        funds_unit=funds_unit,
        funds_total=funds_total,
        funds_fiscal=funds_fiscal,
        funds_other=funds_other,
        overall_goal=overall_goal,
        annual_goal=annual_goal,
        long_term_goal=long_term_goal,
        main_functions=main_functions,
        staffing=staffing,
        source_notes=source_notes,
    )
    form.full_clean()
    form.save()
    return form


def target_indicator_add(
    *,
    form: TargetForm,
    level: str,
    name: str,
    parent: TargetIndicator | None = None,
    value: str = "",
    half_year_value: str = "",
    source_text: str = "",
    library_indicator: LibraryIndicator | None = None,
    position: int | None = None,
) -> TargetIndicator:
    """Add an indicator to ``form`` under ``parent``; the 指标值 texts are kept exactly and
    parsed into comparator, number and unit. Appended last unless ``position`` is given."""
    if position is None:
        last = (
            form.indicators.order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        position = (last or 0) + 1
    indicator = TargetIndicator(
        form=form,
        parent=parent,
        level=level,
        name=name,
        source_text=source_text,
        library_indicator=library_indicator,
        position=position,
    )
    indicator.set_values(full_year=value, half_year=half_year_value)
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def indicator_category_create_tree(
    *, layout: str, level1: str, level2: Sequence[str], position: int
) -> IndicatorCategory:
    """Create an official 一级 category with its 二级 categories, in order."""
    root = IndicatorCategory(layout=layout, name=level1, position=position)
    root.full_clean()
    root.save()
    for child_position, name in enumerate(level2, start=1):
        child = IndicatorCategory(
            layout=layout, parent=root, name=name, position=child_position
        )
        child.full_clean()
        child.save()
    return root


def library_indicator_create(
    *,
    code: str,
    name: str,
    direction: str,
    aliases: Sequence[str] = (),
    level2_aliases: Sequence[str] = (),
    category: IndicatorCategory | None = None,
    unit: str = "",
    comparator: str = "",
    numerator: str = "",
    denominator: str = "",
    definition: str = "",
    standard_text: str = "",
    standard_comparator: str = "",
    standard_value: Decimal | None = None,
    recommended_for_hotline: bool = False,
) -> LibraryIndicator:
    indicator = LibraryIndicator(
        code=code,
        name=name,
        aliases=list(aliases),
        level2_aliases=list(level2_aliases),
        direction=direction,
        category=category,
        unit=unit,
        comparator=comparator,
        numerator=numerator,
        denominator=denominator,
        definition=definition,
        standard_text=standard_text,
        standard_comparator=standard_comparator,
        standard_value=standard_value,
        recommended_for_hotline=recommended_for_hotline,
    )
    indicator.full_clean()
    indicator.save()
    return indicator
