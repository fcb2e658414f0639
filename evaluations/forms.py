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
from evaluations.services.scores import ActualChange

# 清单 review points a row may tick (the rule's own count is checked by the service)
MAX_CHECKLIST_POINTS = 50


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
    # the actual typed with its source, and the 清单 points: a part of the row only when
    # the page drew it (``actual_text`` posted; ``points_shown`` marks the boxes, since
    # unticked boxes are not posted)
    actual_text = forms.CharField(
        label=gettext_lazy("actual value"), required=False, max_length=200
    )
    actual_source = forms.CharField(
        label=gettext_lazy("actual value source"), required=False, max_length=300
    )
    satisfied_points = forms.TypedMultipleChoiceField(
        label=gettext_lazy("review points satisfied"),
        coerce=int,
        required=False,
        choices=[(str(i), str(i + 1)) for i in range(MAX_CHECKLIST_POINTS)],
    )
    version = version_field()

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (
            str(data.get("actual_text") or "").strip()
            and not str(data.get("actual_source") or "").strip()
        ):
            self.add_error(
                "actual_source", _("Name the source of the actual value you typed.")
            )
        return data

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
        typed_score = ScoreChange(
            data["final_score"], data["reason"], data["applicable"]
        )
        score = (
            None
            if _same(typed_score.final_score, indicator.final_score)
            and typed_score.reason == indicator.reason
            and typed_score.applicable == indicator.applicable
            else typed_score
        )
        actual = None
        if self.add_prefix("actual_text") in self.data:
            typed = ActualChange(
                data["actual_text"].strip(), data["actual_source"].strip()
            )
            if typed != typed_actual(indicator):
                actual = typed
        points = None
        if self.add_prefix("points_shown") in self.data:
            chosen = sorted(set(data["satisfied_points"]))
            if chosen != sorted(int(i) for i in indicator.satisfied_points or ()):
                points = chosen
        if score is None and actual is None and points is None:
            return None
        return RowEdit(
            indicator=indicator,
            version=data["version"],
            score=score,
            actual=actual,
            points=points,
        )


def typed_actual(indicator: EvaluationIndicator) -> ActualChange:
    """The actual the evaluator typed, as the row's inputs show it (empty when the
    indicator follows the data)."""
    if not indicator.actual_typed:
        return ActualChange("", "")
    return ActualChange(indicator.actual_text, indicator.actual_source)


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
