"""Self-evaluations (单位自评): a project's unit evaluates its own year."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from budgets.models import BudgetYear, Project
from budgets.services import BudgetLineData, budget_year_create
from core.concurrency import EditConflict, allocate, claim, model_field_label
from evaluations.data_changes import FollowedValue, computed_score, followed_values
from evaluations.engine import rule_of
from evaluations.models import (
    Evaluation,
    EvaluationIndicator,
    EvaluationKind,
    Framework,
)
from evaluations.scoring import RuleKind, score_within_tier
from evaluations.services.creation import (
    IndicatorData,
    evaluation_create,
    expand_from_target_form,
    framework_tree,
)
from evaluations.services.data import ACTUAL_TEXT_LENGTH, SOURCE_LENGTH
from evaluations.services.guards import check_unlocked
from evaluations.services.scores import (
    ActualChange,
    RowEdit,
    RowsRefused,
    ScoreChange,
    evaluation_rows_save,
)
from kernel.rounding import quantize
from kernel.units import convert_for_target
from targets.models import TargetForm, TargetFormStatus
from targets.selectors import library_index


@dataclass(frozen=True)
class BudgetRowData:
    """A budget year as a self-evaluation workbook states it (its 预算执行 sheet)."""

    unit: str
    initial: Decimal
    addition: Decimal = Decimal(0)
    reduction: Decimal = Decimal(0)
    received: Decimal | None = None
    expenditure: Decimal | None = None
    lines: Sequence[BudgetLineData] = ()


@dataclass(frozen=True)
class LeafSetting:
    """What a 三级 row of a new self-evaluation states beyond ``IndicatorData``."""

    applicable: bool = True
    tier: str = ""
    satisfied_points: tuple[int, ...] = ()
    """The 清单 review points ticked, 0-based."""


def self_evaluation_code(project: Project, year: int) -> str:
    """The first free ``<project>-<year>-self-N``."""
    number = 1
    while True:
        suffix = f"-{year}-self-{number}"
        code = project.code[: 64 - len(suffix)] + suffix
        if not Evaluation.objects.filter(code=code).exists():
            return code
        number += 1


@transaction.atomic
def self_evaluation_create(
    *,
    project: Project,
    year: int,
    indicators: Sequence[IndicatorData],
    title: str = "",
    evaluator_name: str = "",
    budget: BudgetRowData | None = None,
    leaf_settings: Mapping[tuple[str, ...], LeafSetting] | None = None,
    kind: str = EvaluationKind.SELF,
    source_total: Decimal | None = None,
    source_grade: str = "",
    check_weights: bool = True,
) -> Evaluation:
    """Create a new self-evaluation (单位自评) of ``project`` for ``year`` with its own tree.

    A published table read in keeps its own ``kind`` (评价类型), its published total and
    grade (``source_total``, ``source_grade``) and, with ``check_weights=False``, weights
    that do not add up (recorded; the engine flags them).

    The code is ``<project>-<year>-self-N``; the project's unit evaluates. ``budget`` creates
    the project's budget year when it has none (an existing one is left as it is).
    ``evaluator_name`` is the evaluator as the report names it when that is not the
    unit's own name (the unit still holds the evaluation). ``leaf_settings`` gives, by the
    path of names, what ``IndicatorData`` does not carry: whether a 三级 indicator
    applies, its qualitative tier and its 清单 review points. All or nothing.
    """
    if (
        budget is not None
        and not BudgetYear.objects.filter(project=project, year=year).exists()
    ):
        budget_year_create(
            project=project,
            year=year,
            unit=budget.unit,
            initial=budget.initial,
            addition=budget.addition,
            reduction=budget.reduction,
            received=budget.received,
            expenditure=budget.expenditure,
            lines=budget.lines,
        )
    target_form = TargetForm.objects.filter(project=project, year=year).first()
    # the code is read as the first free one, then inserted: a simultaneous creation may
    # take it first (the unique code refuses ours), and the next free one is taken
    evaluation = allocate(
        lambda attempt: evaluation_create(
            code=self_evaluation_code(project, year),
            kind=kind,
            year=year,
            title=(title or f"{project.name}{year}年度绩效自评")[:200],
            project=project,
            target_form=target_form,
            indicators=indicators,
            evaluator=project.unit,
            evaluator_name=evaluator_name,
            source_total=source_total,
            source_grade=source_grade,
            check_weights=check_weights,
        ),
        field="code",
    )
    if leaf_settings:
        nodes = list(evaluation.indicators.order_by("position"))
        by_pk = {node.pk: node for node in nodes}
        for node in nodes:
            path: list[str] = []
            current: EvaluationIndicator | None = node
            while current is not None:
                path.insert(0, current.name)
                current = by_pk.get(current.parent_id) if current.parent_id else None
            setting = leaf_settings.get(tuple(path))
            if setting is not None:
                node.applicable, node.tier = setting.applicable, setting.tier
                node.satisfied_points = list(setting.satisfied_points)
                node.full_clean()
                node.save()
    return evaluation


# ----------------------------------------------------------------- started in the browser


def _refuse(message: str) -> ValidationError:
    return ValidationError(message)


@transaction.atomic
def self_evaluation_start(*, form: TargetForm, framework: Framework) -> Evaluation:
    """Start the year's self-evaluation of ``form``'s project from the approved form (its
    values as approved and adjusted, 目标调整) and ``framework`` (the bureau's template,
    as data: its nodes marked ``expand_from_target_form`` take the form's 三级 indicators,
    sharing the node's weight).

    Pre-filled: each 三级 indicator's 年度指标值 from the form (source: the form), its
    实际完成值 where the operating data or the budget year give it (with their source,
    ``evaluations.data_changes``), the 年度总体目标's 预期目标 from the form. Scores are the
    rules' (no score is stored: the engine computes them). All or nothing."""
    form = (
        TargetForm.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=form.pk)
    )
    project = form.project
    if project is None:
        raise _refuse(
            _("A self-evaluation is of a project: %(code)s is a department form.")
            % {"code": form.code}
        )
    if form.status != TargetFormStatus.APPROVED:
        raise _refuse(
            _(
                "The target form %(code)s is %(status)s: a self-evaluation starts from "
                "an approved form."
            )
            % {"code": form.code, "status": form.get_status_display()}
        )
    started = Evaluation.objects.filter(
        kind=EvaluationKind.SELF, project=project, year=form.year
    ).exclude(target_form=None)
    existing = started.first()
    if existing is not None:
        raise _refuse(
            _(
                "The %(year)s self-evaluation of this project is already started: %(code)s."
            )
            % {"year": form.year, "code": existing.code}
        )
    tree = expand_from_target_form(framework_tree(framework), form)
    evaluation = allocate(
        lambda attempt: evaluation_create(
            code=self_evaluation_code(project, form.year),
            kind=EvaluationKind.SELF,
            year=form.year,
            title=f"{project.name}{form.year}年度绩效自评"[:200],
            project=project,
            framework=framework,
            target_form=form,
            indicators=tree,
            evaluator=project.unit,
            annual_goal=form.annual_goal or form.overall_goal,
        ),
        field="code",
    )
    evaluation.target_form = form
    evaluation.full_clean()
    evaluation.save(update_fields=["target_form"])
    leaves = list(
        evaluation.indicators.filter(children__isnull=True).select_related(
            "library_indicator"
        )
    )
    values = followed_values(evaluation, leaves)
    library = library_index()
    for leaf in leaves:
        value = values.get(leaf.pk)
        if leaf.library_indicator is None:
            leaf.library_indicator = library.match(leaf.name)
        number = _in_target_unit(leaf, value) if value is not None else None
        if value is not None and number is not None:
            leaf.actual_text = value.text[:ACTUAL_TEXT_LENGTH]
            leaf.actual_number = number
            leaf.actual_unit = leaf.target_unit or value.unit
            leaf.actual_numerator = value.numerator
            leaf.actual_denominator = value.denominator
            leaf.actual_source = value.source[:SOURCE_LENGTH]
        leaf.full_clean()
        leaf.save()
    return evaluation


