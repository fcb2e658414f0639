"""Forms of the self-evaluation pages (单位自评): they validate and normalise;
``evaluations.services.self_evaluation`` and ``…self_review`` write."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.concurrency import version_field
from core.forms import Form
from evaluations.models import EvaluationIndicator, Framework
from evaluations.services.scores import ActualChange, ScoreChange
from evaluations.services.self_evaluation import SelfRowEdit
from targets.models import TargetForm

TEXT_LIMIT = 2000


def self_frameworks() -> QuerySet[Framework]:
    """The frameworks a self-evaluation can start from: those that take the target form's
    indicators (a node marked ``expand_from_target_form``) — a bureau adds one as data."""
    return Framework.objects.filter(
        indicators__expand_from_target_form__gt=""
    ).distinct()


class StartForm(Form):
    form = forms.ModelChoiceField(
        label=gettext_lazy("approved target form"),
        queryset=TargetForm.objects.none(),
        to_field_name="code",
    )
    framework = forms.ModelChoiceField(
        label=gettext_lazy("self-evaluation framework"),
        queryset=Framework.objects.none(),
        to_field_name="code",
    )

    def __init__(self, *args: object, forms_: QuerySet[TargetForm], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["form"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = forms_
        field.label_from_instance = lambda obj: f"{obj.code} · {obj}"  # type: ignore[method-assign]
        frameworks = self.fields["framework"]
        assert isinstance(frameworks, forms.ModelChoiceField)
        frameworks.queryset = self_frameworks()


def _decimal(text: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise forms.ValidationError(_("Enter a number, e.g. 8.5.")) from None
    if not value.is_finite():
        raise forms.ValidationError(_("Enter a number, e.g. 8.5."))
    return value


class SelfRowForm(Form):
    """One row of the 自评表 (prefix ``row-<pk>``): its 分值, the 实际完成值 the unit types
    instead of the data's with the reason, a score (定性 rows, or a reasoned departure
    from the rule's), and 偏差原因分析及改进措施. ``edit`` keeps only what differs from
    what is stored."""

    weight = forms.CharField(label=gettext_lazy("weight"), max_length=20)
    actual_text = forms.CharField(
        label=gettext_lazy("actual value"), required=False, max_length=200
    )
    override_reason = forms.CharField(
        label=gettext_lazy("reason for overriding the actual value"),
        required=False,
        max_length=TEXT_LIMIT,
    )
    final_score = forms.CharField(
        label=gettext_lazy("score"), required=False, max_length=20
    )
    reason = forms.CharField(
        label=gettext_lazy("scoring explanation"), required=False, max_length=TEXT_LIMIT
    )
    deviation_reason = forms.CharField(
        label=gettext_lazy("causes of deviation and improvements"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = version_field()

    def clean_weight(self) -> Decimal:
        value = _decimal(self.cleaned_data["weight"])
        if value is None:
            raise forms.ValidationError(_("Enter the weight."))
        return value

    def clean_final_score(self) -> Decimal | None:
        return _decimal(self.cleaned_data["final_score"])

    def edit(self, indicator: EvaluationIndicator) -> SelfRowEdit | None:
        data = self.cleaned_data
        typed_actual = data["actual_text"].strip()
        stored_actual = indicator.actual_text if indicator.actual_typed else ""
        actual = None
        reason_now = data["override_reason"].strip()
        if (
            typed_actual != stored_actual
            or reason_now != indicator.actual_override_reason
        ):
            actual = ActualChange(typed_actual, "")
        typed = ScoreChange(data["final_score"], data["reason"].strip(), True)
        score: ScoreChange | None = typed
        if _same(typed.final_score, indicator.final_score) and (
            typed.reason == indicator.reason
        ):
            score = None
        deviation = data["deviation_reason"].strip()
        edit = SelfRowEdit(
            indicator=indicator,
            version=data["version"],
            actual=actual,
            override_reason=reason_now,
            score=score,
            deviation_reason=(
                deviation if deviation != indicator.deviation_reason else None
            ),
            weight=data["weight"] if data["weight"] != indicator.weight else None,
        )
        if (
            edit.actual is None
            and edit.score is None
            and edit.deviation_reason is None
            and edit.weight is None
        ):
            return None
        return edit


def _same(typed: Decimal | None, stored: Decimal | None) -> bool:
    if typed is None or stored is None:
        return typed is stored
    return typed == stored


class GoalForm(Form):
    """The 年度总体目标 row's 实际完成情况; ``seen`` is what the page showed, so a stale
    tab does not write over someone's newer text unseen."""

    goal_achieved = forms.CharField(
        label=gettext_lazy("actual completion of the goal"),
        required=False,
        max_length=TEXT_LIMIT * 2,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    goal_seen = forms.CharField(required=False, widget=forms.HiddenInput)


class SelfSubmitForm(Form):
    total = forms.DecimalField(
        widget=forms.HiddenInput, required=False, max_digits=6, decimal_places=2
    )


class ReviewForm(Form):
    """The 主管部门's or the finance bureau's decision, with its comment (required to
    return)."""

    DECISIONS = {
        "forward": gettext_lazy("Forward to the finance bureau"),
        "accept": gettext_lazy("Accept"),
        "return": gettext_lazy("Return for changes"),
    }
    decision = forms.ChoiceField(
        label=gettext_lazy("decision"), choices=list(DECISIONS.items())
    )
    comment = forms.CharField(
        label=gettext_lazy("comment"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    stage = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (
            data.get("decision") == "return"
            and not str(data.get("comment", "")).strip()
        ):
            self.add_error(
                "comment", _("Say what to change when returning the self-evaluation.")
            )
        return data
