"""Forms of the expert review pages: they validate and normalise; services write.

The experts a form accepts are the ones the view passes in, which it reached through
``accounts.scoping.experts_for``: a posted id outside them is refused, whoever it names.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from core.forms import Form
from evaluations.models import Evaluation, EvaluationIndicator


class ExpertAssignForm(Form):
    expert = forms.ModelChoiceField(
        label=gettext_lazy("expert"),
        queryset=User.objects.none(),
        error_messages={
            "required": gettext_lazy("Choose an expert reviewer."),
            # One message for a non-expert, an expert of an organisation the user does not
            # see and an id that does not exist: the answer tells nothing about other users.
            "invalid_choice": gettext_lazy(
                "That user is not an expert reviewer you can assign."
            ),
        },
    )

    def __init__(self, *args: Any, experts: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["expert"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = experts


class ExpertCommentForm(Form):
    """An expert's comment on the evaluation, or on one of its indicators."""

    text = forms.CharField(
        label=gettext_lazy("comment"),
        error_messages={"required": gettext_lazy("Write a comment first.")},
    )
    indicator = forms.ModelChoiceField(
        queryset=EvaluationIndicator.objects.none(), required=False
    )

    def __init__(self, *args: Any, evaluation: Evaluation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["indicator"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = evaluation.indicators.all()
