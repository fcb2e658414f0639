"""Raw hotline records, kept as Parquet files in the configured storage.

- ``RecordImport``: one imported file (web upload or ``import_records``): who, when, its
  SHA-256, size, rows and the periods it replaced. Written by the import only.
- ``RecordPartition``: the stored records of one organisation × kind × year × month — one
  Parquet file under ``records/org-<id>/year=<y>/month=<mm>/<kind>-<sha>.parquet`` with its
  SHA-256 and row count. A re-import of a period points the row at the new file in one
  transaction; readers take the file names from these rows, so they see the old period or
  the new one, never a mix.
- ``ColumnMapping``: a centre's own column names for each field of the contract
  (``records.columns``), saved once per organisation and kind.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from budgets.models import Organisation
from core.people import person_name
from records.columns import RecordKind

KIND_CHOICES = [(k.value, k.label) for k in RecordKind]


class RecordImport(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("reporting unit"),
        on_delete=models.CASCADE,
        related_name="record_imports",
    )
    kind = models.CharField(_("record kind"), max_length=10, choices=KIND_CHOICES)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("import source"), max_length=20, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField(_("file size (bytes)"))
    rows = models.PositiveBigIntegerField(_("records"))
    year = models.PositiveSmallIntegerField(_("Year"))
    months = models.JSONField(_("months replaced"), default=list)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    seconds = models.DecimalField(
        _("import time (s)"), max_digits=10, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("record import")
        verbose_name_plural = _("record imports")
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in RecordKind]),
                name="record_import_valid_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name}（{self.get_kind_display()}）"

    @property
    def importer_label(self) -> str:
        if self.imported_by is not None:
            return person_name(self.imported_by)
        return self.source or "—"


class RecordPartition(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("reporting unit"),
        on_delete=models.CASCADE,
        related_name="record_partitions",
    )
    kind = models.CharField(_("record kind"), max_length=10, choices=KIND_CHOICES)
    year = models.PositiveSmallIntegerField(_("Year"))
    month = models.PositiveSmallIntegerField(_("month"))
    record_import = models.ForeignKey(
        RecordImport,
        verbose_name=_("import"),
        on_delete=models.PROTECT,
        related_name="partitions",
    )
    stored_name = models.CharField(_("stored file name"), max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField(_("file size (bytes)"))
    rows = models.PositiveBigIntegerField(_("records"))

    class Meta:
        verbose_name = _("stored records of a month")
        verbose_name_plural = _("stored records of a month")
        ordering = ["organisation", "kind", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "year", "month"],
                name="record_partition_one_per_month",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="record_partition_month_in_year",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in RecordKind]),
                name="record_partition_valid_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}-{self.month:02d} {self.get_kind_display()}"


class ColumnMapping(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("reporting unit"),
        on_delete=models.CASCADE,
        related_name="record_column_mappings",
    )
    kind = models.CharField(_("record kind"), max_length=10, choices=KIND_CHOICES)
    columns = models.JSONField(
        _("column names"),
        default=dict,
        blank=True,
        help_text=_("field key → the centre's own column header"),
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"], name="record_mapping_one_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_kind_display()}"
