"""The forms of the 运行监控 report pages: start a report, fill it in, return it, accept
it. The report form has one set of fields per line; only the fields the request carries
are changed (``changes``), so a missing field never resets a stored one."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.concurrency import version_field
from core.forms import Form
from targets.models import DeviationCause, Likelihood, MonitoringLine, MonitoringReport
from targets.monitoring_services import (
    BUDGET_FIELDS,
    INDICATOR_FIELDS,
    MONTHS,
    LineChange,
)

BLANK = [("", "—")]


class MonitoringStartForm(Form):
    months = forms.TypedChoiceField(
        label=gettext_lazy("period"), coerce=int, initial=6, choices=[]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        months = self.fields["months"]
        assert isinstance(months, forms.TypedChoiceField)
        months.choices = [(m, period_label(m)) for m in MONTHS]


def period_label(months: int) -> str:
    """ "January to June" as the page names a report's period (1–6月)."""
    return _("January to month %(m)s") % {"m": months}


def _field(name: str) -> forms.Field:
    match name:
        case "likelihood":
            return forms.ChoiceField(
                label=gettext_lazy("likelihood of meeting the target"),
                choices=BLANK + list(Likelihood.choices),
                required=False,
            )
        case "cause":
            return forms.ChoiceField(
                label=gettext_lazy("cause of the deviation"),
                choices=BLANK + list(DeviationCause.choices),
                required=False,
            )
        case "cause_text":
            return forms.CharField(
                label=gettext_lazy("cause explained"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        case "measures":
            return forms.CharField(
                label=gettext_lazy("corrective measures"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        case "to_date":
            return forms.CharField(
                label=gettext_lazy("completed to date"), required=False, max_length=200
            )
        case _:
            return forms.CharField(
                label=gettext_lazy("expected full-year completion"),
                required=False,
                max_length=200,
            )


LINE_FIELD_ORDER = (
    "to_date",
    "expected",
    "likelihood",
    "cause",
    "cause_text",
    "measures",
)


class MonitoringReportForm(Form):
    """Every line's fields, named ``l<pk>-<field>``; a project's ``spent_to_date``."""

    version = version_field()

    def __init__(
        self,
        *args: Any,
        report: MonitoringReport,
        lines: Sequence[MonitoringLine],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        self.lines = list(lines)
        if report.form.project_id is not None:
            self.fields["spent_to_date"] = forms.DecimalField(
                label=gettext_lazy("execution to date"),
                required=False,
                min_value=Decimal(0),
                max_digits=16,
                decimal_places=2,
            )
            self.initial.setdefault("spent_to_date", report.spent_to_date)
        self.initial.setdefault("version", report.version)
        for line in self.lines:
            allowed = (
                BUDGET_FIELDS
                if line.kind == MonitoringLine.Kind.BUDGET
                else INDICATOR_FIELDS
            )
            for name in LINE_FIELD_ORDER:
                if name in allowed:
                    key = self.key(line, name)
                    self.fields[key] = _field(name)
                    self.initial.setdefault(key, getattr(line, name))

    @staticmethod
    def key(line: MonitoringLine, name: str) -> str:
        return f"l{line.pk}-{name}"

    def line_fields(self, line: MonitoringLine) -> dict[str, forms.BoundField]:
        return {
            name: self[self.key(line, name)]
            for name in LINE_FIELD_ORDER
            if self.key(line, name) in self.fields
        }

    def changes(self) -> list[LineChange]:
        """The fields the request carried, line by line."""
        found = []
        for line in self.lines:
            given = {
                name: self.cleaned_data[self.key(line, name)] or ""
                for name in LINE_FIELD_ORDER
                if self.key(line, name) in self.fields
                and self.key(line, name) in self.data
            }
            if given:
                found.append(LineChange(line, given))
        return found

    @property
    def spent_given(self) -> bool:
        return "spent_to_date" in self.fields and "spent_to_date" in self.data


class MonitoringReturnForm(Form):
    comment = forms.CharField(
        label=gettext_lazy("what to change"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MonitoringAcceptForm(Form):
    """Accepting takes no input but the button (the CSRF token guards it)."""
