"""The evaluator's score of one indicator."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.concurrency import claim, model_field_label
from evaluations.engine import leaf_input
from evaluations.models import Evaluation, EvaluationIndicator
from evaluations.scoring import score_leaf
from evaluations.services.guards import check_unlocked


@transaction.atomic
def evaluation_indicator_score(
    *,
    indicator: EvaluationIndicator,
    final_score: Decimal | None,
    reason: str,
    tier: str | None = None,
    applicable: bool = True,
    version: int | None = None,
) -> EvaluationIndicator:
    """Record the evaluator's score and reason for one indicator.

    The score must lie in [0, weight]; a reason is required whenever it differs from the
    rule's computed score (and for rules without one). Nothing is written on error.
    ``tier`` None keeps the stored qualitative tier. ``version`` is the one the scoring
    page was drawn from: when someone saved this
    indicator since, ``EditConflict`` refuses the save and names what they saved.
    """
    evaluation = Evaluation.objects.select_for_update().get(pk=indicator.evaluation_id)
    check_unlocked(evaluation)
    claim(
        indicator,
        version=version,
        what=_("the score of “%(name)s”") % {"name": indicator.name},
        typed=_score_values(final_score, reason.strip(), applicable),
        saved=lambda stored: _score_values(
            stored.final_score, stored.reason, stored.applicable
        ),
    )
    if final_score is not None and not (0 <= final_score <= indicator.weight):
        raise ValidationError(
            {
                "final_score": _(
                    "The score must lie between 0 and the weight %(weight)s."
                )
                % {"weight": indicator.weight}
            }
        )
    indicator.final_score = final_score
    indicator.reason = reason.strip()
    if tier is not None:  # the scoring page does not show it: kept as stored
        indicator.tier = tier
    indicator.applicable = applicable
    if applicable and final_score is not None:
        computed = _computed_score(indicator)
        if computed != final_score and not indicator.reason:
            raise ValidationError(
                {
                    "reason": _(
                        "Explain why the score differs from the rule's %(computed)s."
                    )
                    % {"computed": computed if computed is not None else "—"}
                }
            )
    indicator.full_clean()
    indicator.save()
    return indicator


def _score_values(
    final_score: Decimal | None, reason: str, applicable: bool
) -> dict[str, object]:
    """What the scoring page edits, by the labels the conflict message shows."""
    return {
        model_field_label(EvaluationIndicator, "final_score"): final_score,
        model_field_label(EvaluationIndicator, "reason"): reason,
        model_field_label(EvaluationIndicator, "applicable"): applicable,
    }


def _computed_score(indicator: EvaluationIndicator) -> Decimal | None:
    leaf = replace(leaf_input(indicator), evaluator_score=None, reason="")
    return score_leaf(leaf).computed_score
