"""Forms of the data panel of the scoring page (``templates/evaluations/_data_changes.html``):
refresh the actuals from the data, adopt the target form's 指标值. They validate and
normalise; ``evaluations.services.data`` writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import Form

TOKEN_LENGTH = 20_000


class RefreshForm(Form):
    """按最新数据更新: the changes the evaluator saw (``data_token``)."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=TOKEN_LENGTH)


class AdoptForm(Form):
    """采用目标表的值: the indicators ticked, and the differences the evaluator saw."""

    indicators = forms.TypedMultipleChoiceField(
        label=gettext_lazy("indicators"), coerce=int, choices=()
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=TOKEN_LENGTH)

    def __init__(self, *args: object, choices: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["indicators"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(str(pk), str(pk)) for pk in choices]
        field.error_messages["required"] = _(
            "Tick the indicators whose target form value you adopt."
        )
