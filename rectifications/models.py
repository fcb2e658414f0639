"""问题整改: each finding of an evaluation, and each red light of a monitoring report,
tracked to its end as a rectification item (整改事项).

An item names the organisation responsible for it, the measures (整改措施), a deadline,
its status (未整改 → 整改中 → 已整改, or 无法整改 with its reason), the evidence files that
show the work done (佐证材料), and the finance bureau's verification (销号), which closes
it. Who may do what: ``rectifications.scoping``; every write: ``rectifications.services``.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from budgets.models import Organisation, Project
from core.concurrency import Versioned
from core.history import ChangesOnlyHistory
from core.models import Uploaded
from evaluations.models import Evaluation, Finding, Recommendation
from targets.models import MonitoringLine


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Not yet rectified")  # 未整改
    IN_PROGRESS = "in_progress", _("Being rectified")  # 整改中
    DONE = "done", _("Rectified")  # 已整改
    IMPOSSIBLE = "impossible", _("Cannot be rectified")  # 无法整改


OPEN_STATUSES = (RectificationStatus.OPEN, RectificationStatus.IN_PROGRESS)
"""The statuses of an item whose work is not finished (overdue once past its deadline)."""

FINISHED_STATUSES = (RectificationStatus.DONE, RectificationStatus.IMPOSSIBLE)
"""The statuses the finance bureau verifies (销号)."""


class RectificationItem(Versioned):
    """整改事项: one problem, its measures and deadline, its status, its verification."""

    # Where the problem was found: an evaluation's finding (with the recommendation that
    # answers it), or a red light of a submitted monitoring report (``monitoring_line``);
    # ``source_text`` names it.
    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_items",
    )
    finding = models.OneToOneField(
        Finding,
        verbose_name=_("finding"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_item",
    )
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_items",
    )
    monitoring_line = models.OneToOneField(
        MonitoringLine,
        verbose_name=_("monitoring line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_item",
    )
    # the project (none for a department-wide form's red light: ``responsible`` then
    # says whose it is)
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_items",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    source_text = models.CharField(_("where found"), max_length=300)
    title = models.CharField(_("problem"), max_length=200)
    problem = models.TextField(_("problem description"), blank=True)
    responsible = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        related_name="rectification_items",
    )
    measures = models.TextField(_("rectification measures"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    status_reason = models.TextField(_("why it cannot be rectified"), blank=True)
    progress = models.TextField(_("what was done"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verification_note = models.TextField(_("verification note"), blank=True)
    history = ChangesOnlyHistory()

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=RectificationStatus.IMPOSSIBLE)
                | ~Q(status_reason=""),
                name="rectification_impossible_has_reason",
                violation_error_message=_(
                    "An item that cannot be rectified needs its reason."
                ),
            ),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True)
                | Q(status__in=[s.value for s in FINISHED_STATUSES]),
                name="rectification_verified_when_finished",
                violation_error_message=_(
                    "Only a rectified item, or one that cannot be rectified, is "
                    "verified."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def is_overdue(self, today: date) -> bool:
        """Past its deadline with the work unfinished."""
        return self.status in OPEN_STATUSES and self.deadline < today


class RectificationEvidence(Uploaded):
    """A file that shows the rectification done (整改佐证材料)."""

    item = models.ForeignKey(
        RectificationItem,
        verbose_name=_("rectification item"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to="rectifications/%Y/")

    class Meta:
        verbose_name = _("rectification evidence")
        verbose_name_plural = _("rectification evidence")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.description or self.filename

    @property
    def filename(self) -> str:
        """The file's name as uploaded (without the storage folders)."""
        return (self.file.name or "").rsplit("/", 1)[-1]
