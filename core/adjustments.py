"""The decision on an adjustment request (``core.models.AdjustmentRequest``), once for the
budget and the target adjustments; each app's service saves it and applies its effect."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import AdjustmentRequest, AdjustmentStatus


def adjustment_decide[A: AdjustmentRequest](
    adjustment: A, *, user: AbstractBaseUser, approve: bool
) -> A:
    """Mark ``adjustment`` approved or rejected by ``user``, now (not saved: the caller
    saves it in its transaction). Two people deciding at once take turns: the row is
    re-read under a lock, and one already decided is refused."""
    locked = type(adjustment)._default_manager.select_for_update().get(pk=adjustment.pk)
    if locked.status != AdjustmentStatus.PENDING:
        raise ValidationError(_("This adjustment has already been decided."))
    adjustment.status = (
        AdjustmentStatus.APPROVED if approve else AdjustmentStatus.REJECTED
    )
    adjustment.decided_by = user  # type: ignore[assignment]
    adjustment.decided_at = timezone.now()
    return adjustment
