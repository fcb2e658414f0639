"""The default grade → budget recommendation rule (``GradeRule`` rows without a bureau):
written by the migration ``0002_default_grade_rules`` and, when a test database was
emptied, again by ``results_use.seeds``."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from results_use.models import BudgetAction, GradeRule

DEFAULT_RULES: Final = (
    ("优", BudgetAction.INCREASE, None, "可适当增加预算安排"),
    ("良", BudgetAction.KEEP, None, "原则上维持预算规模"),
    ("中", BudgetAction.REDUCE, Decimal("10"), "按10%比例压减预算"),
    ("差", BudgetAction.REDUCE_OR_STOP, None, "压减预算或取消项目"),
)


def default_rules_ensure() -> None:
    """Write the default rule's rows that are missing (an existing row is kept as the
    bureau left it)."""
    for grade, action, share, text in DEFAULT_RULES:
        if not GradeRule.objects.filter(bureau=None, grade=grade).exists():
            rule = GradeRule(
                bureau=None, grade=grade, action=action, share=share, text=text
            )
            rule.full_clean(validate_unique=False)
            rule.save()
