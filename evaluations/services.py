"""Writes to evaluations, and the one place that maps evaluation models onto the scoring engine.

``evaluation_score`` fetches an evaluation's tree and hands plain values to
``evaluations.scoring``; everything the pages, the command and the workbook show comes from
its ``TreeResult``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets.models import BudgetYear, Organisation, Project
from budgets.services import BudgetLineData, budget_year_create
from evaluations.models import (
    Evaluation,
    EvaluationIndicator,
    EvaluationKind,
    EvaluationSnapshot,
    Evidence,
    Finding,
    Framework,
    FrameworkIndicator,
    Recommendation,
)
from evaluations.scoring import (
    Flag,
    FlagKind,
    GradeBand,
    LeafInput,
    LeafResult,
    NodeInput,
    NodeResult,
    Rule,
    RuleKind,
    TreeResult,
    score_leaf,
    score_tree,
)
from evaluations.scoring.rounding import quantize
from evaluations.snapshots import (
    apply_frozen_indicators,
    frozen_result,
    live_figures,
    snapshot_data,
)
from hotline_perf.concurrency import allocate, claim, model_field_label
from operations.selectors import actual_values
from targets.models import TargetForm, TargetIndicator
from targets.selectors import library_index
from targets.values import parse_indicator_value

# Flags an evaluator must clear before submitting; the others are information.
BLOCKING_FLAGS = frozenset(
    {
        FlagKind.REASON_MISSING,
        FlagKind.ABOVE_WEIGHT,
        FlagKind.BELOW_ZERO,
        FlagKind.WEIGHTS_MISMATCH,
        FlagKind.SCORE_MISSING,
        FlagKind.MISSING_ACTUAL,
        FlagKind.MISSING_TARGET,
        FlagKind.TIER_MISSING,
        FlagKind.INVALID_TIER,
        FlagKind.SCORE_OUTSIDE_TIER,
        FlagKind.OVER_ACHIEVEMENT,
        FlagKind.PUBLISHED_TOTAL_MISMATCH,
    }
)


# ----------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class ScoredEvaluation:
    """An evaluation, its indicators in tree order, and the engine's result for them."""

    evaluation: Evaluation
    indicators: list[EvaluationIndicator]
    children: Mapping[int | None, list[EvaluationIndicator]]
    result: TreeResult
    results: Mapping[str, NodeResult | LeafResult] = field(repr=False)

    def result_for(self, indicator: EvaluationIndicator) -> NodeResult | LeafResult:
        return self.results[_key(indicator)]

    @property
    def blocking_flags(self) -> list[Flag]:
        return [f for f in self.result.flags if f.kind in BLOCKING_FLAGS]

    def indicator_name(self, flag: Flag) -> str:
        """The indicator a flag is about, by name (the engine knows it by key)."""
        result = self.results.get(flag.indicator or "")
        return result.name if result is not None else ""


def _key(indicator: EvaluationIndicator) -> str:
    return str(indicator.pk)


def grade_bands_of(bands: Sequence[Mapping[str, Any]]) -> tuple[GradeBand, ...]:
    return tuple(GradeBand(str(b["grade"]), Decimal(str(b["minimum"]))) for b in bands)


def rule_of(indicator: EvaluationIndicator | FrameworkIndicator) -> Rule:
    return Rule(
        RuleKind(indicator.rule_kind or RuleKind.JUDGMENT), indicator.rule_params or {}
    )


