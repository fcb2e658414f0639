"""What an evaluation's stored values would be if they followed the data they come from:
the actual values from the operating data and the budget year, the 指标值 from the target
form as approved and adjusted (目标调整). Reads only; ``evaluations.services.data`` writes.

An indicator follows the data unless the evaluator typed its actual with a source
(``actual_typed``). Its score follows the rule's where it did before: a leaf whose final
score was the rule's computed score gets the rule's new score; a score the evaluator set
otherwise (judgment, or a reasoned difference) is kept and the page says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from budgets.models import BudgetYear
from evaluations.engine import leaf_input, plain_number
from evaluations.models import Evaluation, EvaluationIndicator
from evaluations.scoring import score_leaf
from kernel.rates import Rate
from operations.selectors import ActualValue, actual_values
from targets.models import TargetFormStatus, TargetIndicator
from targets.selectors import library_index

# library indicators whose actual is a rate of the budget year (the evaluation's project
# and year); the operating data give the others
FUND_ARRIVAL_RATE = "fund-arrival-rate"  # 资金到位率 = 到位 / 调整后预算
BUDGET_EXECUTION_RATE = "budget-execution-rate"  # 预算执行率 = 支出 / 调整后预算


@dataclass(frozen=True)
class FollowedValue:
    """An actual value as the data give it now, with where it comes from."""

    text: str
    number: Decimal
    unit: str
    source: str
    numerator: Decimal | None = None
    denominator: Decimal | None = None


@dataclass(frozen=True)
class DataChange:
    """A leaf whose stored actual differs from the data's: old → new, and its score."""

    indicator: EvaluationIndicator
    old_text: str
    new: FollowedValue
    old_score: Decimal | None
    new_score: Decimal | None
    score_follows_rule: bool

    @property
    def token(self) -> str:
        """What the evaluator saw, so a refresh applies exactly that (``data_token``)."""
        return f"{self.indicator.pk}={self.new.number}"


@dataclass(frozen=True)
class TargetLink:
    """A leaf and the target form indicator its 指标值 comes from (None: no link)."""

    indicator: EvaluationIndicator
    form_indicator: TargetIndicator | None
    form_approved: bool

    @property
    def form_text(self) -> str:
        return self.form_indicator.value_text if self.form_indicator else ""

    @property
    def differs(self) -> bool:
        """The stored 指标值 is not the form's as it stands now (e.g. after 目标调整)."""
        return (
            self.form_indicator is not None
            and self.indicator.target_text.strip() != self.form_text.strip()
        )

    @property
    def token(self) -> str:
        return f"{self.indicator.pk}={self.form_text}"


def data_token(items: Iterable[DataChange | TargetLink]) -> str:
    """One string naming every change shown; a service refuses when it has moved."""
    return "|".join(sorted(item.token for item in items))


_KEEP = object()  # a value ``computed_score`` leaves as stored


def computed_score(
    indicator: EvaluationIndicator,
    *,
    actual: Any = _KEEP,
    target: Any = _KEEP,
    satisfied_points: Any = _KEEP,
) -> Decimal | None:
    """The rule's score of ``indicator``, with the values given in place of its own."""
    leaf = replace(leaf_input(indicator), evaluator_score=None, reason="")
    if actual is not _KEEP:
        leaf = replace(leaf, actual=plain_number(actual))
    if target is not _KEEP:
        leaf = replace(leaf, target=plain_number(target))
    if satisfied_points is not _KEEP:
        points = tuple(int(i) for i in satisfied_points)
        leaf = replace(leaf, satisfied_points=points)
    return score_leaf(leaf).computed_score


