"""Creating frameworks and evaluations with their indicator trees."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from budgets.models import Organisation, Project
from evaluations.engine import rule_of
from evaluations.models import (
    Evaluation,
    EvaluationIndicator,
    Framework,
    FrameworkIndicator,
)
from evaluations.scoring import RuleKind
from kernel.indicator_values import parse_indicator_value
from kernel.rounding import quantize
from targets.judgement import CAP_UNITS
from targets.models import TargetForm, TargetIndicator


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
    # the target form's indicator this leaf's 指标值 comes from, by its names from 一级
    # to 三级 joined by "/" ("产出指标/数量指标/设置坐席数"); empty: matched by name
    target_indicator: str = ""
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
    commissioned_by: Organisation | None = None,
    evaluator: Organisation | None = None,
    evaluator_name: str = "",
    period_text: str = "",
    period_start: date | None = None,
    period_end: date | None = None,
    report_date: date | None = None,
    opening: str = "",
    purpose: str = "",
    scope: str = "",
    basis: Sequence[str] = (),
    principles: str = "",
    methods: str = "",
    process: str = "",
    conclusion: str = "",
    annual_goal: str = "",
    grade_bands: Sequence[Mapping[str, str]] | None = None,
    over_achievement_ratio: Decimal | None = None,
    source_total: Decimal | None = None,
    source_grade: str = "",
    source_notes: str = "",
    check_weights: bool = True,
) -> Evaluation:
    """Create an evaluation with its indicator tree (weights must add up), linking each
    leaf to the approved target form's indicator of the same library indicator or name.
    ``check_weights=False`` records a tree as a published table states it, its weights
    not adding up (to 100, or to a group's) included: the engine flags them.

    ``grade_bands`` and ``over_achievement_ratio`` left out are the framework's (without
    one, the model's defaults). ``source_total`` and ``source_grade`` are what the report
    the evaluation is read from printed (kept as recorded; the published total is set
    when the evaluator submits)."""
    evaluation = Evaluation(
        code=code,
        kind=kind,
        year=year,
        title=title,
        project=project,
        organisation=organisation,
        framework=framework,
        commissioned_by=commissioned_by,
        evaluator=evaluator,
        evaluator_name=evaluator_name,
        period_text=period_text,
        period_start=period_start,
        period_end=period_end,
        report_date=report_date,
        opening=opening,
        purpose=purpose,
        scope=scope,
        basis=list(basis),
        principles=principles,
        methods=methods,
        process=process,
        conclusion=conclusion,
        annual_goal=annual_goal,
        source_total=source_total,
        source_grade=source_grade,
        source_notes=source_notes,
    )
    if grade_bands is not None:
        evaluation.grade_bands = [dict(band) for band in grade_bands]
    elif framework is not None:
        evaluation.grade_bands = framework.grade_bands
    if over_achievement_ratio is not None:
        evaluation.over_achievement_ratio = over_achievement_ratio
    elif framework is not None:
        evaluation.over_achievement_ratio = framework.over_achievement_ratio
    evaluation.full_clean()
    evaluation.save()
    if check_weights:
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


@dataclass(frozen=True)
class _TargetIndex:
    """A form's 三级 indicators by path (一级/二级/[重点工作]/三级 names) and by name."""

    by_path: Mapping[str, TargetIndicator]
    by_name: Mapping[str, list[TargetIndicator]]


def target_indicator_path(indicator: TargetIndicator) -> str:
    """The names from 一级 down to ``indicator``, joined by "/" (parents must be loaded)."""
    names = []
    node: TargetIndicator | None = indicator
    while node is not None:
        names.append(node.name)
        node = node.parent
    return "/".join(reversed(names))


def _target_index(form: TargetForm | None) -> _TargetIndex:
    if form is None:
        return _TargetIndex({}, {})
    nodes = {i.pk: i for i in form.indicators.all()}
    for node in nodes.values():  # parents from the same query, not one each
        if node.parent_id is not None:
            node.parent = nodes[node.parent_id]
    leaves = sorted(
        (i for i in nodes.values() if i.level == "level3"), key=lambda i: i.position
    )
    by_name: dict[str, list[TargetIndicator]] = {}
    for leaf in leaves:
        by_name.setdefault(leaf.name, []).append(leaf)
    return _TargetIndex({target_indicator_path(i): i for i in leaves}, by_name)


def _match_target(targets: _TargetIndex, data: IndicatorData) -> TargetIndicator | None:
    """The target form's indicator this leaf's 指标值 comes from: the one its
    ``target_indicator`` path names, else the one form indicator of the same name.

    Never by the 指标值 text: two indicators often share one ("≥80%"), and a target
    attached to another indicator prints that indicator's value as this one's."""
    if data.target_indicator:
        found = targets.by_path.get(data.target_indicator)
        if found is None:
            raise ValidationError(
                _("The target form has no indicator “%(path)s”.")
                % {"path": data.target_indicator}
            )
        return found
    same_name = targets.by_name.get(data.name, [])
    return same_name[0] if len(same_name) == 1 else None


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
                    target_indicator=target_indicator_path(leaf),
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
    if leaf.value_comparator == "=" and leaf.value_unit in CAP_UNITS:
        return RuleKind.REVERSE_TEMPLATE  # a bare sum of money or time is a ceiling
    match leaf.value_comparator:
        case "≥" | ">" | "=":
            return RuleKind.POSITIVE
        case "≤" | "<":
            return RuleKind.REVERSE_TEMPLATE
        case _:
            return RuleKind.QUALITATIVE