def _plain(value: Decimal | None) -> Decimal | None:
    """A stored number without the column's trailing zeros (1036.3900 → 1036.39)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _leaf_input(indicator: EvaluationIndicator) -> LeafInput:
    return LeafInput(
        key=_key(indicator),
        name=indicator.name,
        weight=indicator.weight,
        rule=rule_of(indicator),
        target=_plain(indicator.target_number),
        actual=_plain(indicator.actual_number),
        satisfied_points=tuple(int(i) for i in indicator.satisfied_points or ()),
        tier=indicator.tier or None,
        evaluator_score=indicator.final_score,
        reason=indicator.reason,
        applicable=indicator.applicable,
    )


def evaluation_indicators(evaluation: Evaluation) -> list[EvaluationIndicator]:
    return list(
        evaluation.indicators.select_related("target_indicator", "library_indicator")
        .annotate(evidence_count=Count("evidence"))
        .order_by("position", "pk")
    )


def evaluation_score(
    evaluation: Evaluation, *, as_submitted: bool = True
) -> ScoredEvaluation:
    """Score ``evaluation`` with the engine (two queries, whatever the tree's size).

    A submitted evaluation is, by default, as it was submitted: the result and the
    indicators' values come from its snapshot (``evaluations.snapshots``, one query
    more); ``as_submitted=False`` scores the stored rows again, to compare."""
    indicators = evaluation_indicators(evaluation)
    children: dict[int | None, list[EvaluationIndicator]] = {}
    for indicator in indicators:
        children.setdefault(indicator.parent_id, []).append(indicator)
    snapshot = (
        EvaluationSnapshot.objects.filter(evaluation_id=evaluation.pk).first()
        if as_submitted and evaluation.is_locked
        else None
    )
    if snapshot is not None:
        apply_frozen_indicators(indicators, snapshot.data)
        return _scored(evaluation, indicators, children, frozen_result(snapshot.data))

    def build(indicator: EvaluationIndicator) -> NodeInput | LeafInput:
        kids = children.get(indicator.pk)
        if not kids:
            return _leaf_input(indicator)
        return NodeInput(
            key=_key(indicator),
            name=indicator.name,
            weight=indicator.weight,
            children=tuple(build(kid) for kid in kids),
        )

    result = score_tree(
        [build(root) for root in children.get(None, [])],
        grade_bands=grade_bands_of(evaluation.grade_bands),
        over_achievement_ratio=evaluation.over_achievement_ratio,
        published_total=evaluation.published_total,
    )
    return _scored(evaluation, indicators, children, result)


def _scored(
    evaluation: Evaluation,
    indicators: list[EvaluationIndicator],
    children: Mapping[int | None, list[EvaluationIndicator]],
    result: TreeResult,
) -> ScoredEvaluation:
    results: dict[str, NodeResult | LeafResult] = {}

    def index(items: Sequence[NodeResult | LeafResult]) -> None:
        for item in items:
            results[item.key] = item
            if isinstance(item, NodeResult):
                index(item.children)

    index(result.nodes)
    return ScoredEvaluation(
        evaluation=evaluation,
        indicators=indicators,
        children=children,
        result=result,
        results=results,
    )


# ----------------------------------------------------------------------------- writes


def _check_unlocked(evaluation: Evaluation) -> None:
    if evaluation.is_locked:
        raise ValidationError(
            _("This evaluation has been submitted and can no longer change.")
        )


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
    _check_unlocked(evaluation)
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
    leaf = replace(_leaf_input(indicator), evaluator_score=None, reason="")
    return score_leaf(leaf).computed_score


@transaction.atomic
def evaluation_submit(
    *, evaluation: Evaluation, user: AbstractBaseUser
) -> ScoredEvaluation:
    """Lock the evaluation once no blocking consistency flag remains."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    _check_unlocked(evaluation)
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


# ----------------------------------------------------------------------------- creation


@dataclass(frozen=True)
class ValueData:
    text: str = ""
    number: Decimal | None = None
    unit: str = ""
    comparator: str = ""
    source: str = ""
    numerator: Decimal | None = None
    denominator: Decimal | None = None


@dataclass(frozen=True)
class IndicatorData:
    """An indicator of a framework or an evaluation tree, with its children."""

    level: int
    name: str
    weight: Decimal
    weight_reconstructed: bool = False
    explanation: str = ""
    rule_kind: str = ""
    rule_params: Mapping[str, Any] = field(default_factory=dict)
    target: ValueData | None = None
    actual: ValueData | None = None
    final_score: Decimal | None = None
    score_reconstructed: bool = False
    published_score: Decimal | None = None
    reason: str = ""
    expand_from_target_form: str = ""
    children: Sequence[IndicatorData] = ()


@transaction.atomic
def framework_create(
    *,
    code: str,
    name: str,
    indicators: Sequence[IndicatorData],
    description: str = "",
    grade_bands: Sequence[Mapping[str, str]] | None = None,
    source_notes: str = "",
) -> Framework:
    """Create a framework; its weighted tree is checked by the engine's rules first."""
    framework = Framework(
        code=code, name=name, description=description, source_notes=source_notes
    )
    if grade_bands is not None:
        framework.grade_bands = [dict(b) for b in grade_bands]
    framework.full_clean()
    framework.save()
    _check_weights(indicators, framework.total_weight, name)

    def build(
        data: IndicatorData, parent: FrameworkIndicator | None
    ) -> FrameworkIndicator:
        return FrameworkIndicator(
            framework=framework,
            parent=parent,
            expand_from_target_form=data.expand_from_target_form,
            **_shared_fields(data),
        )

    _save_tree(indicators, build)
    return framework


