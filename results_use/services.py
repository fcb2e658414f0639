"""Writes of 结果应用: the finance bureau's decision on a budget year."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets.models import BudgetYear
from core.concurrency import claim
from results_use.models import BudgetDecision, Decision
from results_use.selectors import budget_recommendation


def _saved(decision: BudgetDecision) -> dict[str, object]:
    return {
        str(_("decision")): decision.get_decision_display(),
        str(_("note")): decision.note,
    }


@transaction.atomic
def budget_decision_record(
    *,
    budget_year: BudgetYear,
    decision: str,
    note: str,
    user: AbstractBaseUser,
    version: int | None = None,
) -> BudgetDecision:
    """Record (or change) the bureau's decision on ``budget_year``, beside the
    recommendation and its source as they stand now. A decision other than following
    the recommendation as it is needs a note; a page drawn before someone else's
    decision is refused (``core.concurrency``)."""
    recommendation = budget_recommendation(budget_year)
    if recommendation is None:
        raise ValidationError(
            _(
                "No evaluation result of an earlier year: there is no recommendation "
                "to decide on."
            )
        )
    note = note.strip()
    if decision != Decision.FOLLOW and not note:
        raise ValidationError(
            {
                "note": _(
                    "Say what was decided instead when the recommendation is not "
                    "followed as it is."
                )
            }
        )
    result = recommendation.result
    record = BudgetDecision.objects.filter(budget_year=budget_year).first()
    typed = {
        str(_("decision")): Decision(decision).label,
        str(_("note")): note,
    }
    if record is None:
        record = BudgetDecision(budget_year=budget_year)
    else:
        claim(
            record,
            version=version,
            what=_("the decision on this budget year"),
            typed=typed,
            saved=_saved,
        )
    record.evaluation = result.evaluation
    record.total = result.total
    record.grade = result.grade
    record.recommendation = recommendation.text
    record.decision = decision
    record.note = note
    record.decided_by = user  # type: ignore[assignment]
    record.decided_at = timezone.now()
    record.full_clean()
    record.save()
    return record
