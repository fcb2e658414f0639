"""The data panel of the scoring page: what moved in the operating data, the budget year
and the target form since the evaluation was scored (old → new), with the actions that
take it in — refresh the actuals, adopt the form's 指标值 — and the evaluator's own
actual values (with their source) and 清单 review points.

Every action posts a form, answers by redirecting to the scoring page (the panel shows
the result, or the message why nothing was written), and is refused to anyone who may not
score the evaluation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.concurrency import EditConflict
from evaluations.data_changes import (
    DataChange,
    TargetLink,
    data_changes,
    data_token,
    target_links,
)
from evaluations.data_forms import ActualForm, AdoptForm, PointsForm, RefreshForm
from evaluations.models import Evaluation, EvaluationIndicator
from evaluations.scoping import can_score, evaluations_for
from evaluations.scoring import RuleKind
from evaluations.services.data import (
    evaluation_actuals_refresh,
    evaluation_indicator_actual,
    evaluation_indicator_points,
    evaluation_targets_adopt,
)


@dataclass(frozen=True)
class Checklist:
    """A 清单 leaf with its review points, as the panel ticks them."""

    indicator: EvaluationIndicator
    points: list[tuple[int, str, str, bool]]  # number, label, points, ticked


@dataclass(frozen=True)
class Kept:
    """What the evaluator typed in one of the panel's row forms whose save was refused,
    drawn again with the reasons (post, redirect, then this on the page)."""

    indicator: int
    kind: str  # "actual" or "points"
    values: dict[str, Any]
    errors: list[str]


@dataclass(frozen=True)
class DataPanel:
    changes: list[DataChange]
    links: list[TargetLink]
    checklists: list[Checklist]
    leaves: list[EvaluationIndicator]
    kept: Kept | None = None

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


KEPT = "evaluations-data-panel-kept"


def _keep(
    request: HttpRequest,
    evaluation: Evaluation,
    indicator: EvaluationIndicator,
    kind: str,
    values: dict[str, Any],
    errors: Sequence[str],
) -> None:
    request.session[KEPT] = {
        "evaluation": evaluation.pk,
        "indicator": indicator.pk,
        "kind": kind,
        "values": values,
        "errors": list(errors),
    }


def kept_for(request: HttpRequest, evaluation: Evaluation) -> Kept | None:
    """The refused row form of this evaluation to draw again, once."""
    kept = request.session.pop(KEPT, None)
    if not kept or kept.get("evaluation") != evaluation.pk:
        return None
    return Kept(kept["indicator"], kept["kind"], kept["values"], kept["errors"])


def data_panel(
    evaluation: Evaluation,
    indicators: Sequence[EvaluationIndicator],
    kept: Kept | None = None,
) -> DataPanel | None:
    """The panel for ``indicators`` (the scored tree's, in order, with their library and
    target form indicators selected); None for a submitted evaluation, which prints its
    snapshot and says what moved since (``evaluation_snapshot_notes``)."""
    if evaluation.is_locked:
        return None
    parents = {i.parent_id for i in indicators}
    leaves = [i for i in indicators if i.pk not in parents]
    checklists = []
    for leaf in leaves:
        if leaf.rule_kind != RuleKind.CHECKLIST:
            continue
        ticked = {int(i) for i in leaf.satisfied_points or ()}
        if kept is not None and kept.kind == "points" and kept.indicator == leaf.pk:
            ticked = {int(i) for i in kept.values.get("points", ())}
        checklists.append(
            Checklist(
                leaf,
                [
                    (n, str(p.get("label", "")), str(p.get("points", "")), n in ticked)
                    for n, p in enumerate((leaf.rule_params or {}).get("points") or ())
                ],
            )
        )
    return DataPanel(
        changes=data_changes(evaluation, leaves),
        links=target_links(evaluation, leaves),
        checklists=checklists,
        leaves=leaves,
        kept=kept,
    )


def _scorable(request: HttpRequest, code: str) -> Evaluation | HttpResponse:
    evaluation = get_object_or_404(
        evaluations_for(request.user).select_related("project"), code=code
    )
    if not can_score(request.user, evaluation):
        return HttpResponseForbidden(_("You cannot score this evaluation."))
    return evaluation


def _leaf(evaluation: Evaluation, pk: int) -> EvaluationIndicator:
    indicator = get_object_or_404(
        EvaluationIndicator.objects.select_related("evaluation"),
        evaluation=evaluation,
        pk=pk,
    )
    if indicator.children.exists():
        raise Http404
    return indicator


def _back(evaluation: Evaluation, anchor: str = "data") -> HttpResponse:
    return redirect(
        reverse("evaluations:detail", args=[evaluation.code]) + f"#{anchor}"
    )


def _refused(request: HttpRequest, errors: Sequence[str]) -> None:
    for message in errors:
        messages.error(request, message)


def _form_errors(form: RefreshForm | AdoptForm | ActualForm | PointsForm) -> list[str]:
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


@login_required
@require_POST
def indicator_actual_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    evaluation = _scorable(request, code)
    if isinstance(evaluation, HttpResponse):
        return evaluation
    indicator = _leaf(evaluation, pk)
    form = ActualForm(request.POST)
    typed = {
        "actual_text": request.POST.get("actual_text", ""),
        "actual_source": request.POST.get("actual_source", ""),
        "version": request.POST.get("version", ""),
    }
    if not form.is_valid():
        _keep(request, evaluation, indicator, "actual", typed, _form_errors(form))
        return _back(evaluation, f"actual-{indicator.pk}")
    try:
        evaluation_indicator_actual(
            indicator=indicator,
            text=form.cleaned_data["actual_text"],
            source=form.cleaned_data["actual_source"],
            version=form.cleaned_data["version"],
        )
    except EditConflict as conflict:
        # what was typed stays in the row; its next save replaces theirs on purpose
        typed["version"] = str(conflict.version)
        _keep(request, evaluation, indicator, "actual", typed, conflict.messages)
        return _back(evaluation, f"actual-{indicator.pk}")
    except ValidationError as exc:
        _keep(request, evaluation, indicator, "actual", typed, exc.messages)
        return _back(evaluation, f"actual-{indicator.pk}")
    else:
        messages.success(
            request,
            _("The actual value of “%(name)s” has been saved.")
            % {"name": indicator.name},
        )
    return _back(evaluation)


@login_required
@require_POST
def indicator_points_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    evaluation = _scorable(request, code)
    if isinstance(evaluation, HttpResponse):
        return evaluation
    indicator = _leaf(evaluation, pk)
    count = len((indicator.rule_params or {}).get("points") or ())
    form = PointsForm(request.POST, count=count)
    typed = {
        "points": request.POST.getlist("points"),
        "version": request.POST.get("version", ""),
    }
    if not form.is_valid():
        _keep(request, evaluation, indicator, "points", typed, _form_errors(form))
        return _back(evaluation, f"points-{indicator.pk}")
    try:
        evaluation_indicator_points(
            indicator=indicator,
            points=form.cleaned_data["points"],
            version=form.cleaned_data["version"],
        )
    except EditConflict as conflict:
        typed["version"] = str(conflict.version)
        _keep(request, evaluation, indicator, "points", typed, conflict.messages)
        return _back(evaluation, f"points-{indicator.pk}")
    except ValidationError as exc:
        _keep(request, evaluation, indicator, "points", typed, exc.messages)
        return _back(evaluation, f"points-{indicator.pk}")
    else:
        messages.success(
            request,
            _("The review points of “%(name)s” have been saved.")
            % {"name": indicator.name},
        )
    return _back(evaluation)