def _shared_fields(data: IndicatorData) -> dict[str, Any]:
    """The fields a framework indicator and an evaluation indicator share; only leaves
    carry a rule (``position`` is set by ``_save_tree``)."""
    return {
        "level": data.level,
        "name": data.name,
        "weight": data.weight,
        "weight_reconstructed": data.weight_reconstructed,
        "explanation": data.explanation,
        "rule_kind": data.rule_kind if not data.children else "",
        "rule_params": dict(data.rule_params) if not data.children else {},
    }


def _save_tree[N: FrameworkIndicator | EvaluationIndicator](
    indicators: Sequence[IndicatorData],
    build: Callable[[IndicatorData, N | None], N],
) -> None:
    """Save a tree in pre-order, numbering positions 1, 2, … in that order; each leaf's rule
    is checked by the engine (unknown kind or bad parameters raise) before it is saved."""
    position = 0

    def add(data: IndicatorData, parent: N | None) -> None:
        nonlocal position
        position += 1
        node = build(data, parent)
        node.position = position
        if node.rule_kind:
            rule_of(node)
        node.full_clean()
        node.save()
        for child in data.children:
            add(child, node)

    for root in indicators:
        add(root, None)


def _check_weights(
    indicators: Sequence[IndicatorData], total: Decimal, where: str
) -> None:
    """Children's weights sum to their parent's; the roots to ``total``."""
    if sum((i.weight for i in indicators), Decimal(0)) != total:
        raise ValidationError(
            _("The weights under %(name)s do not add up to %(total)s.")
            % {"name": where, "total": total}
        )
    for indicator in indicators:
        if indicator.children:
            _check_weights(indicator.children, indicator.weight, indicator.name)


@transaction.atomic
def evaluation_create(
    *,
    code: str,
    kind: str,
    year: int,
    title: str,
    indicators: Sequence[IndicatorData],
    project: Project | None = None,
    organisation: Organisation | None = None,
    framework: Framework | None = None,
    target_form: TargetForm | None = None,
    fields: Mapping[str, Any] | None = None,
) -> Evaluation:
    """Create an evaluation with its indicator tree (weights must add up), linking each
    leaf to the approved target form's indicator of the same library indicator or name."""
    evaluation = Evaluation(
        code=code,
        kind=kind,
        year=year,
        title=title,
        project=project,
        organisation=organisation,
        framework=framework,
        **dict(fields or {}),
    )
    if framework is not None and not fields:
        evaluation.grade_bands = framework.grade_bands
        evaluation.over_achievement_ratio = framework.over_achievement_ratio
    evaluation.full_clean()
    evaluation.save()
    _check_weights(indicators, Decimal(100), title)
    targets = _target_index(target_form)

    def build(
        data: IndicatorData, parent: EvaluationIndicator | None
    ) -> EvaluationIndicator:
        node = EvaluationIndicator(
            evaluation=evaluation,
            parent=parent,
            final_score=data.final_score if not data.children else None,
            published_score=data.published_score,
            score_reconstructed=data.score_reconstructed,
            reason=data.reason,
            **_shared_fields(data),
        )
        if not data.children:
            _set_value(node, "target", data.target)
            _set_value(node, "actual", data.actual)
            node.target_indicator = _match_target(targets, data)
        return node

    _save_tree(indicators, build)
    return evaluation


def _set_value(node: EvaluationIndicator, prefix: str, value: ValueData | None) -> None:
    if value is None:
        return
    number, unit, comparator = value.number, value.unit, value.comparator
    if number is None and value.text:
        parsed = parse_indicator_value(value.text)
        number, unit = parsed.number, unit or parsed.unit
        if prefix == "target" and not comparator and parsed.is_quantitative:
            comparator = parsed.comparator.value
    setattr(node, f"{prefix}_text", value.text)
    setattr(node, f"{prefix}_number", number)
    setattr(node, f"{prefix}_unit", unit)
    setattr(node, f"{prefix}_source", value.source)
    if prefix == "target":
        node.target_comparator = comparator
    else:
        node.actual_numerator, node.actual_denominator = (
            value.numerator,
            value.denominator,
        )


