"""Model shapes several apps share, written once: abstract models, no tables of their own.

- ``Submitted``: who submitted a form or an evaluation, and when (targets, evaluations);
- ``Reviewed``: who decided on it, and when (a target form's review, an adjustment's);
- ``AdjustmentRequest``: a request to change approved figures, with its reason, awaiting a
  reviewer's decision (budgets' ``BudgetAdjustment``, targets' ``TargetAdjustment``);
- ``Snapshot``: what a submitted or approved record prints, frozen as plain values
  (an evaluation's, a target form's);
- ``optional_key``: an optional reference that protects what it refers to (a target form's
  or an evaluation's project and organisation, a project's applicant and contractor).

A concrete model lists one of these among its bases; the columns are those each model had
before (same names, types and options), so moving a field here changes no table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


def optional_key[M: models.Model](
    to: type[M], *, verbose_name: StrOrPromise, related_name: str
) -> models.ForeignKey[M | None, M | None]:
    """An optional foreign key to ``to``; a row it refers to cannot be deleted."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
    )


class Submitted(models.Model):
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class Reviewed(models.Model):
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class Uploaded(models.Model):
    """A file someone uploaded to support something (佐证材料): its description, who
    uploaded it and when; the model names its ``file`` (and the folder it goes to)."""

    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True


class AdjustmentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class AdjustmentRequest(Reviewed):
    """A requested change: pending until a reviewer approves or rejects it; a reason is
    required (each concrete model checks it with its own named constraint)."""

    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AdjustmentStatus.choices,
        default=AdjustmentStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        abstract = True


class Snapshot(models.Model):
    """Figures as plain JSON values (``kernel.plain``), taken at ``taken_at``; the concrete
    model adds the one-to-one key to what it freezes."""

    taken_at = models.DateTimeField(_("taken at"))
    data = models.JSONField(_("figures"))

    class Meta:
        abstract = True