def score_after(
    indicator: EvaluationIndicator, **values: Any
) -> tuple[Decimal | None, bool]:
    """The final score ``indicator`` gets when ``values`` (``computed_score``'s) replace
    its own, and whether it follows the rule: it does when its final score was the
    rule's (or it had none yet and the rule gives one); otherwise it is kept."""
    if not indicator.applicable:
        return indicator.final_score, False
    before = computed_score(indicator)
    if indicator.final_score is not None and indicator.final_score != before:
        return indicator.final_score, False
    after = computed_score(indicator, **values)
    if after is None:
        return indicator.final_score, False
    return after, True


def followed_values(
    evaluation: Evaluation, leaves: Sequence[EvaluationIndicator]
) -> dict[int, FollowedValue]:
    """Each leaf's actual as the data give it now (leaves the data say nothing of, and
    actuals the evaluator typed, are absent); a fixed number of queries."""
    project = evaluation.project
    following = [leaf for leaf in leaves if not leaf.actual_typed]
    if project is None or not following:
        return {}
    figures = actual_values(organisation=project.unit, year=evaluation.year)
    budget = BudgetYear.objects.filter(project=project, year=evaluation.year).first()
    library = library_index()
    found: dict[int, FollowedValue] = {}
    for leaf in following:
        entry = leaf.library_indicator or library.match(leaf.name)
        if entry is None:
            continue
        value = _budget_value(entry.code, budget, project.code) or _operating_value(
            entry.code, figures
        )
        if value is not None:
            found[leaf.pk] = value
    return found


def _budget_value(
    code: str, budget: BudgetYear | None, project_code: str
) -> FollowedValue | None:
    if budget is None or code not in (FUND_ARRIVAL_RATE, BUDGET_EXECUTION_RATE):
        return None
    rate: Rate | None = (
        budget.receipt_rate if code == FUND_ARRIVAL_RATE else budget.execution_rate
    )
    if rate is None or rate.percent is None:
        return None
    return FollowedValue(
        text=f"{rate.percent}%",
        number=rate.percent,
        unit="%",
        source=f"项目预算 {budget.year} 年度（{project_code}）",
        numerator=rate.numerator,
        denominator=rate.denominator,
    )


def _operating_value(
    code: str, figures: Mapping[str, ActualValue]
) -> FollowedValue | None:
    figure = figures.get(code)
    if figure is None:
        return None
    return FollowedValue(
        text=figure.display,
        number=figure.value,
        unit=figure.unit,
        source=figure.source[:300],
        numerator=figure.numerator,
        denominator=figure.denominator,
    )


def data_changes(
    evaluation: Evaluation, leaves: Sequence[EvaluationIndicator]
) -> list[DataChange]:
    """The leaves whose stored actual number is not the data's now, in tree order."""
    values = followed_values(evaluation, leaves)
    changes = []
    for leaf in leaves:
        new = values.get(leaf.pk)
        if new is None or plain_number(leaf.actual_number) == plain_number(new.number):
            continue
        score, follows = score_after(leaf, actual=new.number)
        changes.append(
            DataChange(
                indicator=leaf,
                old_text=leaf.actual_text
                or _shown(leaf.actual_number, leaf.actual_unit),
                new=new,
                old_score=leaf.final_score,
                new_score=score,
                score_follows_rule=follows,
            )
        )
    return changes


def target_links(
    evaluation: Evaluation, leaves: Sequence[EvaluationIndicator]
) -> list[TargetLink]:
    """Each leaf with a target or a link, beside the form indicator it is linked to (the
    leaves must come with ``target_indicator__form`` selected)."""
    links = []
    for leaf in leaves:
        form_indicator = leaf.target_indicator
        if form_indicator is None and not leaf.target_text:
            continue
        approved = (
            form_indicator is not None
            and form_indicator.form.status == TargetFormStatus.APPROVED
        )
        links.append(TargetLink(leaf, form_indicator, approved))
    return links


def _shown(number: Decimal | None, unit: str) -> str:
    if number is None:
        return "—"
    value = plain_number(number)
    return f"{value}{unit}" if unit == "%" else f"{value} {unit}".strip()