def _target_index(form: TargetForm | None) -> dict[str, TargetIndicator]:
    if form is None:
        return {}
    return {
        i.value_text: i
        for i in form.indicators.filter(level="level3").order_by("position")
        if i.value_text
    }


def _match_target(
    targets: Mapping[str, TargetIndicator], data: IndicatorData
) -> TargetIndicator | None:
    """The target form's indicator whose 指标值 the evaluation's target quotes."""
    if data.target is None or not data.target.text:
        return None
    return targets.get(data.target.text)


@transaction.atomic
def finding_add(
    *,
    evaluation: Evaluation,
    title: str,
    text: str,
    indicator_names: Sequence[str] = (),
) -> Finding:
    def add(attempt: int) -> Finding:
        finding = Finding(
            evaluation=evaluation,
            position=_next_position(evaluation.findings.all()),
            title=title,
            text=text,
        )
        finding.full_clean(exclude=["position"])  # a taken one: refused, retried
        finding.save()
        return finding

    finding = allocate(add, field="position")
    if indicator_names:
        indicators = list(evaluation.indicators.filter(name__in=indicator_names))
        unknown = set(indicator_names) - {i.name for i in indicators}
        if unknown:
            raise ValidationError(
                _("Unknown indicators: %(names)s")
                % {"names": "、".join(sorted(unknown))}
            )
        finding.indicators.set(indicators)
    return finding


def recommendation_add(
    *, evaluation: Evaluation, title: str, text: str, finding: Finding | None = None
) -> Recommendation:
    def add(attempt: int) -> Recommendation:
        recommendation = Recommendation(
            evaluation=evaluation,
            position=_next_position(evaluation.recommendations.all()),
            title=title,
            text=text,
            finding=finding,
        )
        recommendation.full_clean(exclude=["position"])  # a taken one: retried
        recommendation.save()
        return recommendation

    return allocate(add, field="position")


