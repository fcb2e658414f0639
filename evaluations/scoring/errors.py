"""The engine's one exception type."""

from __future__ import annotations

__all__ = ["ScoringError"]


class ScoringError(ValueError):
    """A scoring rule, indicator tree or band set is malformed.

    Raised for configuration errors (bad rule parameters, negative weights,
    duplicate keys, a checklist index that does not exist). Problems in the data
    an evaluator enters (a missing actual value, a score above the weight, a blank
    reason) are never raised: they come back as ``Flag`` objects.
    """
