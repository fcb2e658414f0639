"""Forms of the target pages: they validate and normalise; services write.

Every choice of an object (project, parent indicator, library indicator) is limited to what
the view passes in, which the view reached through ``accounts.scoping``: a form field can
never point at another unit's object.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.models import Project
from core.concurrency import version_field
from core.forms import DecisionForm, Form
from kernel.indicator_values import ParsedValue, parse_indicator_value
from kernel.units import convert_for_target
from targets.models import (
    ALLOWED_PARENTS,
    FormLayout,
    IndicatorLevel,
    LibraryIndicator,
    TargetForm,
    TargetIndicator,
)


class TargetFormCreateForm(Form):
    project = forms.ModelChoiceField(
        label=gettext_lazy("project"),
        queryset=Project.objects.none(),
        empty_label=gettext_lazy("— choose —"),
    )
    year = forms.IntegerField(
        label=gettext_lazy("year"), min_value=2000, max_value=2100
    )
    layout = forms.ChoiceField(
        label=gettext_lazy("layout"),
        choices=[
            (FormLayout.PROJECT.value, FormLayout.PROJECT.label),
            (FormLayout.APPLICATION.value, FormLayout.APPLICATION.label),
        ],
    )
    has_half_year = forms.BooleanField(
        label=gettext_lazy("has half-year values"), required=False
    )
    funds_total = forms.DecimalField(
        label=gettext_lazy("project funds (10,000 yuan)"),
        max_digits=16,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
    )
    funds_fiscal = forms.DecimalField(
        label=gettext_lazy("of which fiscal appropriation"),
        max_digits=16,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
    )
    overall_goal = forms.CharField(
        label=gettext_lazy("overall goal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    CHOICES_SHOWN = 200
    """Up to this many projects are offered in a list; beyond (an administrator sees every
    project) the project is named by its code, so the page never loads them all."""

    def __init__(self, *args: Any, projects: QuerySet[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = projects.order_by("name")
        if projects[: self.CHOICES_SHOWN + 1].count() > self.CHOICES_SHOWN:
            field.to_field_name = "code"
            field.widget = forms.TextInput(
                attrs={"placeholder": _("project code"), "autocomplete": "off"}
            )
            field.help_text = _("Type the project's code: there are too many to list.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        project, year = data.get("project"), data.get("year")
        if (
            project
            and year
            and TargetForm.objects.filter(project=project, year=year).exists()
        ):
            self.add_error(
                "year", _("This project already has a target form for that year.")
            )
        return data


class CarryForwardForm(Form):
    """从上年复制: the new year's funds and overall goal (last year's offered); the rest of
    the header and every indicator come from last year's approved form."""

    funds_total = TargetFormCreateForm.base_fields["funds_total"]
    funds_fiscal = TargetFormCreateForm.base_fields["funds_fiscal"]
    overall_goal = TargetFormCreateForm.base_fields["overall_goal"]

    def __init__(self, *args: Any, source: TargetForm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year = self.source.year + 1
        subject = (
            {"project": self.source.project}
            if self.source.project is not None
            else {"organisation": self.source.organisation}
        )
        if TargetForm.objects.filter(year=year, **subject).exists():
            raise forms.ValidationError(
                _("There is a %(year)s target form already: open it from the list.")
                % {"year": year}
            )
        return data


def _check_unit(value: ParsedValue, library: LibraryIndicator | None) -> str | None:
    """An error when the value's unit cannot measure the library indicator."""
    if library is None or not library.unit or value.number is None:
        return None
    if value.unit == library.unit or not value.unit:
        return None
    if convert_for_target(Decimal(1), value.unit, library.unit) is not None:
        return None
    return _(
        "“%(name)s” is measured in %(expected)s, but the value is in %(unit)s."
    ) % {"name": library.name, "expected": library.unit, "unit": value.unit}


class IndicatorFields(Form):
    """Name, library entry and 指标值 of an indicator, as added or edited."""

    name = forms.CharField(label=gettext_lazy("name"), required=False, max_length=500)
    library_indicator = forms.ModelChoiceField(
        label=gettext_lazy("library indicator"),
        queryset=LibraryIndicator.objects.select_related("category").order_by(
            "category__parent__position", "category__position", "code"
        ),
        required=False,
    )
    value = forms.CharField(
        label=gettext_lazy("target value"), required=False, max_length=500
    )
    half_year_value = forms.CharField(
        label=gettext_lazy("half-year target value"), required=False, max_length=500
    )

    def __init__(
        self, *args: Any, target_form: TargetForm, level: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.target_form = target_form
        self.fixed_level = level

    def clean_name(self) -> str:
        return " ".join(str(self.cleaned_data.get("name") or "").split())

    def clean_value(self) -> str:
        return str(self.cleaned_data.get("value") or "").strip()

    def clean_half_year_value(self) -> str:
        text = str(self.cleaned_data.get("half_year_value") or "").strip()
        if text and not self.target_form.has_half_year:
            raise forms.ValidationError(_("This form has no half-year values."))
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        library: LibraryIndicator | None = data.get("library_indicator")
        if not data.get("name") and library is not None:
            data["name"] = library.name
        if not data.get("name"):
            self.add_error(
                "name", _("Enter the indicator's name or pick one from the library.")
            )
        level = self.fixed_level or data.get("level", "")
        if level == IndicatorLevel.LEVEL3:
            if not data.get("value"):
                self.add_error("value", _("Enter the target value, e.g. ≥95%."))
            for field in ("value", "half_year_value"):
                error = _check_unit(
                    parse_indicator_value(data.get(field) or ""), library
                )
                if error:
                    self.add_error(field, error)
        elif data.get("value") or data.get("half_year_value"):
            self.add_error("value", _("Only level-3 indicators carry target values."))
        return data


class IndicatorEditForm(IndicatorFields):
    """A grid row's save: its fields and the version of the row the grid was drawn from."""

    version = version_field()

    def typed(self) -> dict[str, str]:
        """What the user typed, to draw the row again with it after an error."""
        return {
            name: str(self.data.get(name, ""))
            for name in ("name", "value", "half_year_value")
        }


class IndicatorAddForm(IndicatorFields):
    parent = forms.ModelChoiceField(
        label=gettext_lazy("under"),
        queryset=TargetIndicator.objects.none(),
        required=False,
    )
    level = forms.ChoiceField(
        label=gettext_lazy("level"), choices=IndicatorLevel.choices
    )

    def __init__(self, *args: Any, target_form: TargetForm, **kwargs: Any) -> None:
        super().__init__(*args, target_form=target_form, **kwargs)
        field = self.fields["parent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = target_form.indicators.exclude(level=IndicatorLevel.LEVEL3)
        layout_levels = ALLOWED_PARENTS[target_form.layout]
        level_field = self.fields["level"]
        assert isinstance(level_field, forms.ChoiceField)
        level_field.choices = [
            (value, label)
            for value, label in IndicatorLevel.choices
            if value in layout_levels
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        parent: TargetIndicator | None = data.get("parent")
        level = data.get("level")
        if level:
            allowed = ALLOWED_PARENTS[self.target_form.layout].get(level, frozenset())
            parent_level = parent.level if parent is not None else None
            if parent_level not in allowed:
                self.add_error(
                    "parent",
                    _("A level-1 indicator has no parent.")
                    if level == IndicatorLevel.LEVEL1
                    else _("Choose where this indicator belongs."),
                )
        return data


class ReturnForm(Form):
    """Return a submitted form: a comment on the whole form and on any indicator."""

    comment = forms.CharField(
        label=gettext_lazy("comment on the whole form"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(
        self, *args: Any, leaves: list[TargetIndicator], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.leaves = leaves
        for leaf in leaves:
            self.fields[f"comment_{leaf.pk}"] = forms.CharField(
                label=leaf.name, required=False, max_length=2000
            )

    def indicator_comments(self) -> list[tuple[TargetIndicator | None, str]]:
        found: list[tuple[TargetIndicator | None, str]] = []
        general = str(self.cleaned_data.get("comment") or "").strip()
        if general:
            found.append((None, general))
        for leaf in self.leaves:
            text = str(self.cleaned_data.get(f"comment_{leaf.pk}") or "").strip()
            if text:
                found.append((leaf, text))
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.indicator_comments():
            raise forms.ValidationError(
                _("Write at least one comment saying what to change.")
            )
        return data


class ApproveForm(Form):
    """Approve a submitted form: the reviewer confirms having read the flags and the
    changes, for the submission the page showed (``round``: a form returned and
    resubmitted since is not approved unseen)."""

    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I have read the reasonableness flags and the changes; approve and lock "
            "the form"
        ),
        error_messages={
            "required": gettext_lazy(
                "Tick the confirmation to approve: approval locks the form's values."
            )
        },
    )
    round = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, target_form: TargetForm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target_form = target_form

    def clean_round(self) -> int:
        seen = int(self.cleaned_data["round"])
        if seen != self.target_form.submissions:
            raise forms.ValidationError(
                _(
                    "The form has been resubmitted since this page was opened: "
                    "read the new submission, then approve."
                )
            )
        return seen


class AdjustmentForm(Form):
    indicator = forms.ModelChoiceField(
        label=gettext_lazy("indicator"),
        queryset=TargetIndicator.objects.none(),
        empty_label=gettext_lazy("— choose —"),
    )
    value = forms.CharField(label=gettext_lazy("new target value"), max_length=500)
    half_year_value = forms.CharField(
        label=gettext_lazy("new half-year value"), required=False, max_length=500
    )
    reason = forms.CharField(
        label=gettext_lazy("reason for the adjustment"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, target_form: TargetForm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target_form = target_form
        field = self.fields["indicator"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = target_form.indicators.filter(level=IndicatorLevel.LEVEL3)
        if not target_form.has_half_year:
            # a form without half-year values is not offered one to adjust
            del self.fields["half_year_value"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.target_form.has_half_year:
            if str(self.data.get("half_year_value", "")).strip():
                raise forms.ValidationError(_("This form has no half-year values."))
            data["half_year_value"] = ""
        return data


class ActualForm(Form):
    half_year_actual = forms.CharField(
        label=gettext_lazy("half-year actual"), required=False, max_length=200
    )
    actual = forms.CharField(
        label=gettext_lazy("full-year actual"), required=False, max_length=200
    )


class CommentForm(Form):
    text = forms.CharField(
        label=gettext_lazy("comment"), widget=forms.Textarea(attrs={"rows": 2})
    )


class AdjustmentDecisionForm(DecisionForm):
    """Approve or reject a 目标调整, with an optional comment."""

    comment = forms.CharField(label=gettext_lazy("comment"), required=False)


class MoveForm(Form):
    """Move an indicator one place up or down among its siblings."""

    direction = forms.ChoiceField(
        choices=[("up", gettext_lazy("Move up")), ("down", gettext_lazy("Move down"))]
    )

    @property
    def offset(self) -> int:
        return -1 if self.cleaned_data["direction"] == "up" else 1
