"""The rectification pages' forms: they validate and normalise, the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.models import Organisation
from core.concurrency import version_field
from core.forms import Form
from evaluations.views.evidence import EvidenceForm
from rectifications.models import RectificationItem, RectificationStatus


class ItemCreateForm(Form):
    """A finding becomes an item: who is responsible, the measures, the deadline."""

    responsible = forms.ModelChoiceField(
        label=gettext_lazy("responsible organisation"),
        queryset=Organisation.objects.none(),
    )
    measures = forms.CharField(
        label=gettext_lazy("rectification measures"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    deadline = forms.DateField(
        label=gettext_lazy("deadline"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["responsible"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations

    def clean_deadline(self) -> Any:
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise ValidationError(
                _(
                    "The deadline %(deadline)s is in the past: choose today or a "
                    "later day."
                )
                % {"deadline": deadline.isoformat()}
            )
        return deadline


class ItemReportForm(Form):
    """The responsible organisation's report: status (with its reason), measures, what
    was done. Every field is sent by the page; a field left out changes nothing."""

    version = version_field()
    status = forms.ChoiceField(
        label=gettext_lazy("status"), choices=RectificationStatus.choices
    )
    status_reason = forms.CharField(
        label=gettext_lazy("why it cannot be rectified"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )
    measures = forms.CharField(
        label=gettext_lazy("rectification measures"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    progress = forms.CharField(
        label=gettext_lazy("what was done"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )

    @classmethod
    def for_item(cls, item: RectificationItem) -> ItemReportForm:
        return cls(
            initial={
                "version": item.version,
                "status": item.status,
                "status_reason": item.status_reason,
                "measures": item.measures,
                "progress": item.progress,
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("status") == RectificationStatus.IMPOSSIBLE
            and not (data.get("status_reason") or "").strip()
        ):
            self.add_error(
                "status_reason",
                _("Say why the item cannot be rectified: it needs its reason."),
            )
        return data

    def given(self) -> dict[str, Any]:
        """The fields the request carried (an absent one is not a blank one)."""
        return {
            name: self.cleaned_data[name]
            for name in ("status", "status_reason", "measures", "progress")
            if name in self.data
        }


class ItemEvidenceForm(EvidenceForm):
    """The evidence form of the evaluations (same types and size limit)."""


class VerifyForm(Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("decision"),
        choices=[
            ("accept", gettext_lazy("Verify (close the item)")),
            ("return", gettext_lazy("Send back for more work")),
        ],
        # a radio is not a text box: no .stacked min-width
        widget=forms.RadioSelect(attrs={"style": "min-width: 0"}),
    )
    note = forms.CharField(
        label=gettext_lazy("verification note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the item is sent back for more work."))
        return data
