"""Last year's result as the target review cites it, from the app that keeps it.

Targets sits below evaluations, rectifications and results_use in the layers
(docs/architecture.md), so it never imports them: results_use hands its reader in when
Django starts (``ResultsUseConfig.ready`` calls ``provide``), as operations hands targets
its actual values (``targets/actuals.py``). Until then — or in a project without it — the
review cites no previous result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from targets.models import TargetForm
from targets.reasonableness import PreviousResult

Reader = Callable[[TargetForm], Sequence[PreviousResult]]

_reader: Reader | None = None


def provide(reader: Reader) -> None:
    """Install the reader of a form's previous results (called once, from ``ready``)."""
    global _reader
    _reader = reader


def previous_results(form: TargetForm) -> tuple[PreviousResult, ...]:
    """What the review of ``form`` cites from the years before it (none without a
    reader)."""
    return () if _reader is None else tuple(_reader(form))