def _in_target_unit(leaf: EvaluationIndicator, value: FollowedValue) -> Decimal | None:
    """The data's figure in the unit of the row's 年度指标值 (10.42 万件 against “20000
    个” is 104200), or None where the data say nothing of this row: a 定性 target, a
    rule without a target (预算执行率 takes the rate as it is), or units that count
    different things (30 条 of lines against “111.8万” of money)."""
    kind = RuleKind(leaf.rule_kind or RuleKind.JUDGMENT)
    if not kind.needs_target:
        return value.number if kind.needs_actual else None
    if leaf.target_number is None:
        return None
    if not leaf.target_unit or leaf.target_unit == value.unit:
        return value.number if leaf.target_unit or not value.unit else None
    return convert_for_target(value.number, value.unit, leaf.target_unit)


@dataclass(frozen=True)
class SelfRowEdit:
    """What the self-evaluation page changes on one 三级 row (or the 预算执行率 row); a
    part is None when it is as stored (nothing of it is written).

    ``actual`` is the 实际完成值 the unit types instead of the data's, with
    ``override_reason`` (an empty text hands the row back to the data); ``score`` a score
    the unit gives (定性 and 评价人打分 rows, or a reasoned departure from the rule's);
    ``weight`` the row's 分值 (the rows under one 一级 keep its total)."""

    indicator: EvaluationIndicator
    version: int | None
    actual: ActualChange | None = None
    override_reason: str = ""
    score: ScoreChange | None = None
    deviation_reason: str | None = None
    weight: Decimal | None = None


