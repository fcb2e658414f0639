"""The evaluation workbook: an evaluation as xlsx for the evaluator to fill offline, and back.

- ``layout``: the four sheets as written (评分表, 评价信息, 预算执行, 存在问题与建议);
- ``reading``: an upload read safely into plain values (``ParsedWorkbook``);
- ``importing``: scores back into their evaluation (``scores_import``, all rows or none, with
  a preview), or a new self-evaluation from a workbook alone (``workbook_create``).

docs/evaluation-workbook.md documents every sheet and column.
"""

from evaluations.workbooks.importing import (
    CreateReport,
    ImportReport,
    evaluation_fingerprint,
    evaluation_of_workbook,
    evaluation_scores_seen,
    scores_import,
    workbook_create,
)
from evaluations.workbooks.layout import (
    BUDGET_SHEET,
    FINDINGS_SHEET,
    INFO_SHEET,
    SCORE_SHEET,
    workbook_export,
)
from evaluations.workbooks.reading import (
    MAX_WORKBOOK_BYTES,
    ParsedWorkbook,
    WorkbookRefused,
    read_workbook,
)

__all__ = [
    "BUDGET_SHEET",
    "FINDINGS_SHEET",
    "INFO_SHEET",
    "MAX_WORKBOOK_BYTES",
    "SCORE_SHEET",
    "CreateReport",
    "ImportReport",
    "ParsedWorkbook",
    "WorkbookRefused",
    "evaluation_fingerprint",
    "evaluation_of_workbook",
    "evaluation_scores_seen",
    "read_workbook",
    "scores_import",
    "workbook_create",
    "workbook_export",
]
