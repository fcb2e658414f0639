"""The 评分表 sheet of the evaluation workbook, through django-import-export.

One row per indicator in tree order: 一级 rows (only 一级指标 filled), 二级 rows (一级 and 二级)
and 三级 rows (all three), so the three name columns spell each indicator's place in the tree.
The first nine columns are the official 评分表 headers; the helper columns after them carry
what a round trip needs (``HELPER_HEADERS``).

- ``EvaluationScoreResource`` exports an evaluation's rows and imports them back, keyed by
  ``指标编号`` (the indicator's ``position``, its natural key inside the evaluation; rows without
  it are matched by their three names). Only 得分, 评分说明, 不适用 and 档次 of 三级 rows are
  imported, each changed row through ``evaluation_indicator_score`` (so the page, the import
  and the command meet the same validation); names and 分值 must match the evaluation.
- ``EvaluationTreeResource`` reads the same rows as a new indicator tree (``import_evaluation
  --create``): every column is imported, nothing is saved row by row; the caller assembles the
  tree (``indicator_tree``) and hands it to one service.

Errors name the sheet row and the column in Chinese (``第5行“得分”列：…``); the caller maps the
dataset's row numbers to sheet rows through ``sheet_rows``.
"""

from evaluations.resources.cells import (
    HEADERS,
    HELPER_HEADERS,
    REQUIRED_HEADERS,
    FormulaWithoutValue,
    row_message,
)
from evaluations.resources.rows import IndicatorRowsResource
from evaluations.resources.scores import Change, EvaluationScoreResource
from evaluations.resources.trees import (
    EvaluationTreeResource,
    TreeRow,
    indicator_tree,
    leaf_deviations,
    leaf_settings,
)

__all__ = [
    "HEADERS",
    "HELPER_HEADERS",
    "REQUIRED_HEADERS",
    "Change",
    "EvaluationScoreResource",
    "EvaluationTreeResource",
    "FormulaWithoutValue",
    "IndicatorRowsResource",
    "TreeRow",
    "indicator_tree",
    "leaf_deviations",
    "leaf_settings",
    "row_message",
]
