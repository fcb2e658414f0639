"""Forms of the data panel of the scoring page (``templates/evaluations/_data_changes.html``):
refresh the actuals from the data, adopt the target form's 指标值, type an actual with its
source, tick a 清单's review points. They validate and normalise;
``evaluations.services.data`` writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.concurrency import version_field
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


class ActualForm(Form):
    """An actual value the evaluator types, with its source (empty: follow the data)."""

    actual_text = forms.CharField(
        label=gettext_lazy("actual value"), required=False, max_length=200
    )
    actual_source = forms.CharField(
        label=gettext_lazy("actual value source"), required=False, max_length=300
    )
    version = version_field()

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (
            data.get("actual_text", "").strip()
            and not data.get("actual_source", "").strip()
        ):
            self.add_error(
                "actual_source", _("Name the source of the actual value you typed.")
            )
        return data


class PointsForm(Form):
    """The review points of a 清单 ticked as satisfied (0-based, as the rule numbers them)."""

    points = forms.TypedMultipleChoiceField(
        label=gettext_lazy("review points satisfied"),
        coerce=int,
        choices=(),
        required=False,
    )
    version = version_field()

    def __init__(self, *args: object, count: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["points"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(str(i), str(i + 1)) for i in range(count)]
