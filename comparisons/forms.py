"""The comparison page's filter: a year and a KPI, from the choices the user has."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from comparisons.selectors import Kpi
from core.forms import Form

DEFAULT_KPI = "answer-rate"


class ComparisonFilterForm(Form):
    year = forms.TypedChoiceField(
        label=_("year"), coerce=int, required=False, empty_value=None
    )
    kpi = forms.ChoiceField(label=_("indicator"), required=False)

    def __init__(
        self, *args: Any, years: Sequence[int], kpis: Sequence[Kpi], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        year_field = self.fields["year"]
        kpi_field = self.fields["kpi"]
        assert isinstance(year_field, forms.TypedChoiceField)
        assert isinstance(kpi_field, forms.ChoiceField)
        year_field.choices = [(y, str(y)) for y in years]
        year_field.error_messages["invalid_choice"] = _(
            "There are no operating data of year “%(value)s” among the centres you "
            "see: the latest year is shown."
        )
        kpi_field.choices = [(k.code, k.name) for k in kpis]
        kpi_field.error_messages["invalid_choice"] = _(
            "“%(value)s” is not an indicator that can be compared: 接通率 is shown."
        )
