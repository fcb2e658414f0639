"""结果应用 reads: an evaluation's result (total and grade), the last result before a
year, the recommendation the bureau's rule gives for it, and the citations next year's
target review shows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets.models import BudgetYear, Organisation, Project
from evaluations.models import (
    Evaluation,
    EvaluationKind,
    ReviewStage,
)
from evaluations.selectors import evaluation_score
from evaluations.self_evaluations import self_evaluation_quality
from kernel.decimals import as_written
from kernel.indicator_values import Comparator
from kernel.rounding import quantize
from rectifications.models import RectificationStatus
from rectifications.selectors import open_items_of_project
from results_use.models import BudgetAction, BudgetDecision, GradeRule
from targets.judgement import judge
from targets.reasonableness import FlagKind, PreviousResult

# The evaluations whose result is final: a third-party or department evaluation once
# submitted (published), a self-evaluation once the finance bureau accepted it, and any
# evaluation read from a published report (its total and grade recorded as printed).
FINAL = (
    (~Q(kind=EvaluationKind.SELF) & Q(status=Evaluation.Status.SUBMITTED))
    | Q(kind=EvaluationKind.SELF, review_stage=ReviewStage.ACCEPTED)
    | ~Q(source_grade="")
)
# Of two final results of the same year, the independent one counts: third-party first.
KIND_ORDER = Case(
    When(kind=EvaluationKind.THIRD_PARTY, then=Value(0)),
    When(kind=EvaluationKind.DEPARTMENT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class Result:
    """An evaluation's result as the bureau reads it, and where the figures come from."""

    evaluation: Evaluation
    total: Decimal
    grade: str
    basis: str  # 评价提交时发布的得分 / 评价报告所载得分 / 按评分规则计算的得分

    @property
    def source(self) -> str:
        """The citation: which evaluation, of which year, which score and grade."""
        return _(
            "%(title)s (%(kind)s, %(year)s, code %(code)s): %(total)s points, "
            "grade “%(grade)s” (%(basis)s)"
        ) % {
            "title": self.evaluation.title,
            "kind": self.evaluation.get_kind_display(),
            "year": self.evaluation.year,
            "code": self.evaluation.code,
            "total": as_written(self.total),
            "grade": self.grade,
            "basis": self.basis,
        }


def evaluation_result(evaluation: Evaluation) -> Result:
    """The published total and grade once submitted, else the source report's, else the
    engine's."""
    if evaluation.published_grade and evaluation.published_total is not None:
        return Result(
            evaluation,
            evaluation.published_total,
            evaluation.published_grade,
            _("the score published when it was submitted"),
        )
    if evaluation.source_grade and evaluation.source_total is not None:
        return Result(
            evaluation,
            evaluation.source_total,
            evaluation.source_grade,
            _("the score printed in its report"),
        )
    result = evaluation_score(evaluation).result
    return Result(
        evaluation, result.total, result.grade, _("the score by its scoring rules")
    )


def last_result(project: Project, *, before_year: int) -> Result | None:
    """The latest final result of ``project`` for a year before ``before_year``."""
    evaluation = (
        Evaluation.objects.filter(FINAL, project=project, year__lt=before_year)
        .annotate(kind_order=KIND_ORDER)
        .order_by("-year", "kind_order", "-pk")
        .first()
    )
    return None if evaluation is None else evaluation_result(evaluation)


def bureau_of(project: Project) -> Organisation | None:
    """The finance bureau of the project's unit: same city (or region, without one)."""
    unit = project.unit
    bureaus = Organisation.objects.filter(kind=Organisation.Kind.FINANCE_BUREAU)
    if unit.city:
        return bureaus.filter(city=unit.city).order_by("pk").first()
    return bureaus.filter(region=unit.region, city="").order_by("pk").first()


def rule_for(grade: str, bureau: Organisation | None) -> GradeRule | None:
    """The bureau's own rule for ``grade``, else the default one."""
    rules = {
        rule.bureau_id: rule
        for rule in GradeRule.objects.filter(
            Q(bureau=None) | Q(bureau=bureau), grade=grade
        )
    }
    return rules.get(bureau.pk if bureau else None) or rules.get(None)


@dataclass(frozen=True)
class Recommendation:
    """What the rule recommends for a budget year, from which result."""

    budget_year: BudgetYear
    result: Result
    rule: GradeRule | None

    @property
    def text(self) -> str:
        if self.rule is None:
            return _(
                "The bureau's rule has no recommendation for grade “%(grade)s”."
            ) % {"grade": self.result.grade}
        return self.rule.text

    @property
    def action(self) -> str:
        return self.rule.action if self.rule else ""

    @property
    def reduction(self) -> Decimal | None:
        """For a reduction by a set share: the amount, from the budget year's 年初预算."""
        if self.rule is None or self.rule.action != BudgetAction.REDUCE:
            return None
        assert self.rule.share is not None
        return quantize(self.budget_year.initial * self.rule.share / 100)


def budget_recommendation(budget_year: BudgetYear) -> Recommendation | None:
    """The recommendation for ``budget_year`` from the project's last result before it."""
    project = budget_year.project
    result = last_result(project, before_year=budget_year.year)
    if result is None:
        return None
    return Recommendation(
        budget_year=budget_year,
        result=result,
        rule=rule_for(result.grade, bureau_of(project)),
    )


