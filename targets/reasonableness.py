"""Reasonableness review of a target form (绩效目标合理性审核): pure checks, data in → flags out.

Shown to the unit before it submits and to the finance bureau when it reviews. Every flag
cites the data behind it (``Flag.evidence``): the previous year's actual and where it was
recorded, the years of history, the published standard, the sum that does not add up.

Pure Python: the caller (``targets.review_data.review_input``) reads the form, the history
of actual values (operations data, payroll detail) and the indicator library into the frozen
dataclasses below. Numbers are ``Decimal``; shares are rounded once, half-up, to two places
(``kernel.rounding``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Final

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from kernel.decimals import as_written
from kernel.indicator_values import Comparator, ParsedValue
from kernel.rounding import percent, quantize
from kernel.units import convert_for_target
from targets.judgement import effective_comparator


class FlagKind(StrEnum):
    BELOW_PREVIOUS_ACTUAL = "below_previous_actual"
    FAR_FROM_HISTORY = "far_from_history"
    MISSING_RECOMMENDED = "missing_recommended"
    QUALITATIVE_VALUE = "qualitative_value"
    COSTS_VS_BUDGET = "costs_vs_budget"
    STRUCTURE = "structure"
    BELOW_STANDARD = "below_standard"
    # last year's result, cited from the app that keeps it (targets/previous_results.py)
    LAST_EVALUATION = "last_evaluation"
    UNMET_INDICATOR = "unmet_indicator"
    SELF_VS_THIRD_PARTY = "self_vs_third_party"
    OPEN_RECTIFICATION = "open_rectification"


FLAG_TITLES: Final[Mapping[FlagKind, object]] = {
    FlagKind.BELOW_PREVIOUS_ACTUAL: gettext_lazy("Target below last year's actual"),
    FlagKind.FAR_FROM_HISTORY: gettext_lazy("Target far from history or capacity"),
    FlagKind.MISSING_RECOMMENDED: gettext_lazy("Recommended indicator missing"),
    FlagKind.QUALITATIVE_VALUE: gettext_lazy("Quantifiable but written qualitatively"),
    FlagKind.COSTS_VS_BUDGET: gettext_lazy("Cost indicators disagree with the budget"),
    FlagKind.STRUCTURE: gettext_lazy("Indicator levels not as prescribed"),
    FlagKind.BELOW_STANDARD: gettext_lazy("Below the published standard"),
    FlagKind.LAST_EVALUATION: gettext_lazy("Last year's evaluation"),
    FlagKind.UNMET_INDICATOR: gettext_lazy("Target not met last year"),
    FlagKind.SELF_VS_THIRD_PARTY: gettext_lazy("Self-evaluation against third party"),
    FlagKind.OPEN_RECTIFICATION: gettext_lazy("Rectification not closed"),
}

# Words that make a value a direction rather than a target: "显著降低", "明显提升",
# "进一步提高". A bare verb ("提升") says as little.
VAGUE_ADVERBS: Final = (
    "显著",
    "明显",
    "进一步",
    "大幅",
    "有所",
    "逐步",
    "不断",
    "稳步",
    "持续",
)
VAGUE_VERBS: Final = ("提升", "提高", "降低", "改善", "增强", "减少", "增加", "加强")

MONEY_UNITS: Final = ("元", "万元", "亿元")


@dataclass(frozen=True)
class HistoryFigure:
    """An actual value of a year, with where it was recorded (a review cites only the
    years before the form's: ``_known``)."""

    year: int
    number: Decimal
    unit: str
    label: str  # what was measured: "受理量", "月均人数"
    source: str  # "运行数据上传…", "2020 年工资福利支出明细表（表 1-2）"


@dataclass(frozen=True)
class Standard:
    text: str
    comparator: Comparator
    value: Decimal


@dataclass(frozen=True)
class Leaf:
    """A 三级 indicator with its place in the tree and its library entry."""

    key: int
    name: str
    level1: str
    level2: str
    value: ParsedValue
    library_code: str = ""
    library_name: str = ""
    library_category: str = ""
    library_unit: str = ""
    direction: str = (
        ""  # the library's: higher_better | lower_better | qualitative | ""
    )
    standard: Standard | None = None
    history: tuple[HistoryFigure, ...] = ()


@dataclass(frozen=True)
class Node:
    """Any indicator of the tree, for the structure checks."""

    key: int
    level: str  # level1 | level2 | key_task | level3
    name: str
    parent_key: int | None
    has_children: bool


@dataclass(frozen=True)
class Recommended:
    code: str
    name: str
    category: str


@dataclass(frozen=True)
class PreviousResult:
    """A result of the years before, as the app that keeps evaluations and rectification
    states it (``targets.previous_results``): cited as it is, each with its source;
    ``indicator_name`` places it beside the form's 三级 indicator of that name."""

    kind: FlagKind
    message: str
    evidence: tuple[str, ...]
    indicator_name: str = ""


@dataclass(frozen=True)
class ReviewInput:
    year: int
    leaves: tuple[Leaf, ...]
    nodes: tuple[Node, ...] = ()
    recommended: tuple[Recommended, ...] = ()
    official_level1: tuple[str, ...] = ()
    official_level2: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    funds_total: Decimal | None = None
    funds_unit: str = "万元"
    history_deviation: Decimal = Decimal("0.10")
    previous_results: tuple[PreviousResult, ...] = ()


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    message: str
    evidence: tuple[str, ...]
    indicator_key: int | None = None

    @property
    def title(self) -> str:
        return str(FLAG_TITLES[self.kind])


def review(data: ReviewInput) -> list[Flag]:
    """Every flag of the form, in the order of the checks below, each in form order."""
    return [
        *_below_previous_actual(data),
        *_far_from_history(data),
        *_missing_recommended(data),
        *_qualitative_values(data),
        *_costs_vs_budget(data),
        *_structure(data),
        *_below_standard(data),
        *_previous_results(data),
    ]


def _with_unit(value: Decimal, unit: str) -> str:
    return (
        f"{as_written(value)}{unit}"
        if unit == "%"
        else f"{as_written(value)} {unit}".rstrip()
    )


def _raises_floor(leaf: Leaf) -> bool:
    """A target that is a floor to reach, as its 指标值 is written (``judgement``: a bare
    count or rate is one, a bare amount or duration a ceiling); the library's direction
    does not turn the written comparator around."""
    comparator = effective_comparator(leaf.value.comparator, leaf.value.unit)
    return comparator in (Comparator.GE, Comparator.GT)


def _known(leaf: Leaf, year: int) -> list[HistoryFigure]:
    """The figures known when a target for ``year`` is set: earlier years' only."""
    return [f for f in leaf.history if f.year < year]


def _comparable(figure: HistoryFigure, unit: str) -> Decimal | None:
    if figure.unit == unit:
        return figure.number
    return convert_for_target(figure.number, figure.unit, unit)


def _cite(figure: HistoryFigure) -> str:
    return _("%(year)s %(label)s actual %(figure)s (source: %(source)s)") % {
        "year": figure.year,
        "label": figure.label,
        "figure": _with_unit(figure.number, figure.unit),
        "source": figure.source,
    }


def _below_previous_actual(data: ReviewInput) -> Iterator[Flag]:
    for leaf in data.leaves:
        number = leaf.value.number
        if number is None or not _raises_floor(leaf):
            continue
        previous = [f for f in _known(leaf, data.year) if f.year == data.year - 1]
        if not previous:
            continue
        figure = previous[0]
        actual = _comparable(figure, leaf.value.unit)
        if actual is None or number >= actual:
            continue
        yield Flag(
            FlagKind.BELOW_PREVIOUS_ACTUAL,
            _(
                "“%(name)s”: target %(target)s is below the %(year)s actual "
                "%(actual)s; a target should not be below last year's level."
            )
            % {
                "name": leaf.name,
                "target": leaf.value.text.strip(),
                "year": figure.year,
                "actual": _with_unit(figure.number, figure.unit),
            },
            (_cite(figure),),
            leaf.key,
        )


def _far_from_history(data: ReviewInput) -> Iterator[Flag]:
    for leaf in data.leaves:
        number = leaf.value.number
        known = _known(leaf, data.year)
        if number is None or not known:
            continue
        comparable = [
            (f, v)
            for f in sorted(known, key=lambda f: f.year)
            if (v := _comparable(f, leaf.value.unit)) is not None and v != 0
        ]
        if not comparable:
            continue
        latest, reference = comparable[-1]
        share = (number - reference) / reference
        if abs(share) <= data.history_deviation:
            continue
        history = pgettext("list", ", ").join(
            _("%(year)s: %(figure)s")
            % {"year": f.year, "figure": _with_unit(f.number, f.unit)}
            for f, _v in comparable
        )
        sentence = (
            _(
                "“%(name)s”: target %(target)s is %(share)s%% above the latest actual "
                "%(actual)s (%(label)s over the years: %(history)s), far from what "
                "is needed and feasible."
            )
            if share > 0
            else _(
                "“%(name)s”: target %(target)s is %(share)s%% below the latest actual "
                "%(actual)s (%(label)s over the years: %(history)s), far from what "
                "is needed and feasible."
            )
        )
        yield Flag(
            FlagKind.FAR_FROM_HISTORY,
            sentence
            % {
                "name": leaf.name,
                "target": leaf.value.text.strip(),
                "actual": _with_unit(latest.number, latest.unit),
                "share": abs(percent(number - reference, reference)),
                "label": latest.label,
                "history": history,
            },
            tuple(_cite(f) for f, _v in comparable),
            leaf.key,
        )


def _missing_recommended(data: ReviewInput) -> Iterator[Flag]:
    present = {leaf.library_code for leaf in data.leaves if leaf.library_code}
    for recommended in data.recommended:
        if recommended.code in present:
            continue
        related = [
            leaf.name
            for leaf in data.leaves
            if recommended.category
            and leaf.library_category == recommended.category
            and leaf.library_unit == "%"
        ]
        evidence = [
            _("Indicator library: recommended for hotline projects “%(name)s”")
            % {"name": recommended.name}
        ]
        message = _("The recommended hotline indicator “%(name)s” is not set.") % {
            "name": recommended.name
        }
        if related:
            names = pgettext("list", ", ").join(f"“{name}”" for name in related)
            message += _(
                " The similar indicators %(names)s in the form measure something "
                "else and cannot replace it."
            ) % {"names": names}
            evidence.append(_("Similar indicators: %(names)s") % {"names": names})
        yield Flag(FlagKind.MISSING_RECOMMENDED, message, tuple(evidence))


def _vague(text: str) -> bool:
    text = text.strip()
    return any(word in text for word in VAGUE_ADVERBS) or text in VAGUE_VERBS


def _qualitative_values(data: ReviewInput) -> Iterator[Flag]:
    for leaf in data.leaves:
        if leaf.value.is_quantitative or not leaf.value.text.strip():
            continue
        if not (_vague(leaf.value.text) or leaf.library_unit):
            continue
        yield Flag(
            FlagKind.QUALITATIVE_VALUE,
            _(
                "The target value “%(value)s” of “%(name)s” is qualitative and cannot "
                "be assessed; where it can be quantified, write a comparator, a number "
                "and a unit (such as “≥10%%”)."
            )
            % {"name": leaf.name, "value": leaf.value.text.strip()},
            (
                _("Target value as written: %(value)s")
                % {"value": leaf.value.text.strip()},
            ),
            leaf.key,
        )


def _costs_vs_budget(data: ReviewInput) -> Iterator[Flag]:
    if data.funds_total is None:
        return
    costs = [
        leaf
        for leaf in data.leaves
        if "成本" in leaf.level2
        and leaf.value.number is not None
        and leaf.value.unit in MONEY_UNITS
    ]
    if not costs:
        return
    total = sum(
        (
            _comparable(
                HistoryFigure(
                    0, leaf.value.number or Decimal(0), leaf.value.unit, "", ""
                ),
                data.funds_unit,
            )
            or Decimal(0)
            for leaf in costs
        ),
        Decimal(0),
    )
    if total == data.funds_total:
        return
    difference = quantize(total - data.funds_total)
    parts = " + ".join(
        _with_unit(leaf.value.number or Decimal(0), leaf.value.unit) for leaf in costs
    )
    yield Flag(
        FlagKind.COSTS_VS_BUDGET,
        _(
            "The cost indicators add up to %(total)s %(unit)s, not the project funds "
            "%(funds)s %(unit)s (a difference of %(difference)s %(unit)s)."
        )
        % {
            "total": quantize(total),
            "funds": quantize(data.funds_total),
            "difference": difference,
            "unit": data.funds_unit,
        },
        (
            _("Cost indicators: %(parts)s") % {"parts": parts},
            _("Project funds: %(funds)s %(unit)s")
            % {"funds": data.funds_total, "unit": data.funds_unit},
        ),
    )


def _structure(data: ReviewInput) -> Iterator[Flag]:
    by_key = {node.key: node for node in data.nodes}
    names = Counter((node.parent_key, node.name.strip()) for node in data.nodes)
    seen_level1 = {node.name.strip() for node in data.nodes if node.level == "level1"}
    for missing in data.official_level1:
        if missing not in seen_level1:
            yield Flag(
                FlagKind.STRUCTURE,
                _("Level-1 indicator “%(name)s” is missing.") % {"name": missing},
                (_prescribed_level1(data),),
            )
    reported: set[tuple[int | None, str]] = set()
    for node in data.nodes:
        name = node.name.strip()
        if not name:
            yield Flag(
                FlagKind.STRUCTURE,
                _("An indicator has no name."),
                (_("Name empty"),),
                node.key,
            )
        if node.level != "level3" and not node.has_children:
            yield Flag(
                FlagKind.STRUCTURE,
                _("“%(name)s” has no level-3 indicator below it.") % {"name": name},
                (
                    _("%(level)s “%(name)s” is empty")
                    % {"level": _LEVEL_NAMES.get(node.level, node.level), "name": name},
                ),
                node.key,
            )
        key = (node.parent_key, name)
        if name and names[key] > 1 and key not in reported:
            reported.add(key)
            yield Flag(
                FlagKind.STRUCTURE,
                _("“%(name)s” appears %(count)s times under the same parent.")
                % {"name": name, "count": names[key]},
                (_("Repeated name: %(name)s") % {"name": name},),
                node.key,
            )
        if (
            data.official_level1
            and node.level == "level1"
            and name not in data.official_level1
        ):
            yield Flag(
                FlagKind.STRUCTURE,
                _("Level-1 indicator “%(name)s” is not a prescribed one.")
                % {"name": name},
                (_prescribed_level1(data),),
                node.key,
            )
        if node.level == "level2" and node.parent_key in by_key:
            parent = by_key[node.parent_key].name.strip()
            allowed = data.official_level2.get(parent, ())
            if allowed and name not in allowed:
                yield Flag(
                    FlagKind.STRUCTURE,
                    _(
                        "Level-2 indicator “%(name)s” does not belong to level-1 "
                        "indicator “%(parent)s”."
                    )
                    % {"name": name, "parent": parent},
                    (
                        _("Level-2 indicators of “%(parent)s”: %(names)s")
                        % {
                            "parent": parent,
                            "names": pgettext("list", ", ").join(allowed),
                        },
                    ),
                    node.key,
                )
    for leaf in data.leaves:
        if not leaf.value.text.strip():
            yield Flag(
                FlagKind.STRUCTURE,
                _("“%(name)s” has no target value.") % {"name": leaf.name},
                (_("Target value empty"),),
                leaf.key,
            )


_LEVEL_NAMES: Final = {
    "level1": gettext_lazy("Level-1 indicator"),
    "level2": gettext_lazy("Level-2 indicator"),
    "key_task": gettext_lazy("Key task"),
}


def _prescribed_level1(data: ReviewInput) -> str:
    return _("Prescribed level-1 indicators: %(names)s") % {
        "names": pgettext("list", ", ").join(data.official_level1)
    }


def _below_standard(data: ReviewInput) -> Iterator[Flag]:
    for leaf in data.leaves:
        standard, number = leaf.standard, leaf.value.number
        if standard is None or number is None or leaf.value.unit != leaf.library_unit:
            continue
        if standard.comparator not in (Comparator.GE, Comparator.GT):
            continue
        if number > standard.value or (
            number == standard.value and leaf.value.comparator is not Comparator.LT
        ):
            continue
        yield Flag(
            FlagKind.BELOW_STANDARD,
            _(
                "“%(name)s”: target %(target)s is below the published standard "
                "%(standard)s."
            )
            % {
                "name": leaf.name,
                "target": leaf.value.text.strip(),
                "standard": f"{standard.comparator}"
                f"{_with_unit(standard.value, leaf.library_unit)}",
            },
            (standard.text,),
            leaf.key,
        )


def _previous_results(data: ReviewInput) -> Iterator[Flag]:
    """Last year's result as cited (score and grade, unmet targets, self against
    third-party, open rectification items), each beside the indicator it names."""
    keys = {leaf.name: leaf.key for leaf in data.leaves}
    for cited in data.previous_results:
        yield Flag(
            cited.kind,
            cited.message,
            cited.evidence,
            keys.get(cited.indicator_name) if cited.indicator_name else None,
        )


def flags_by_indicator(flags: Sequence[Flag]) -> dict[int, list[Flag]]:
    """The flags that name an indicator, under its key (for the grid's inline marks)."""
    found: dict[int, list[Flag]] = {}
    for flag in flags:
        if flag.indicator_key is not None:
            found.setdefault(flag.indicator_key, []).append(flag)
    return found
