"""The data panel of the scoring page: what moved in the operating data, the budget year
and the target form since the evaluation was scored (old → new), with the actions that
take it in: refresh the actuals, adopt the form's 指标值. (The evaluator's own actual
values, with their source, and 清单 review points are typed in the table's rows.)

Every action posts a form, answers by redirecting to the scoring page (the panel shows
the result, or the message why nothing was written), and is refused to anyone who may not
score the evaluation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from evaluations.data_changes import (
    DataChange,
    TargetLink,
    data_changes,
    data_token,
    target_links,
)
from evaluations.data_forms import AdoptForm, RefreshForm
from evaluations.models import Evaluation, EvaluationIndicator
from evaluations.scoping import can_score, evaluations_for
from evaluations.services.data import (
    evaluation_actuals_refresh,
    evaluation_targets_adopt,
)


@dataclass(frozen=True)
class DataPanel:
    changes: list[DataChange]
    links: list[TargetLink]

    @property
    def changes_token(self) -> str:
        return data_token(self.changes)

    @property
    def differing(self) -> list[TargetLink]:
        return [link for link in self.links if link.differs]

    @property
    def adoptable(self) -> list[TargetLink]:
        return [link for link in self.differing if link.form_approved]

    @property
    def adopt_token(self) -> str:
        return data_token(self.adoptable)


def data_panel(
    evaluation: Evaluation, indicators: Sequence[EvaluationIndicator]
) -> DataPanel | None:
    """The panel for ``indicators`` (the scored tree's, in order, with their library and
    target form indicators selected); None for a submitted evaluation, which prints its
    snapshot and says what moved since (``evaluation_snapshot_notes``)."""
    if evaluation.is_locked:
        return None
    parents = {i.parent_id for i in indicators}
    leaves = [i for i in indicators if i.pk not in parents]
    return DataPanel(
        changes=data_changes(evaluation, leaves),
        links=target_links(evaluation, leaves),
    )


def _scorable(request: HttpRequest, code: str) -> Evaluation | HttpResponse:
    evaluation = get_object_or_404(
        evaluations_for(request.user).select_related("project"), code=code
    )
    if not can_score(request.user, evaluation):
        return HttpResponseForbidden(_("You cannot score this evaluation."))
    return evaluation


def _back(evaluation: Evaluation) -> HttpResponse:
    return redirect(reverse("evaluations:detail", args=[evaluation.code]) + "#data")


def _refused(request: HttpRequest, errors: Sequence[str]) -> None:
    for message in errors:
        messages.error(request, message)


def _form_errors(form: RefreshForm | AdoptForm) -> list[str]:
    return [str(m) for ms in form.errors.values() for m in ms]


@login_required
@require_POST
def data_refresh_view(request: HttpRequest, code: str) -> HttpResponse:
    evaluation = _scorable(request, code)
    if isinstance(evaluation, HttpResponse):
        return evaluation
    form = RefreshForm(request.POST)
    if not form.is_valid():
        _refused(request, _form_errors(form))
        return _back(evaluation)
    try:
        changes = evaluation_actuals_refresh(
            evaluation=evaluation, token=form.cleaned_data["token"]
        )
    except ValidationError as exc:
        _refused(request, exc.messages)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d indicator now follows the latest data: %(names)s.",
                "%(count)d indicators now follow the latest data: %(names)s.",
                len(changes),
            )
            % {
                "count": len(changes),
                "names": "、".join(c.indicator.name for c in changes),
            },
        )
    return _back(evaluation)


@login_required
@require_POST
def targets_adopt_view(request: HttpRequest, code: str) -> HttpResponse:
    evaluation = _scorable(request, code)
    if isinstance(evaluation, HttpResponse):
        return evaluation
    choices = list(
        evaluation.indicators.filter(children__isnull=True).values_list("pk", flat=True)
    )
    form = AdoptForm(request.POST, choices=choices)
    if not form.is_valid():
        _refused(request, _form_errors(form))
        return _back(evaluation)
    try:
        adopted = evaluation_targets_adopt(
            evaluation=evaluation,
            indicator_ids=set(form.cleaned_data["indicators"]),
            token=form.cleaned_data["token"],
        )
    except ValidationError as exc:
        _refused(request, exc.messages)
    else:
        messages.success(
            request,
            _("The target form's value was adopted for: %(names)s.")
            % {"names": "、".join(link.indicator.name for link in adopted)},
        )
    return _back(evaluation)
