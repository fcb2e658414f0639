"""Checks every write to an evaluation starts with."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from evaluations.models import Evaluation


def check_unlocked(evaluation: Evaluation) -> None:
    """A submitted evaluation no longer changes."""
    if evaluation.is_locked:
        raise ValidationError(
            _("This evaluation has been submitted and can no longer change.")
        )
