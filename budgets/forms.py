"""Budget year forms: they validate and normalise; ``budgets.services`` writes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from budgets.models import BudgetLine, BudgetYear, DepartmentExpenditure
from core.concurrency import version_field
from core.forms import Form


def _figure(field_name: str) -> str:
    """The figure a field of ``BudgetYearForm`` holds: ``line_7_budget`` → ``budget``."""
    return (
        field_name.rsplit("_", 1)[-1] if field_name.startswith("line_") else field_name
    )


def _amount(label: Any, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=16,
        decimal_places=2,
        min_value=Decimal(0),
        required=required,
    )


class BudgetYearForm(Form):
    """年初预算 + 追加 − 调减 = 调整后预算, 到位 and 支出, and each line's figures.

    ``editable`` names the figures the user may change
    (``budgets.scoping.budget_figures_editable``); the others are shown disabled, and a
    request that sends one of them anyway is refused as a whole (``refused``), so a
    figure the user may not set is never silently applied nor silently dropped.
    """

    initial = _amount(gettext_lazy("initial budget"))  # type: ignore[assignment]
    addition = _amount(gettext_lazy("supplementary budget"))
    reduction = _amount(gettext_lazy("budget reduction"))
    received = _amount(gettext_lazy("funds received"), required=False)
    expenditure = _amount(gettext_lazy("expenditure"), required=False)

    def __init__(
        self,
        *args: Any,
        budget_year: BudgetYear,
        lines: list[BudgetLine],
        editable: frozenset[str],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "initial": budget_year.initial,
                "addition": budget_year.addition,
                "reduction": budget_year.reduction,
                "received": budget_year.received,
                "expenditure": budget_year.expenditure,
                **{
                    f"line_{line.pk}_{name}": getattr(line, name)
                    for line in lines
                    for name in ("budget", "received", "expenditure")
                },
            },
        )
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            category = line.get_category_display()
            self.fields[f"line_{line.pk}_budget"] = _amount(
                _("%(category)s: budget") % {"category": category}
            )
            self.fields[f"line_{line.pk}_received"] = _amount(
                _("%(category)s: funds received") % {"category": category},
                required=False,
            )
            self.fields[f"line_{line.pk}_expenditure"] = _amount(
                _("%(category)s: expenditure") % {"category": category},
                required=False,
            )
        self.refused: list[str] = []
        for name, field in self.fields.items():
            if _figure(name) not in editable:
                field.disabled = True
                if name in self.data:
                    self.refused.append(str(field.label))
            elif self.is_bound and name not in self.data:
                field.required = False  # left out: kept as stored (``editable_data``)
        # not a figure: the version of the page the figures were typed on
        self.fields["version"] = version_field()
        self.fields["version"].initial = budget_year.version

    def editable_data(self) -> dict[str, Any]:
        """The cleaned figures the user may change and sent, by field name (a figure
        left out of the request stays as stored, never becomes empty)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if not self.fields[name].disabled
            and name in self.data
            and name != "version"
        }

    def line_rows(self) -> list[tuple[BudgetLine, list[forms.BoundField]]]:
        return [
            (
                line,
                [
                    self[f"line_{line.pk}_{n}"]
                    for n in ("budget", "received", "expenditure")
                ],
            )
            for line in self.lines
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.refused:
            raise ValidationError(
                _(
                    "You may not change these figures: %(fields)s. The budget is set "
                    "by the finance bureau; to change it, request a budget adjustment."
                )
                % {"fields": pgettext("list", ", ").join(self.refused)},
                code="refused",
            )
        initial, addition, reduction = (
            data.get("initial"),
            data.get("addition"),
            data.get("reduction"),
        )
        if (
            initial is not None
            and addition is not None
            and reduction is not None
            and reduction > initial + addition
        ):
            self.add_error(
                "reduction",
                _("The reduction cannot exceed the initial plus supplementary budget."),
            )
        return data


class AdjustmentRequestForm(Form):
    line = forms.ModelChoiceField(
        label=gettext_lazy("economic category"),
        queryset=BudgetLine.objects.none(),
        empty_label=gettext_lazy("— choose —"),
    )
    amount = _amount(gettext_lazy("additional budget"))
    reason = forms.CharField(
        label=gettext_lazy("reason"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, budget_year: BudgetYear, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["line"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = budget_year.lines.all()


class MonthForm(Form):
    """Which month's spending to date a department budget page shows (``?month=``)."""

    month = forms.TypedChoiceField(
        label=gettext_lazy("to the end of month"),
        coerce=int,
        choices=[(m, str(m)) for m in range(1, 13)],
        initial=6,
    )


class DepartmentSpendingForm(Form):
    """执行数 to date of each expenditure line of a department budget, for one month;
    a blank field is a line not reported. Only the lines the request carries change."""

    def __init__(
        self, *args: Any, lines: list[DepartmentExpenditure], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"line_{line.pk}"] = _amount(line.name, required=False)

    def amounts(self) -> dict[int, Decimal | None]:
        return {
            line.pk: self.cleaned_data[f"line_{line.pk}"]
            for line in self.lines
            if f"line_{line.pk}" in self.data
        }
