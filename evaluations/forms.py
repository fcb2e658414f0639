"""Forms of the evaluation pages: they validate and normalise; ``evaluations.services``
writes."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.concurrency import version_field
from core.forms import Form


class ScoreForm(Form):
    """One row of the scoring page: the evaluator's score, reason and whether the
    indicator applies, with the version of the row the page was drawn from."""

    final_score = forms.CharField(
        label=gettext_lazy("final score"), required=False, max_length=40
    )
    reason = forms.CharField(label=gettext_lazy("scoring explanation"), required=False)
    applicable = forms.CharField(label=gettext_lazy("applicable"), required=False)
    version = version_field()

    def clean_final_score(self) -> Decimal | None:
        text = self.cleaned_data["final_score"].strip()
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(_("Enter a number, e.g. 8.5.")) from None
        if not value.is_finite():
            raise forms.ValidationError(_("Enter a number, e.g. 8.5."))
        return value

    def clean_applicable(self) -> bool:
        # an unticked box is not sent at all: the page marks that it showed the box, so
        # its absence then means "not applicable"; a request from elsewhere without the
        # box keeps the indicator applicable, as before
        if "applicable_shown" in self.data:
            return "applicable" in self.data
        return bool(self.data.get("applicable", "on") == "on")

    def typed(self) -> dict[str, object]:
        """What the user typed, to draw the row again with it after an error."""
        return {
            "final_score": self.data.get("final_score", ""),
            "reason": self.data.get("reason", ""),
            "applicable": self.clean_applicable(),
        }
