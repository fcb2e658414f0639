"""Reads of self-evaluations (单位自评): the 自评表's rows as the unit's page shows them,
each value beside its source; which rows need 偏差原因分析及改进措施; and 自评质量, the
self-evaluation beside a third-party evaluation of the same project-year."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from budgets.models import BudgetYear
from evaluations.models import (
    Evaluation,
    EvaluationIndicator,
    EvaluationKind,
    ReviewStep,
)
from evaluations.rule_names import RULE_NAMES
from evaluations.scoring import LeafResult, RuleKind
from evaluations.selectors import ScoredEvaluation, evaluation_score
from kernel.rates import Rate
from kernel.rounding import quantize

DEFAULT_QUALITY_MARGIN = Decimal(10)
"""自评质量: the self-score may exceed the third party's by this many points unflagged."""


def needs_deviation_reason(
    indicator: EvaluationIndicator, result: LeafResult | object
) -> bool:
    """A 三级 row whose target is not met (its score below its 分值) or over-achieved
    (偏离度, ``over_achievement_ratio``) needs 偏差原因分析及改进措施; the 预算执行率 row
    (一级, in the 项目资金 part of the table) does not."""
    if indicator.level != 3 or not indicator.applicable:
        return False
    if not isinstance(result, LeafResult):
        return False
    if result.over_achieved:
        return True
    return result.final_score is not None and result.final_score < indicator.weight


def deviation_missing(scored: ScoredEvaluation) -> list[str]:
    """The names of the rows that need 偏差原因 and have none, in table order."""
    children = scored.children
    return [
        indicator.name
        for indicator in scored.indicators
        if not children.get(indicator.pk)
        and needs_deviation_reason(indicator, scored.result_for(indicator))
        and not indicator.deviation_reason.strip()
    ]


@dataclass(frozen=True)
class FundsRow:
    """项目资金: 年初预算数 / 全年预算数 (调整后) / 全年执行数, 执行率, and the 预算执行率
    row's 分值 and 得分; ``source`` names the budget year."""

    unit: str
    initial: Decimal | None
    adjusted: Decimal | None
    expenditure: Decimal | None
    rate: Rate | None
    weight: Decimal | None
    score: Decimal | None
    source: str


@dataclass(frozen=True)
class SelfRow:
    """One 三级 row of the 绩效指标 table."""

    indicator: EvaluationIndicator
    level1: str
    level2: str
    result: LeafResult
    deviation_needed: bool

    @property
    def score(self) -> Decimal | None:
        return self.result.final_score

    @property
    def computed_score(self) -> Decimal | None:
        return self.result.computed_score

    @property
    def rule_label(self) -> str:
        kind = self.indicator.rule_kind
        return str(RULE_NAMES[RuleKind(kind)]) if kind else ""

    @property
    def needs_score(self) -> bool:
        """A row whose rule needs the unit's score (定性, 评价人打分)."""
        return RuleKind(self.indicator.rule_kind or RuleKind.JUDGMENT).needs_evaluator


@dataclass(frozen=True)
class SelfEvaluationTable:
    scored: ScoredEvaluation
    funds: FundsRow
    rows: list[SelfRow]
    steps: list[ReviewStep]

    @property
    def evaluation(self) -> Evaluation:
        return self.scored.evaluation

    @property
    def missing_deviation(self) -> list[str]:
        return [
            r.indicator.name
            for r in self.rows
            if r.deviation_needed and not r.indicator.deviation_reason.strip()
        ]


BUDGET_ROW = "预算执行率"


