"""Evidence files attached to an indicator."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File

from evaluations.models import EvaluationIndicator, Evidence
from evaluations.services.guards import check_unlocked


def evidence_add(
    *,
    indicator: EvaluationIndicator,
    file: File,  # type: ignore[type-arg]
    description: str,
    user: AbstractBaseUser,
) -> Evidence:
    """Attach an evidence file to an indicator of an evaluation that is still open."""
    check_unlocked(indicator.evaluation)
    evidence = Evidence(indicator=indicator, file=file, description=description.strip())
    evidence.uploaded_by = user  # type: ignore[assignment]
    evidence.full_clean()
    evidence.save()
    return evidence
