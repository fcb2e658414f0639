"""The scoring engine for performance evaluations (绩效评价评分).

Pure Python: imports nothing from Django, reads no settings, never asks for the
time. Frozen dataclasses in, frozen dataclasses out, ``Decimal`` throughout with
one rounding rule (``kernel.rounding``: half-up to 2 places, applied once per leaf).

- ``rules`` / ``rule_params``: the scoring rules (正向, 反向, 等于, 比例, 阶梯, 清单,
  定性, 评价人打分) and their parameters;
- ``leaves``: scoring one indicator, evaluator overrides and flags;
- ``tree``: rolling scores up the indicator tree, re-scaling not-applicable
  indicators, consistency flags;
- ``grades``: 优/良/中/差 bands.

The derived hotline figures (接通率, 人工成本, 流失率 …) are ``kernel.metrics``.

The service layer maps models onto these types; nothing here knows about models.
"""

from __future__ import annotations

from .errors import ScoringError
from .flags import Flag, FlagCode, FlagKind
from .grades import DEFAULT_BANDS, GradeBand, grade_for
from .leaves import (
    DEFAULT_OVER_ACHIEVEMENT_RATIO,
    LeafInput,
    LeafResult,
    is_over_achieved,
    score_leaf,
)
from .rule_params import (
    DEFAULT_QUALITATIVE_THRESHOLDS,
    DEFAULT_QUALITATIVE_TIER_NAMES,
    ChecklistPoint,
    Direction,
    LadderSpec,
    PartialStep,
    QualitativeTier,
)
from .rules import (
    Rule,
    RuleKind,
    checklist_score,
    equal_score,
    ladder_score,
    positive_score,
    proportional_score,
    reverse_system_score,
    reverse_template_score,
    score_within_tier,
)
from .tree import NodeInput, NodeResult, TreeResult, score_tree

__all__ = [
    "DEFAULT_BANDS",
    "DEFAULT_OVER_ACHIEVEMENT_RATIO",
    "DEFAULT_QUALITATIVE_THRESHOLDS",
    "DEFAULT_QUALITATIVE_TIER_NAMES",
    "ChecklistPoint",
    "Direction",
    "Flag",
    "FlagCode",
    "FlagKind",
    "GradeBand",
    "LadderSpec",
    "LeafInput",
    "LeafResult",
    "NodeInput",
    "NodeResult",
    "PartialStep",
    "QualitativeTier",
    "Rule",
    "RuleKind",
    "ScoringError",
    "TreeResult",
    "checklist_score",
    "equal_score",
    "grade_for",
    "is_over_achieved",
    "ladder_score",
    "positive_score",
    "proportional_score",
    "reverse_system_score",
    "reverse_template_score",
    "score_leaf",
    "score_tree",
    "score_within_tier",
]
