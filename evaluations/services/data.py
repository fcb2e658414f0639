"""Data reaching scores: an evaluation's actuals follow the operating data and the budget
year, its 指标值 the approved (and adjusted) target form; the evaluator refreshes them in
one action, adopts a form's value, types an actual with its source, ticks 清单 points.

Each write records the indicator's history (the old and the new values, who, when) and
counts as a save of the indicator (its ``version``), so a scoring page drawn before
refuses a stale save of that row instead of writing over the new values.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.concurrency import bump, claim, model_field_label
from evaluations.data_changes import (
    DataChange,
    TargetLink,
    data_changes,
    data_token,
    score_after,
    target_links,
)
from evaluations.models import Evaluation, EvaluationIndicator
from evaluations.scoring import RuleKind
from evaluations.services.guards import check_unlocked
from kernel.indicator_values import parse_indicator_value

ACTUAL_TEXT_LENGTH = 200
SOURCE_LENGTH = 300


def _leaves(evaluation: Evaluation) -> list[EvaluationIndicator]:
    return list(
        evaluation.indicators.filter(children__isnull=True)
        .select_related("library_indicator", "target_indicator__form")
        .order_by("position", "pk")
    )


def _locked(evaluation: Evaluation) -> Evaluation:
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    check_unlocked(locked)
    return locked


def _moved() -> ValidationError:
    return ValidationError(
        _(
            "The data have changed again since this page was drawn: check the "
            "changes shown now and apply them again."
        )
    )


@transaction.atomic
def evaluation_actuals_refresh(
    *, evaluation: Evaluation, token: str
) -> list[DataChange]:
    """Bring every indicator whose actual no longer matches the operating data or the
    budget year to the data's value (old → new), and its score to the rule's new score
    where it followed the rule (``evaluations.data_changes``); returns what changed.

    ``token`` names the changes the evaluator saw (``data_token``): when the data have
    moved since, nothing is written and the page shows the new changes."""
    evaluation = _locked(evaluation)
    changes = data_changes(evaluation, _leaves(evaluation))
    if not changes or data_token(changes) != token:
        raise _moved()
    for change in changes:
        indicator, new = change.indicator, change.new
        bump(indicator)
        indicator.actual_text = new.text[:ACTUAL_TEXT_LENGTH]
        indicator.actual_number = new.number
        indicator.actual_unit = new.unit
        indicator.actual_numerator = new.numerator
        indicator.actual_denominator = new.denominator
        indicator.actual_source = new.source[:SOURCE_LENGTH]
        indicator.final_score = change.new_score
        indicator.full_clean()
        indicator.save()
    return changes


@transaction.atomic
def evaluation_targets_adopt(
    *, evaluation: Evaluation, indicator_ids: Collection[int], token: str
) -> list[TargetLink]:
    """Take the linked target form's 指标值 (as approved and adjusted) for the given
    indicators whose stored 指标值 differs from it; their score follows the rule's where
    it did. The form must be approved. ``token`` names the differences the evaluator saw
    (``data_token``): when one of the given indicators no longer differs as it did, or
    was already adopted, nothing is written."""
    evaluation = _locked(evaluation)
    differing = {
        link.indicator.pk: link
        for link in target_links(evaluation, _leaves(evaluation))
        if link.differs
    }
    seen = set(token.split("|"))
    if not indicator_ids or any(
        pk not in differing or differing[pk].token not in seen for pk in indicator_ids
    ):
        raise _moved()
    chosen = [differing[pk] for pk in sorted(indicator_ids)]
    for link in chosen:
        if not link.form_approved:
            raise ValidationError(
                _(
                    "The target form of “%(name)s” is not approved: only an approved "
                    "form's value can be adopted."
                )
                % {"name": link.indicator.name}
            )
    for link in chosen:
        indicator, form_indicator = link.indicator, link.form_indicator
        assert form_indicator is not None  # a link that differs has one
        score, _follows = score_after(indicator, target=form_indicator.value_number)
        bump(indicator)
        indicator.target_text = form_indicator.value_text[:ACTUAL_TEXT_LENGTH]
        indicator.target_number = form_indicator.value_number
        indicator.target_unit = form_indicator.value_unit
        indicator.target_comparator = form_indicator.value_comparator
        indicator.target_source = (
            _("Target form %(code)s") % {"code": form_indicator.form.code}
        )[:200]
        indicator.final_score = score
        indicator.full_clean()
        indicator.save()
    return chosen


@transaction.atomic
def evaluation_indicator_actual(
    *,
    indicator: EvaluationIndicator,
    text: str,
    source: str,
    version: int | None = None,
) -> EvaluationIndicator:
    """The evaluator types an actual value with its source: the text is kept as typed,
    its number and unit parsed from it, and the indicator no longer follows the data
    (``actual_typed``); its score follows the rule's where it did. An empty text hands
    the indicator back to the data (the page then offers the data's value)."""
    _locked(indicator.evaluation)
    text, source = text.strip(), source.strip()
    if indicator.children.exists():
        raise ValidationError(_("Only level-3 indicators carry values."))
    if not text:
        _claim_actual(
            indicator, version, indicator.actual_text, indicator.actual_source
        )
        indicator.actual_typed = False
        indicator.full_clean()
        indicator.save()
        return indicator
    if not source:
        raise ValidationError(
            {"actual_source": _("Name the source of the actual value you typed.")}
        )
    _claim_actual(indicator, version, text, source)
    parsed = parse_indicator_value(text)
    score, _follows = score_after(indicator, actual=parsed.number)
    indicator.actual_text = text
    indicator.actual_number = parsed.number
    indicator.actual_unit = parsed.unit
    indicator.actual_numerator = None
    indicator.actual_denominator = None
    indicator.actual_source = source
    indicator.actual_typed = True
    indicator.final_score = score
    indicator.full_clean()
    indicator.save()
    return indicator


def _claim_actual(
    indicator: EvaluationIndicator, version: int | None, text: str, source: str
) -> None:
    text_label = model_field_label(EvaluationIndicator, "actual_text")
    source_label = model_field_label(EvaluationIndicator, "actual_source")
    claim(
        indicator,
        version=version,
        what=_("the actual value of “%(name)s”") % {"name": indicator.name},
        typed={text_label: text, source_label: source},
        saved=lambda stored: {
            text_label: stored.actual_text,
            source_label: stored.actual_source,
        },
    )


@transaction.atomic
def evaluation_indicator_points(
    *,
    indicator: EvaluationIndicator,
    points: Sequence[int],
    version: int | None = None,
) -> EvaluationIndicator:
    """Tick the review points of a 清单 (checklist) indicator that are satisfied, by
    their number in the rule (0, 1, …); the others are unticked. Its score follows the
    rule's where it did."""
    _locked(indicator.evaluation)
    if indicator.rule_kind != RuleKind.CHECKLIST:
        raise ValidationError(_("This indicator is not scored by a checklist."))
    count = len((indicator.rule_params or {}).get("points") or ())
    chosen = sorted(set(points))
    if any(not 0 <= point < count for point in chosen):
        raise ValidationError(
            _("This checklist has review points 1 to %(count)s only.")
            % {"count": count}
        )
    label = model_field_label(EvaluationIndicator, "satisfied_points")
    claim(
        indicator,
        version=version,
        what=_("the review points of “%(name)s”") % {"name": indicator.name},
        typed={label: chosen},
        saved=lambda stored: {
            label: sorted(int(i) for i in stored.satisfied_points or ())
        },
    )
    score, _follows = score_after(indicator, satisfied_points=chosen)
    indicator.satisfied_points = chosen
    indicator.final_score = score
    indicator.full_clean()
    indicator.save()
    return indicator
