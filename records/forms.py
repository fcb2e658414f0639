"""Forms of the records pages: they validate and normalise; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import Form
from kernel.spreadsheets import size_text
from records.columns import FIELDS, RecordKind
from records.ingest import RecordLimits


def limits() -> RecordLimits:
    options = dict(getattr(settings, "RECORDS_LIMITS", {}) or {})
    return RecordLimits(**options)


class RecordsUploadForm(Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of records"),
        choices=[(k.value, k.label) for k in RecordKind],
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"), min_value=2000, max_value=2100
    )
    file = forms.FileField(
        label=gettext_lazy("Records file"),
        help_text=gettext_lazy(
            "CSV (UTF-8 or GBK), Parquet, or a .zip holding one of them, as the hotline"
            " system exports it"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.parquet,.zip,.txt"}),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        limit = limits().max_bytes
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _(
                    "The file's size %(size)s exceeds the browser upload limit %(limit)s:"
                    " larger exports are imported with the import_records command"
                )
                % {"size": size_text(upload.size), "limit": size_text(limit)}
            )
        return upload


class ColumnMappingForm(Form):
    """One text field per field of the contract: the centre's own column header."""

    def __init__(
        self, *args: Any, kind: RecordKind, saved: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        for field in FIELDS[kind]:
            self.fields[field.key] = forms.CharField(
                label=field.header,
                required=False,
                max_length=100,
                initial=saved.get(field.key, ""),
                help_text=field.description,
                widget=forms.TextInput(attrs={"placeholder": field.header}),
            )