def decision_of(budget_year: BudgetYear) -> BudgetDecision | None:
    return (
        BudgetDecision.objects.filter(budget_year=budget_year)
        .select_related("evaluation", "decided_by")
        .first()
    )


# ------------------------------------------------------- next year's target review


def previous_results(project: Project, year: int) -> list[PreviousResult]:
    """What a target review of ``project``'s ``year`` cites from the years before: the
    last evaluation's score and grade, its unmet indicators, the self-evaluation against
    the third-party one of that year, and the open rectification items."""
    cited: list[PreviousResult] = []
    result = last_result(project, before_year=year)
    if result is not None:
        evaluation = result.evaluation
        cited.append(
            PreviousResult(
                kind=FlagKind.LAST_EVALUATION,
                message=_(
                    "The %(year)s evaluation scored %(total)s points, grade "
                    "“%(grade)s”: set this year's targets in its light."
                )
                % {
                    "year": evaluation.year,
                    "total": as_written(result.total),
                    "grade": result.grade,
                },
                evidence=(result.source,),
            )
        )
        cited += _unmet(result)
        cited += _self_against_third_party(evaluation)
    today = timezone.localdate()
    for item in open_items_of_project(project.pk, before_year=year):
        state = item.get_status_display()
        if item.status in (RectificationStatus.DONE, RectificationStatus.IMPOSSIBLE):
            state = _("%(status)s, awaiting verification") % {"status": state}
        elif item.deadline < today:
            state = _("%(status)s, overdue since %(deadline)s") % {
                "status": state,
                "deadline": item.deadline.isoformat(),
            }
        cited.append(
            PreviousResult(
                kind=FlagKind.OPEN_RECTIFICATION,
                message=_(
                    "Rectification item “%(title)s” is not closed (%(state)s; "
                    "responsible: %(unit)s, deadline %(deadline)s)."
                )
                % {
                    "title": item.title,
                    "state": state,
                    "unit": item.responsible.name,
                    "deadline": item.deadline.isoformat(),
                },
                evidence=(
                    _("Rectification item %(pk)s: %(source)s")
                    % {"pk": item.pk, "source": item.source_text},
                ),
            )
        )
    return cited


def _unmet(result: Result) -> list[PreviousResult]:
    evaluation = result.evaluation
    found = []
    for leaf in evaluation.indicators.filter(children__isnull=True).order_by(
        "position", "pk"
    ):
        if not leaf.target_comparator or leaf.target_number is None:
            continue
        try:
            comparator = Comparator(leaf.target_comparator)
        except ValueError:
            continue
        judgement = judge(
            comparator=comparator,
            target=leaf.target_number,
            target_unit=leaf.target_unit,
            actual=leaf.actual_number,
            actual_unit=leaf.actual_unit,
        )
        if judgement.status != "not_met":
            continue
        found.append(
            PreviousResult(
                kind=FlagKind.UNMET_INDICATOR,
                message=_(
                    "In %(year)s “%(name)s” was not met: target %(target)s, actual "
                    "%(actual)s."
                )
                % {
                    "year": evaluation.year,
                    "name": leaf.name,
                    "target": leaf.target_text or as_written(leaf.target_number),
                    "actual": leaf.actual_text
                    or f"{as_written(leaf.actual_number or Decimal(0))}{leaf.actual_unit}",
                },
                evidence=(
                    _("%(title)s, indicator “%(name)s” (%(rule)s)")
                    % {
                        "title": evaluation.title,
                        "name": leaf.name,
                        "rule": judgement.rule,
                    },
                ),
                indicator_name=leaf.name,
            )
        )
    return found


def _self_against_third_party(evaluation: Evaluation) -> list[PreviousResult]:
    self_evaluation = (
        Evaluation.objects.filter(
            project=evaluation.project,
            year=evaluation.year,
            kind=EvaluationKind.SELF,
        )
        .order_by("-pk")
        .first()
    )
    if self_evaluation is None:
        return []
    quality = self_evaluation_quality(self_evaluation)
    if quality is None:
        return []
    return [
        PreviousResult(
            kind=FlagKind.SELF_VS_THIRD_PARTY,
            message=(
                _(
                    "In %(year)s the self-evaluation scored %(self)s, the third-party "
                    "evaluation %(other)s: the self-evaluation %(difference)s points "
                    "higher%(flagged)s."
                )
                if quality.difference > 0
                else _(
                    "In %(year)s the self-evaluation scored %(self)s, the third-party "
                    "evaluation %(other)s: the self-evaluation %(difference)s points "
                    "lower%(flagged)s."
                )
            )
            % {
                "year": evaluation.year,
                "self": as_written(quality.self_total),
                "other": as_written(quality.other_total),
                "difference": as_written(abs(quality.difference)),
                "flagged": _(", more than the margin of %(margin)s")
                % {"margin": as_written(quality.margin)}
                if quality.flagged
                else "",
            },
            evidence=(
                _("Self-evaluation %(code)s against %(other)s")
                % {
                    "code": quality.self_evaluation.code,
                    "other": quality.other.code,
                },
            ),
        )
    ]
