from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.concurrency import version_field
from core.forms import Form
from results_use.models import Decision


class DecisionForm(Form):
    version = version_field()
    decision = forms.ChoiceField(
        label=gettext_lazy("the finance bureau’s decision"),
        choices=Decision.choices,
        # a radio is not a text box: no .stacked min-width
        widget=forms.RadioSelect(attrs={"style": "min-width: 0"}),
    )
    note = forms.CharField(
        label=gettext_lazy("note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("decision")
            and data["decision"] != Decision.FOLLOW
            and not (data.get("note") or "").strip()
        ):
            self.add_error(
                "note",
                _(
                    "Say what was decided instead when the recommendation is not "
                    "followed as it is."
                ),
            )
        return data
