"""Forms of the evaluation pages: they validate and normalise; ``evaluations.services``
writes."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.concurrency import version_field
from core.forms import Form
from evaluations.models import EvaluationIndicator
from evaluations.services import RowEdit, ScoreChange


class ScoreRowForm(Form):
    """One leaf's row of the scoring page, whose one form posts every row: the fields are
    prefixed ``row-<pk>`` (``row_prefix``) and a row takes part only when its version
    field was posted (the page draws one per leaf; the script sends only the rows that
    differ from what is stored). Within a posted row an unticked box means "not
    applicable", as the page always draws it.

    A part of the row (the score: ``final_score``, ``reason``, ``applicable``) goes to
    its service only when it differs from what is stored (``edit``)."""

    final_score = forms.CharField(
        label=gettext_lazy("final score"), required=False, max_length=40
    )
    reason = forms.CharField(label=gettext_lazy("scoring explanation"), required=False)
    applicable = forms.BooleanField(label=gettext_lazy("applicable"), required=False)
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

    def edit(self, indicator: EvaluationIndicator) -> RowEdit | None:
        """What this (valid) row changes on ``indicator``; None when nothing."""
        data = self.cleaned_data
        score = ScoreChange(data["final_score"], data["reason"], data["applicable"])
        if (
            _same(score.final_score, indicator.final_score)
            and score.reason == indicator.reason
            and score.applicable == indicator.applicable
        ):
            return None
        return RowEdit(indicator=indicator, version=data["version"], score=score)


def row_prefix(indicator: EvaluationIndicator) -> str:
    """The prefix of ``indicator``'s fields in the scoring page's form."""
    return f"row-{indicator.pk}"


def _same(typed: Decimal | None, stored: Decimal | None) -> bool:
    if typed is None or stored is None:
        return typed is stored
    return typed == stored  # 8.5 and 8.50 are one score


class SubmitForm(Form):
    """Submitting an evaluation: the total the page showed (to refuse a submission
    scored since) and, where the source report printed another total, why they differ."""

    total = forms.DecimalField(
        widget=forms.HiddenInput, required=False, max_digits=6, decimal_places=2
    )
    reason = forms.CharField(
        label=gettext_lazy("why the published total differs from the source report's"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
