"""``{% evaluation_verification evaluation editable %}``: beside an evaluation's linked
actual values, each one's verification against the raw records of the evaluated year, and
(for who scores) a button adopting the recomputed value as the indicator's actual value —
through the scoring page's own save (``evaluations:scores``, the row's typed actual with its
stored score, reason and applicability as they are), so the change is in its history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template

from operations.catalogue import BY_CODE
from records.reconciliation import Line, Verdict
from records.selectors import year_verification

register = template.Library()


@dataclass(frozen=True)
class LinkedLine:
    indicator: Any
    line: Line

    @property
    def adopt_text(self) -> str:
        """The recomputed value as an actual value is written (96.08%, 10119475次)."""
        value = self.line.recomputed
        if value is None:
            return ""
        text = (
            format(value.normalize(), "f")
            if value == value.to_integral()
            else str(value)
        )
        return f"{text}%" if self.line.unit == "%" else f"{text}{self.line.unit}"

    @property
    def prefix(self) -> str:
        """The row's prefix in the scoring page's one form (``row-<pk>``)."""
        return f"row-{self.indicator.pk}"

    @property
    def final_score(self) -> str:
        """The stored final score as the row posts it, so that adopting changes only
        the actual value."""
        score = self.indicator.final_score
        return "" if score is None else str(score)

    @property
    def adoptable(self) -> bool:
        return (
            self.line.verdict is Verdict.DIFFERENT and self.line.recomputed is not None
        )


def _library_codes(metric: str) -> tuple[str, ...]:
    spec = BY_CODE.get(metric)
    return spec.library_codes if spec is not None else ()


@register.inclusion_tag("records/_evaluation_verification.html")
def evaluation_verification(evaluation: Any, editable: bool = False) -> dict[str, Any]:
    project = getattr(evaluation, "project", None)
    if project is None:
        return {"rows": [], "verification": None}
    verification = year_verification(project.unit, evaluation.year)
    if verification is None:
        return {"rows": [], "verification": None, "evaluation": evaluation}
    by_library: dict[str, Line] = {}
    for line in verification.lines:
        if line.month is None:
            for code in _library_codes(line.metric):
                by_library[code] = line
    rows = []
    leaves = evaluation.indicators.filter(children__isnull=True).select_related(
        "library_indicator"
    )
    for leaf in leaves:
        library = leaf.library_indicator
        if library is not None and library.code in by_library:
            rows.append(LinkedLine(leaf, by_library[library.code]))
    return {
        "rows": rows,
        "verification": verification,
        "evaluation": evaluation,
        "organisation": project.unit,
        "editable": editable,
    }
