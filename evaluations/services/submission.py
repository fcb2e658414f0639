"""Submitting an evaluation, and the snapshot it prints from then on."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.flag_texts import flag_text
from evaluations.models import Evaluation, EvaluationSnapshot
from evaluations.selectors import ScoredEvaluation, evaluation_score
from evaluations.services.guards import check_unlocked
from evaluations.snapshots import live_figures, snapshot_data


@transaction.atomic
def evaluation_submit(
    *,
    evaluation: Evaluation,
    user: AbstractBaseUser,
    total_seen: Decimal | None = None,
    reason: str = "",
) -> ScoredEvaluation:
    """Publish the engine's total and lock the evaluation, once no blocking consistency
    flag remains.

    ``published_total`` and ``published_grade`` become the engine's total and grade.
    Where the source report printed another total (``source_total``, kept as it is),
    ``reason`` must say why they differ; it is kept as ``published_total_reason``.
    ``total_seen`` is the total the evaluator's page showed: when a score changed
    since, the submission is refused naming the new total. Nothing is written on error.
    """
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    check_unlocked(evaluation)
    scored = evaluation_score(evaluation)
    total, grade = scored.result.total, scored.result.grade
    if scored.blocking_flags:
        raise ValidationError([flag_text(f) for f in scored.blocking_flags])
    if total_seen is not None and total_seen != total:
        raise ValidationError(
            {
                "total": _(
                    "The total is now %(total)s, not %(seen)s: a score was saved "
                    "after this page was drawn. Check the scores, then submit again."
                )
                % {"total": total, "seen": total_seen}
            }
        )
    reason = reason.strip()
    differs = evaluation.source_total is not None and evaluation.source_total != total
    if differs and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "The source report's total %(source)s differs from the computed "
                    "total %(total)s: say why before submitting."
                )
                % {"source": evaluation.source_total, "total": total}
            }
        )
    evaluation.published_total = total
    evaluation.published_grade = grade
    evaluation.published_total_reason = reason if differs else ""
    evaluation.status = Evaluation.Status.SUBMITTED
    evaluation.submitted_at = timezone.now()
    evaluation.submitted_by = user  # type: ignore[assignment]
    evaluation.full_clean()
    evaluation.save()
    # scored again against the total now published: the source report's, acknowledged
    # above, is no longer flagged on what the submitted evaluation prints
    scored = evaluation_score(evaluation, as_submitted=False)
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
