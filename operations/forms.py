"""Forms of the operating-data pages: they validate and normalise; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.models import Organisation
from core.forms import Form
from kernel.units import UNITS
from operations.catalogue import Aggregation, Kind
from operations.models import AGGREGATION_NAMES, Metric
from operations.reading import size_text
from operations.services import upload_limits


class UploadForm(Form):
    file = forms.FileField(
        label=gettext_lazy("Operating data file"),
        help_text=gettext_lazy(
            "An Excel workbook (.xlsx) or a CSV file, filled in after the downloaded"
            " template"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        limit = upload_limits().max_bytes
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _("The file's size %(size)s exceeds the limit %(limit)s")
                % {"size": size_text(upload.size), "limit": size_text(limit)}
            )
        return upload


class ConfirmForm(Form):
    """确认导入: the mark of the operating values the preview was shown at."""

    seen = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class YearForm(Form):
    year = forms.IntegerField(
        label=gettext_lazy("Year"), min_value=2000, max_value=2100
    )


ENTERED_KIND_CHOICES = [
    (Kind.COUNT.value, gettext_lazy("Count (件, 次, 人…)")),
    (Kind.AMOUNT.value, gettext_lazy("Amount (元, 万元)")),
    (Kind.DURATION.value, gettext_lazy("Duration (seconds)")),
    (Kind.RATE.value, gettext_lazy("Rate (computed from two metrics)")),
]


class CustomMetricForm(Form):
    name = forms.CharField(label=gettext_lazy("Metric name"), max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ENTERED_KIND_CHOICES)
    unit = forms.ChoiceField(
        label=gettext_lazy("Unit"),
        choices=[(u, u) for u in UNITS if u != "%"],
        help_text=gettext_lazy("A rate takes no unit (a percentage)"),
    )
    aggregation = forms.ChoiceField(
        label=gettext_lazy("How months add up to the year when entered monthly"),
        choices=list(AGGREGATION_NAMES.items()),
        initial=Aggregation.SUM.value,
    )
    numerator = forms.ModelChoiceField(
        label=gettext_lazy("Numerator (rate)"),
        queryset=Metric.objects.none(),
        required=False,
        empty_label=gettext_lazy("(not a rate)"),
    )
    denominator = forms.ModelChoiceField(
        label=gettext_lazy("Denominator (rate)"),
        queryset=Metric.objects.none(),
        required=False,
        empty_label=gettext_lazy("(not a rate)"),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = Metric.objects.filter(
            Q(organisation__isnull=True) | Q(organisation=organisation)
        ).order_by("is_custom", "position")
        self.fields["numerator"].queryset = visible  # type: ignore[attr-defined]
        self.fields["denominator"].queryset = visible  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Kind.RATE.value and not (
            data.get("numerator") and data.get("denominator")
        ):
            raise forms.ValidationError(_("A rate needs a numerator and a denominator"))
        return data