@transaction.atomic
def self_evaluation_rows_save(
    *, evaluation: Evaluation, edits: Sequence[SelfRowEdit], unit_name: str
) -> list[EvaluationIndicator]:
    """Save the rows the self-evaluation page changed, all of them or none (``RowsRefused``
    names each refused row). Weights first (each 一级's rows must still add up to its
    weight; a score that followed the rule follows it to the new weight), then the actual
    value and the score (``evaluation_rows_save``'s rules: versions checked, a score
    within [0, 分值], a reason where it departs from the rule), then 偏差原因."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    check_unlocked(evaluation)
    refused: dict[int, ValidationError] = {}
    for edit in edits:
        if edit.indicator.evaluation_id != evaluation.pk:
            raise ValueError("an edit of another evaluation's indicator")
    weighted = [e for e in edits if e.weight is not None]
    reweighted: set[int] = set()
    if weighted:
        refused.update(_weights_save(evaluation, weighted, reweighted))
    if refused:
        raise RowsRefused(refused)
    row_edits = []
    from_data = _data_values(evaluation, [e.indicator.pk for e in edits if e.actual])
    for edit in edits:
        actual = edit.actual
        if actual is not None and actual.text.strip():
            overrides = edit.indicator.pk in from_data
            if overrides and not edit.override_reason.strip():
                refused[edit.indicator.pk] = ValidationError(
                    {
                        "override_reason": _(
                            "Say why “%(name)s”'s actual value differs from the data."
                        )
                        % {"name": edit.indicator.name}
                    }
                )
                continue
            actual = ActualChange(
                text=actual.text,
                source=_("Entered by %(unit)s") % {"unit": unit_name},
            )
        indicator = EvaluationIndicator.objects.get(pk=edit.indicator.pk)
        version = edit.version
        if indicator.pk in reweighted and version is not None:
            version += 1  # the weight was saved in this transaction
        row_edits.append(
            RowEdit(
                indicator=indicator, version=version, score=edit.score, actual=actual
            )
        )
    if refused:
        raise RowsRefused(refused)
    evaluation_rows_save(evaluation=evaluation, edits=row_edits)
    saved = []
    label = model_field_label(EvaluationIndicator, "deviation_reason")
    for edit in edits:
        indicator = EvaluationIndicator.objects.get(pk=edit.indicator.pk)
        changed = False
        back = from_data.get(indicator.pk)
        if edit.actual is not None and not edit.actual.text.strip() and back:
            # handed back to the data: the data's value again, as when started
            number = _in_target_unit(indicator, back)
            if number is not None:
                indicator.actual_text = back.text[:ACTUAL_TEXT_LENGTH]
                indicator.actual_number = number
                indicator.actual_unit = indicator.target_unit or back.unit
                indicator.actual_numerator = back.numerator
                indicator.actual_denominator = back.denominator
                indicator.actual_source = back.source[:SOURCE_LENGTH]
                changed = True
        if edit.actual is not None:
            indicator.actual_override_reason = (
                edit.override_reason.strip() if edit.actual.text.strip() else ""
            )
            changed = True
        if edit.deviation_reason is not None:
            if not (edit.actual or edit.score or indicator.pk in reweighted):
                # its only change: claimed here (the others claimed the row already)
                try:
                    claim(
                        indicator,
                        version=edit.version,
                        what=_("the causes of deviation of “%(name)s”")
                        % {"name": indicator.name},
                        typed={label: edit.deviation_reason.strip()},
                        saved=lambda stored: {label: stored.deviation_reason},
                    )
                except EditConflict as conflict:
                    refused[indicator.pk] = conflict
                    continue
            indicator.deviation_reason = edit.deviation_reason.strip()
            changed = True
        if edit.score is not None and indicator.rule_kind == RuleKind.QUALITATIVE:
            indicator.tier = _tier_of(indicator)
            changed = True
        if changed:
            indicator.full_clean()
            indicator.save()
        saved.append(indicator)
    if refused:
        raise RowsRefused(refused)
    return saved


def _tier_of(indicator: EvaluationIndicator) -> str:
    """定性: the tier (达成/部分达成/未达成) whose band holds the unit's score — the
    self-evaluation table has no tier column, the score says it."""
    score = indicator.final_score
    if score is None:
        return ""
    for tier in rule_of(indicator).qualitative_tiers:
        if score_within_tier(indicator.weight, tier, score):
            return tier.name
    return ""


def _row_typed(edit: SelfRowEdit) -> dict[str, object]:
    """What a row with a new weight changes, by label, for a conflict's message."""
    typed: dict[str, object] = {
        model_field_label(EvaluationIndicator, "weight"): edit.weight
    }
    if edit.deviation_reason is not None:
        label = model_field_label(EvaluationIndicator, "deviation_reason")
        typed[label] = edit.deviation_reason.strip()
    return typed