def self_evaluation_table(evaluation: Evaluation) -> SelfEvaluationTable:
    """The 自评表 of ``evaluation`` as its page shows it (as submitted once submitted)."""
    scored = evaluation_score(evaluation)
    by_pk = {i.pk: i for i in scored.indicators}
    rows: list[SelfRow] = []
    budget_leaf: EvaluationIndicator | None = None
    for indicator in scored.indicators:
        if scored.children.get(indicator.pk):
            continue
        result = scored.result_for(indicator)
        assert isinstance(result, LeafResult)
        if indicator.level == 1:
            if indicator.name == BUDGET_ROW or budget_leaf is None:
                budget_leaf = indicator
            continue
        names: list[str] = []
        node: EvaluationIndicator | None = indicator
        while node is not None and node.parent_id is not None:
            node = by_pk.get(node.parent_id)
            if node is not None:
                names.insert(0, node.name)
        rows.append(
            SelfRow(
                indicator=indicator,
                level1=names[0] if names else "",
                level2=names[1] if len(names) > 1 else "",
                result=result,
                deviation_needed=needs_deviation_reason(indicator, result),
            )
        )
    budget = (
        BudgetYear.objects.filter(project=evaluation.project, year=evaluation.year)
        .select_related("project")
        .first()
    )
    budget_result = scored.result_for(budget_leaf) if budget_leaf else None
    funds = FundsRow(
        unit=budget.unit if budget else "",
        initial=budget.initial if budget else None,
        adjusted=budget.adjusted if budget else None,
        expenditure=budget.expenditure if budget else None,
        rate=budget.execution_rate if budget else None,
        weight=budget_leaf.weight if budget_leaf else None,
        score=(
            budget_result.final_score if isinstance(budget_result, LeafResult) else None
        ),
        source=(
            f"项目预算 {budget.year} 年度（{budget.project.code}）" if budget else ""
        ),
    )
    steps = list(evaluation.review_steps.select_related("by").order_by("at", "pk"))
    return SelfEvaluationTable(scored=scored, funds=funds, rows=rows, steps=steps)


# ------------------------------------------------------------------------ 自评质量


@dataclass(frozen=True)
class QualityLine:
    """One 一级 of either evaluation: its score, weight and 得分率 in each, and the
    difference of the rates (percentage points) where both have it."""

    name: str
    self_score: Decimal | None
    self_weight: Decimal | None
    self_rate: Decimal | None
    other_score: Decimal | None
    other_weight: Decimal | None
    other_rate: Decimal | None

    @property
    def rate_difference(self) -> Decimal | None:
        if self.self_rate is None or self.other_rate is None:
            return None
        return self.self_rate - self.other_rate


@dataclass(frozen=True)
class Quality:
    """自评质量: the self-evaluation's total against a third-party evaluation's."""

    self_evaluation: Evaluation
    other: Evaluation
    self_total: Decimal
    other_total: Decimal
    margin: Decimal
    lines: list[QualityLine]

    @property
    def difference(self) -> Decimal:
        return self.self_total - self.other_total

    @property
    def flagged(self) -> bool:
        """The self-score is higher by more than the margin."""
        return self.difference > self.margin


def _category(name: str) -> str:
    """A 一级's name without “项目” before it and “指标” after it, so a self-evaluation's
    产出指标 meets a third party's 项目产出."""
    return re.sub(r"(^项目)|(指标$)", "", name.strip())


def self_evaluation_quality(evaluation: Evaluation) -> Quality | None:
    """``evaluation`` (a self-evaluation) beside the latest third-party evaluation of the
    same project and year, or None when there is none. Totals as each was submitted
    (the engine's until then); 一级 matched by name (``_category``)."""
    if evaluation.kind != EvaluationKind.SELF or evaluation.project_id is None:
        return None
    other = (
        Evaluation.objects.filter(
            project_id=evaluation.project_id,
            year=evaluation.year,
            kind=EvaluationKind.THIRD_PARTY,
        )
        .order_by("-status", "-report_date", "-pk")
        .first()
    )
    if other is None:
        return None
    mine, theirs = evaluation_score(evaluation), evaluation_score(other)
    names: list[str] = []
    values: dict[str, dict[str, tuple[Decimal | None, Decimal, Decimal | None]]] = {}
    for side, scored in (("self", mine), ("other", theirs)):
        for root in scored.children.get(None, []):
            key = _category(root.name)
            if key not in values:
                names.append(key)
                values[key] = {}
            result = scored.result_for(root)
            score = (
                result.final_score if isinstance(result, LeafResult) else result.score
            )
            rate = (
                quantize(score / root.weight * 100)
                if score is not None and root.weight
                else None
            )
            values[key][side] = (score, root.weight, rate)
    lines = []
    for name in names:
        s = values[name].get("self", (None, None, None))
        o = values[name].get("other", (None, None, None))
        lines.append(QualityLine(name, s[0], s[1], s[2], o[0], o[1], o[2]))
    framework = evaluation.framework
    margin = framework.quality_margin if framework else DEFAULT_QUALITY_MARGIN
    return Quality(
        self_evaluation=evaluation,
        other=other,
        self_total=mine.result.total,
        other_total=theirs.result.total,
        margin=margin,
        lines=lines,
    )