def _next_position(rows: QuerySet[Finding] | QuerySet[Recommendation]) -> int:
    """The last position + 1 (read, then inserted: ``allocate`` retries a collision)."""
    last = rows.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def framework_tree(framework: Framework) -> list[IndicatorData]:
    """The framework's tree as creation data, in order."""
    nodes = list(framework.indicators.order_by("position", "pk"))
    children: dict[int | None, list[FrameworkIndicator]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def data(node: FrameworkIndicator) -> IndicatorData:
        return IndicatorData(
            level=node.level,
            name=node.name,
            weight=node.weight,
            weight_reconstructed=node.weight_reconstructed,
            explanation=node.explanation,
            rule_kind=node.rule_kind,
            rule_params=node.rule_params,
            expand_from_target_form=node.expand_from_target_form,
            children=[data(kid) for kid in children.get(node.pk, [])],
        )

    return [data(root) for root in children.get(None, [])]


def _share(weight: Decimal, count: int) -> list[Decimal]:
    """``weight`` split into ``count`` two-decimal parts that add up exactly (the remainder
    of the rounding goes to the last part)."""
    if count == 0:
        return []
    part = quantize(weight / count)
    return [part] * (count - 1) + [weight - part * (count - 1)]


def expand_from_target_form(
    tree: Sequence[IndicatorData], form: TargetForm | None
) -> list[IndicatorData]:
    """Replace every node marked ``expand_from_target_form`` by the form's indicators of that
    一级 category ("*": all of them), sharing the node's weight equally among the 三级."""
    if form is None:
        return list(tree)
    leaves = list(
        form.indicators.filter(level="level3")
        .select_related("parent__parent__parent")
        .order_by("position")
    )

    def level1_of(leaf: TargetIndicator) -> TargetIndicator:
        node = leaf
        while node.parent is not None:
            node = node.parent
        return node

    def expand(node: IndicatorData) -> IndicatorData:
        if not node.expand_from_target_form:
            return replace(node, children=[expand(c) for c in node.children])
        wanted = node.expand_from_target_form
        chosen = [
            leaf for leaf in leaves if wanted == "*" or level1_of(leaf).name == wanted
        ]
        if not chosen:
            raise ValidationError(
                _("The target form has no indicators under “%(category)s”.")
                % {"category": wanted}
            )
        groups: dict[str, list[TargetIndicator]] = {}
        for leaf in chosen:
            group = level1_of(leaf) if wanted == "*" else (leaf.parent or leaf)
            groups.setdefault(group.name, []).append(leaf)
        weights = iter(_share(node.weight, len(chosen)))
        children = []
        for group_name, members in groups.items():
            kids = [
                IndicatorData(
                    level=min(node.level + 2, 3),
                    name=leaf.name,
                    weight=next(weights),
                    rule_kind=_rule_for_target(leaf),
                    target=ValueData(
                        text=leaf.value_text,
                        number=leaf.value_number,
                        unit=leaf.value_unit,
                        comparator=leaf.value_comparator,
                        source=_("Target form %(code)s") % {"code": form.code},
                    ),
                )
                for leaf in members
            ]
            children.append(
                IndicatorData(
                    level=node.level + 1,
                    name=group_name,
                    weight=sum((k.weight for k in kids), Decimal(0)),
                    children=kids,
                )
            )
        return replace(node, expand_from_target_form="", children=children)

    return [expand(node) for node in tree]


def _rule_for_target(leaf: TargetIndicator) -> str:
    """正向 for a quantitative target pointing up, 反向 for ≤/<, otherwise evaluator judgment."""
    match leaf.value_comparator:
        case "≥" | ">" | "=":
            return RuleKind.POSITIVE
        case "≤" | "<":
            return RuleKind.REVERSE_TEMPLATE
        case _:
            return RuleKind.QUALITATIVE


def evidence_add(
    *,
    indicator: EvaluationIndicator,
    file: File,  # type: ignore[type-arg]
    description: str,
    user: AbstractBaseUser,
) -> Evidence:
    """Attach an evidence file to an indicator of an evaluation that is still open."""
    _check_unlocked(indicator.evaluation)
    evidence = Evidence(indicator=indicator, file=file, description=description.strip())
    evidence.uploaded_by = user  # type: ignore[assignment]
    evidence.full_clean()
    evidence.save()
    return evidence


# ----------------------------------------------------------------------------- self-evaluation


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
    budget: BudgetRowData | None = None,
    leaf_settings: Mapping[tuple[str, ...], tuple[bool, str]] | None = None,
) -> Evaluation:
    """Create a new self-evaluation (单位自评) of ``project`` for ``year`` with its own tree.

    The code is ``<project>-<year>-self-N``; the project's unit evaluates. ``budget`` creates
    the project's budget year when it has none (an existing one is left as it is).
    ``leaf_settings`` gives, by the path of names, what ``IndicatorData`` does not carry:
    whether a 三级 indicator applies and its qualitative tier. All or nothing.
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
            kind=EvaluationKind.SELF,
            year=year,
            title=(title or f"{project.name}{year}年度绩效自评")[:200],
            project=project,
            target_form=target_form,
            indicators=indicators,
            fields={"evaluator": project.unit},
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
                node.applicable, node.tier = setting
                node.full_clean()
                node.save()
    return evaluation


# ----------------------------------------------------------------------------- actual values


@transaction.atomic
def evaluation_actuals_from_operating_data(*, evaluation: Evaluation) -> list[str]:
    """Take each 三级 indicator's actual value from the operating data the hotline centre
    uploaded for the evaluated year, instead of retyping it; returns the names updated.

    An indicator is matched through the indicator library (its own link, else its name).
    The number, unit and — for rates — numerator and denominator come from the upload, and
    the source names the upload. The printed text is kept when it states the same number.
    """
    _check_unlocked(evaluation)
    if evaluation.project is None:
        return []
    figures = actual_values(organisation=evaluation.project.unit, year=evaluation.year)
    if not figures:
        return []
    library = library_index()
    updated = []
    for indicator in evaluation.indicators.filter(children__isnull=True):
        library_indicator = indicator.library_indicator or library.match(indicator.name)
        if library_indicator is None or library_indicator.code not in figures:
            continue
        figure = figures[library_indicator.code]
        if _plain(indicator.actual_number) != _plain(figure.value):
            indicator.actual_text = figure.display
        indicator.library_indicator = library_indicator
        indicator.actual_number = figure.value
        indicator.actual_unit = figure.unit
        indicator.actual_numerator = figure.numerator
        indicator.actual_denominator = figure.denominator
        indicator.actual_source = figure.source[:300]
        indicator.full_clean()
        indicator.save()
        updated.append(indicator.name)
    return updated
