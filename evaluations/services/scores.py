"""The evaluator's score of one indicator, and the scoring page saved as one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.concurrency import claim, model_field_label
from evaluations.engine import leaf_input
from evaluations.models import Evaluation, EvaluationIndicator
from evaluations.scoring import score_leaf
from evaluations.services.data import (
    evaluation_indicator_actual,
    evaluation_indicator_points,
)
from evaluations.services.guards import check_unlocked


@dataclass(frozen=True)
class ScoreChange:
    """The score part of a scoring-page row: what ``evaluation_indicator_score`` takes."""

    final_score: Decimal | None
    reason: str
    applicable: bool


@dataclass(frozen=True)
class ActualChange:
    """The actual part of a scoring-page row: the value the evaluator typed and its
    source (an empty text hands the indicator back to the data)."""

    text: str
    source: str


@dataclass(frozen=True)
class RowEdit:
    """What the scoring page changes on one leaf: a part is None when the row's fields
    of that part are as stored (their service is then not called, nothing of theirs is
    written). ``version`` is the one the page was drawn from.

    Another part of the row (e.g. the actual value) is one more field here and one more
    call in ``_row_save``."""

    indicator: EvaluationIndicator
    version: int | None
    score: ScoreChange | None = None
    actual: ActualChange | None = None
    points: Sequence[int] | None = None  # the 清单 review points ticked


class RowsRefused(ValidationError):
    """Some rows of a scoring-page save were refused: nothing was written. ``by_row``
    holds each refused row's error (an ``EditConflict`` when someone saved it since the
    page was drawn), by the indicator's pk."""

    def __init__(self, by_row: Mapping[int, ValidationError]) -> None:
        self.by_row = dict(by_row)
        super().__init__([m for error in by_row.values() for m in error.messages])


@transaction.atomic
def evaluation_rows_save(
    *, evaluation: Evaluation, edits: Sequence[RowEdit]
) -> list[EvaluationIndicator]:
    """Save the rows the scoring page changed, all of them or none.

    Each row is saved as its own service saves it (versions checked, the rules of
    ``evaluation_indicator_score``); when any row is refused, ``RowsRefused`` names
    every refused row and the whole save is rolled back. A locked evaluation raises a
    plain ``ValidationError`` before any row is looked at."""
    check_unlocked(Evaluation.objects.select_for_update().get(pk=evaluation.pk))
    saved: list[EvaluationIndicator] = []
    refused: dict[int, ValidationError] = {}
    for edit in edits:
        if edit.indicator.evaluation_id != evaluation.pk:
            raise ValueError("an edit of another evaluation's indicator")
        try:
            with transaction.atomic():
                saved.append(_row_save(edit))
        except ValidationError as error:
            refused[edit.indicator.pk] = error
    if refused:
        raise RowsRefused(refused)  # leaves the outer transaction: all rolled back
    return saved


def _row_save(edit: RowEdit) -> EvaluationIndicator:
    indicator, version = edit.indicator, edit.version
    # the actual and the 清单 points first: the score follows the rule where it did,
    # and a score typed in the same row then wins (``evaluations.services.data``)
    if edit.actual is not None:
        indicator = evaluation_indicator_actual(
            indicator=indicator,
            text=edit.actual.text,
            source=edit.actual.source,
            version=version,
        )
        version = None
    if edit.points is not None:
        indicator = evaluation_indicator_points(
            indicator=indicator, points=edit.points, version=version
        )
        version = None
    if edit.score is not None:
        indicator = evaluation_indicator_score(
            indicator=indicator,
            final_score=edit.score.final_score,
            reason=edit.score.reason,
            applicable=edit.score.applicable,
            version=version,
        )
        version = None  # claimed in this transaction: the next part saves on it
    return indicator


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
