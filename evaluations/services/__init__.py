"""Writes to evaluations, one module per concern; import them from here.

- ``creation``: frameworks and evaluations with their indicator trees, and a target form's
  indicators expanded into a tree;
- ``scores``: the evaluator's score of one indicator, and the scoring page's rows saved
  as one;
- ``submission``: submitting, and the snapshot a submitted evaluation prints from;
- ``findings``: findings and recommendations; ``evidence``: evidence files;
- ``self_evaluation``: a unit's self-evaluation of its project-year;
- ``actuals``: actual values taken from the uploaded operating data;
- ``report``: the report's sections as the evaluator writes them.

Reads, the scored tree (``evaluation_score``) among them, are in ``evaluations.selectors``;
the mapping of models onto the scoring engine is ``evaluations.engine``.
"""

from evaluations.services.actuals import evaluation_actuals_from_operating_data
from evaluations.services.creation import (
    IndicatorData,
    ValueData,
    evaluation_create,
    expand_from_target_form,
    framework_create,
    framework_tree,
)
from evaluations.services.evidence import evidence_add
from evaluations.services.findings import finding_add, recommendation_add
from evaluations.services.report import (
    SectionData,
    report_section_append,
    report_section_save,
    report_sections_replace,
)
from evaluations.services.scores import (
    RowEdit,
    RowsRefused,
    ScoreChange,
    evaluation_indicator_score,
    evaluation_rows_save,
)
from evaluations.services.self_evaluation import (
    BudgetRowData,
    self_evaluation_code,
    self_evaluation_create,
)
from evaluations.services.submission import (
    evaluation_snapshot_take,
    evaluation_snapshots_take_missing,
    evaluation_submit,
)

__all__ = [
    "BudgetRowData",
    "IndicatorData",
    "RowEdit",
    "RowsRefused",
    "ScoreChange",
    "SectionData",
    "ValueData",
    "evaluation_actuals_from_operating_data",
    "evaluation_create",
    "evaluation_indicator_score",
    "evaluation_rows_save",
    "evaluation_snapshot_take",
    "evaluation_snapshots_take_missing",
    "evaluation_submit",
    "evidence_add",
    "expand_from_target_form",
    "finding_add",
    "framework_create",
    "framework_tree",
    "recommendation_add",
    "report_section_append",
    "report_section_save",
    "report_sections_replace",
    "self_evaluation_code",
    "self_evaluation_create",
]
