"""The scoring rules' names as a page shows them, in the reader's language.

``RuleKind.label`` is the Chinese name the evaluation workbook and the printed documents
use (they reproduce Chinese documents and stay Chinese); the pages show these, through
gettext, whose zh-hans text is that same name.
"""

from __future__ import annotations

from typing import Final

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from evaluations.scoring.rules import RuleKind

RULE_NAMES: Final[dict[RuleKind, Promise]] = {
    RuleKind.POSITIVE: pgettext_lazy("scoring rule", "positive"),
    RuleKind.REVERSE_TEMPLATE: pgettext_lazy("scoring rule", "reverse (template)"),
    RuleKind.REVERSE_SYSTEM: pgettext_lazy("scoring rule", "reverse (system)"),
    RuleKind.EQUAL: pgettext_lazy("scoring rule", "equal to the target"),
    RuleKind.PROPORTIONAL: pgettext_lazy("scoring rule", "proportional"),
    RuleKind.LADDER: pgettext_lazy("scoring rule", "deduction ladder"),
    RuleKind.CHECKLIST: pgettext_lazy("scoring rule", "checklist"),
    RuleKind.QUALITATIVE: pgettext_lazy("scoring rule", "qualitative"),
    RuleKind.JUDGMENT: pgettext_lazy("scoring rule", "evaluator's score"),
}