def _row_saved(stored: EvaluationIndicator, edit: SelfRowEdit) -> dict[str, object]:
    saved: dict[str, object] = {
        model_field_label(EvaluationIndicator, "weight"): stored.weight
    }
    if edit.deviation_reason is not None:
        label = model_field_label(EvaluationIndicator, "deviation_reason")
        saved[label] = stored.deviation_reason
    return saved


def _data_values(
    evaluation: Evaluation, pks: Sequence[int]
) -> dict[int, FollowedValue]:
    """What the data give for these rows, whether or not the unit typed its own."""
    leaves = list(EvaluationIndicator.objects.filter(pk__in=pks))
    for leaf in leaves:
        leaf.actual_typed = False  # in memory only: asking what the data say
    found = followed_values(evaluation, leaves)
    by_pk = {leaf.pk: leaf for leaf in leaves}
    return {
        pk: value
        for pk, value in found.items()
        if _in_target_unit(by_pk[pk], value) is not None
    }


def _weights_save(
    evaluation: Evaluation, edits: Sequence[SelfRowEdit], reweighted: set[int]
) -> dict[int, ValidationError]:
    """The new 分值 of the rows given; each parent's weight becomes its children's sum and
    each 一级's must stay as it is. Refused rows by pk (nothing written then)."""
    nodes = {n.pk: n for n in evaluation.indicators.all()}
    wanted = {e.indicator.pk: e for e in edits}
    refused: dict[int, ValidationError] = {}
    for pk, edit in wanted.items():
        node = nodes[pk]
        assert edit.weight is not None
        if edit.weight < 0 or quantize(edit.weight) != edit.weight:
            refused[pk] = ValidationError(
                {"weight": _("A weight is a number ≥ 0 with at most two decimals.")}
            )
        elif node.parent_id is None and edit.weight != node.weight:
            refused[pk] = ValidationError(
                {
                    "weight": _(
                        "The weight of “%(name)s” is the framework's %(weight)s."
                    )
                    % {"name": node.name, "weight": node.weight}
                }
            )
    if refused:
        return refused
    children: dict[int | None, list[EvaluationIndicator]] = {}
    for node in nodes.values():
        children.setdefault(node.parent_id, []).append(node)

    def total(node: EvaluationIndicator) -> Decimal:
        kids = children.get(node.pk)
        if not kids:
            edit = wanted.get(node.pk)
            return (
                edit.weight
                if edit is not None and edit.weight is not None
                else node.weight
            )
        return sum((total(kid) for kid in kids), Decimal(0))

    for root in children.get(None, []):
        if children.get(root.pk) and total(root) != root.weight:
            message = _(
                "The weights under “%(name)s” add up to %(sum)s, not %(weight)s."
            ) % {"name": root.name, "sum": total(root), "weight": root.weight}
            for pk in wanted:
                if _root_of(nodes, pk) == root.pk:
                    refused[pk] = ValidationError({"weight": message})
    if refused:
        return refused
    for pk, edit in wanted.items():
        node = nodes[pk]
        assert edit.weight is not None
        if edit.weight == node.weight:
            continue
        try:
            claim(
                node,
                version=edit.version,
                what=_("the weight of “%(name)s”") % {"name": node.name},
                typed=_row_typed(edit),
                saved=functools.partial(_row_saved, edit=edit),
            )
        except EditConflict as conflict:
            refused[pk] = conflict
            continue
        followed = node.final_score is None or node.final_score == computed_score(node)
        node.weight = edit.weight
        if followed:
            node.final_score = (
                None if node.final_score is None else computed_score(node)
            )
        elif node.final_score is not None and node.final_score > node.weight:
            refused[pk] = ValidationError(
                {
                    "weight": _(
                        "The score %(score)s of “%(name)s” is above the new weight "
                        "%(weight)s: change the score first."
                    )
                    % {
                        "score": node.final_score,
                        "name": node.name,
                        "weight": node.weight,
                    }
                }
            )
            continue
        node.full_clean()
        node.save()
        reweighted.add(pk)
    for node in sorted(nodes.values(), key=lambda n: -n.level):
        kids = children.get(node.pk)
        if kids and node.parent_id is not None:
            node.weight = sum((k.weight for k in kids), Decimal(0))
            node.save(update_fields=["weight"])
    return refused


def _root_of(nodes: Mapping[int, EvaluationIndicator], pk: int) -> int:
    node = nodes[pk]
    while node.parent_id is not None:
        node = nodes[node.parent_id]
    return node.pk
