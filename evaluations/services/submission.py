"""Submitting an evaluation, and the snapshot it prints from then on."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from evaluations.models import Evaluation, EvaluationSnapshot
from evaluations.selectors import ScoredEvaluation, evaluation_score
from evaluations.services.guards import check_unlocked
from evaluations.snapshots import live_figures, snapshot_data


@transaction.atomic
def evaluation_submit(
    *, evaluation: Evaluation, user: AbstractBaseUser
) -> ScoredEvaluation:
    """Lock the evaluation once no blocking consistency flag remains."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    check_unlocked(evaluation)
    scored = evaluation_score(evaluation)
    if scored.blocking_flags:
        raise ValidationError([f.message for f in scored.blocking_flags])
    evaluation.status = Evaluation.Status.SUBMITTED
    evaluation.submitted_at = timezone.now()
    evaluation.submitted_by = user  # type: ignore[assignment]
    evaluation.full_clean()
    evaluation.save()
    evaluation_snapshot_take(evaluation=evaluation, scored=scored)
    return scored


def evaluation_snapshot_take(
    *, evaluation: Evaluation, scored: ScoredEvaluation
) -> EvaluationSnapshot:
    """Keep what ``evaluation`` was scored with and prints (its result, its indicators,
    the budget year and the cost table as they are now); a snapshot taken before is
    replaced. Called by ``evaluation_submit`` in its transaction."""
    snapshot, _created = EvaluationSnapshot.objects.update_or_create(
        evaluation=evaluation,
        defaults={
            "taken_at": evaluation.submitted_at or timezone.now(),
            "data": snapshot_data(
                result=scored.result,
                indicators=scored.indicators,
                figures=live_figures(evaluation),
            ),
        },
    )
    return snapshot


def evaluation_snapshots_take_missing() -> list[str]:
    """Snapshot every submitted evaluation that has none (submitted before snapshots
    existed, or loaded as submitted by the seeds), from the data as it is now; returns
    their codes. Those that have one keep it."""
    codes = []
    missing = Evaluation.objects.filter(
        status=Evaluation.Status.SUBMITTED, snapshot__isnull=True
    ).select_related("project__unit", "organisation")
    for evaluation in missing.order_by("code"):
        evaluation_snapshot_take(
            evaluation=evaluation,
            scored=evaluation_score(evaluation, as_submitted=False),
        )
        codes.append(evaluation.code)
    return codes
