"""Forms of the operating-data pages: they validate and normalise; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q

from budgets.models import Organisation
from core.forms import Form
from kernel.units import UNITS
from operations.catalogue import Aggregation, Kind
from operations.models import Metric
from operations.reading import size_text
from operations.services import upload_limits


class UploadForm(Form):
    file = forms.FileField(
        label="运行数据文件",
        help_text="Excel 工作簿（.xlsx）或 CSV 文件，按下载的模板填写",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        limit = upload_limits().max_bytes
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                f"文件大小 {size_text(upload.size)} 超过上限 {size_text(limit)}"
            )
        return upload


class ConfirmForm(Form):
    """确认导入: the mark of the operating values the preview was shown at."""

    seen = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class YearForm(Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)


ENTERED_KIND_CHOICES = [
    (Kind.COUNT.value, "计数（件、次、人……）"),
    (Kind.AMOUNT.value, "金额（元、万元）"),
    (Kind.DURATION.value, "时长（秒）"),
    (Kind.RATE.value, "比率（由两个指标计算）"),
]


class CustomMetricForm(Form):
    name = forms.CharField(label="指标名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=ENTERED_KIND_CHOICES)
    unit = forms.ChoiceField(
        label="单位",
        choices=[(u, u) for u in UNITS if u != "%"],
        help_text="比率不用选单位（百分比）",
    )
    aggregation = forms.ChoiceField(
        label="按月填报时全年如何汇总",
        choices=[(a.value, a.label) for a in Aggregation],
        initial=Aggregation.SUM.value,
    )
    numerator = forms.ModelChoiceField(
        label="分子（比率）",
        queryset=Metric.objects.none(),
        required=False,
        empty_label="（不是比率）",
    )
    denominator = forms.ModelChoiceField(
        label="分母（比率）",
        queryset=Metric.objects.none(),
        required=False,
        empty_label="（不是比率）",
    )
    description = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
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
            raise forms.ValidationError("比率须选择分子和分母")
        return data
