"""Hotline operating data: the metric catalogue, uploads, values and their history.

- ``Metric``: the catalogue (运行指标目录). Standard rows come from ``catalogue.py`` through
  the data migration; a centre adds its own rows (``is_custom``, scoped to its organisation)
  without a code change. Entered metrics are counts, amounts or durations; rates, ratios and
  sums are derived from their ``numerator``/``denominator``/``parts`` and never stored.
- ``OperatingDataUpload``: one uploaded file, kept outside the web root under a generated
  name, with who, when, its SHA-256 and row counts. It is the import-level record: the import
  itself writes it, because bulk writes bypass model signals.
- ``OperatingValue``: one figure of an organisation × year × (month or the whole year), in
  the unit entered, with the upload that last set it. Re-uploading a period updates it.
- ``OperatingValueChange``: the history — every value an upload created or changed, with the
  previous value.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from budgets.models import Organisation
from core.people import person_name
from operations.catalogue import Aggregation, Formula, Kind

KIND_CHOICES = [(k.value, k.label) for k in Kind]
AGGREGATION_CHOICES = [(a.value, a.label) for a in Aggregation]
# The names pages show, in the reader's language (the choices above keep the catalogue's
# Chinese labels, which the template workbook prints).
KIND_NAMES = {
    Kind.COUNT: _("count"),
    Kind.AMOUNT: _("amount"),
    Kind.DURATION: _("duration"),
    Kind.RATE: _("rate (computed)"),
    Kind.RATIO: _("ratio (computed)"),
    Kind.SUM: _("sum (computed)"),
}
AGGREGATION_NAMES = {
    Aggregation.SUM: _("months add up"),
    Aggregation.LATEST: _("latest month"),
    Aggregation.MEAN: _("monthly average"),
    Aggregation.NONE: _("whole year only"),
}
FORMULA_CHOICES = [
    (Formula.PERCENT.value, _("numerator ÷ denominator (percentage)")),
    (
        Formula.LABOUR_COST_PER_10K_CALLS.value,
        _("labour cost (万元) ÷ calls answered (万次)"),
    ),
    (
        Formula.UNIT_LABOUR_COST.value,
        _("labour cost (万元) ÷ monthly average headcount"),
    ),
    (
        Formula.MONTHLY_TURNOVER_RATE.value,
        _("(leavers ÷ 12) ÷ monthly average headcount"),
    ),
    (Formula.SUM.value, _("sum of the parts")),
]
ENTERED_KINDS = [Kind.COUNT.value, Kind.AMOUNT.value, Kind.DURATION.value]


class Metric(models.Model):
    code = models.SlugField(_("metric code"), max_length=64)
    name = models.CharField(_("metric name"), max_length=100)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    kind = models.CharField(_("metric kind"), max_length=10, choices=KIND_CHOICES)
    unit = models.CharField(_("unit of measure"), max_length=10)
    group = models.CharField(_("metric group"), max_length=20, blank=True)
    aggregation = models.CharField(
        _("how months add up"),
        max_length=10,
        choices=AGGREGATION_CHOICES,
        default=Aggregation.SUM.value,
    )
    formula = models.CharField(
        _("formula"), max_length=30, choices=FORMULA_CHOICES, blank=True
    )
    numerator = models.ForeignKey(
        "self",
        verbose_name=_("numerator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    denominator = models.ForeignKey(
        "self",
        verbose_name=_("denominator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    parts = models.ManyToManyField(
        "self", verbose_name=_("parts"), symmetrical=False, blank=True, related_name="+"
    )
    bounded = models.BooleanField(_("numerator not above denominator"), default=False)
    fractional = models.BooleanField(_("decimals allowed"), default=False)
    library_codes = models.JSONField(
        _("indicator library codes"), default=list, blank=True
    )
    description = models.TextField(_("metric description"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_custom = models.BooleanField(_("custom"), default=False)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("unit it belongs to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="custom_metrics",
    )

    class Meta:
        verbose_name = _("operating metric")
        verbose_name_plural = _("operating metrics catalogue")
        ordering = ["is_custom", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_custom=True, organisation__isnull=False)
                | Q(is_custom=False, organisation__isnull=True),
                name="metric_custom_iff_organisation",
                violation_error_message=_(
                    "A custom metric belongs to one unit; a standard metric belongs to none."
                ),
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(organisation__isnull=True),
                name="metric_unique_standard_code",
            ),
            models.UniqueConstraint(
                fields=["organisation", "code"],
                condition=Q(organisation__isnull=False),
                name="metric_unique_custom_code",
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(organisation__isnull=True),
                name="metric_unique_standard_name",
            ),
            models.UniqueConstraint(
                fields=["organisation", "name"],
                condition=Q(organisation__isnull=False),
                name="metric_unique_custom_name",
                violation_error_message=_(
                    "Your unit already has a custom metric of that name."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in Kind]),
                name="metric_valid_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ENTERED_KINDS, formula="")
                | (~Q(kind__in=ENTERED_KINDS) & ~Q(formula="")),
                name="metric_formula_iff_derived",
                violation_error_message=_(
                    "A computed metric needs a formula; an entered metric cannot have one."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_entered(self) -> bool:
        return self.kind in ENTERED_KINDS

    @property
    def kind_name(self) -> str:
        return str(KIND_NAMES[Kind(self.kind)])

    @property
    def aggregation_name(self) -> str:
        return str(AGGREGATION_NAMES[Aggregation(self.aggregation)])


class OperatingDataUpload(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        COMMITTED = "committed", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("reporting unit"),
        on_delete=models.CASCADE,
        related_name="operating_uploads",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(
        _("upload source"),
        max_length=20,
        blank=True,
        help_text=_("seed data, command line; empty for a web upload"),
    )
    original_name = models.CharField(_("original file name"), max_length=255)
    stored_name = models.CharField(
        _("stored file name"),
        max_length=255,
        help_text=_("relative to MEDIA_ROOT, generated by the system"),
    )
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField(_("file size (bytes)"))
    file_format = models.CharField(_("file format"), max_length=4)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    status = models.CharField(
        _("upload status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
    )
    rows_total = models.PositiveIntegerField(_("data rows"), default=0)
    rows_created = models.PositiveIntegerField(_("added"), default=0)
    rows_updated = models.PositiveIntegerField(_("updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rows_blank = models.PositiveIntegerField(_("without a value"), default=0)
    years = models.JSONField(_("years covered"), default=list, blank=True)

    class Meta:
        verbose_name = _("operating data upload")
        verbose_name_plural = _("operating data upload")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "committed", "discarded"]),
                name="operating_upload_valid_status",
            ),
            models.CheckConstraint(
                condition=Q(status="committed", committed_at__isnull=False)
                | ~Q(status="committed"),
                name="operating_upload_committed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name}（{timezone.localtime(self.uploaded_at):%Y-%m-%d %H:%M}）"

    @property
    def uploader_label(self) -> str:
        if self.uploaded_by is not None:
            return person_name(self.uploaded_by)
        return self.source or "—"

    @property
    def label(self) -> str:
        """How a value's source is named to users: file, time and who."""
        when = timezone.localtime(self.committed_at or self.uploaded_at)
        return f"“{self.original_name}”（{when:%Y-%m-%d %H:%M}，{self.uploader_label}）"


class OperatingValue(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("unit of measure"),
        on_delete=models.CASCADE,
        related_name="operating_values",
    )
    metric = models.ForeignKey(
        Metric,
        verbose_name=_("metric"),
        on_delete=models.RESTRICT,
        related_name="values",
    )
    year = models.PositiveSmallIntegerField(_("Year"))
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6)
    unit = models.CharField(_("unit of measure"), max_length=10)
    note = models.CharField(_("note"), max_length=200, blank=True)
    upload = models.ForeignKey(
        OperatingDataUpload,
        verbose_name=_("source upload"),
        on_delete=models.RESTRICT,
        related_name="values",
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("Operating data")
        verbose_name_plural = _("Operating data")
        ordering = ["organisation", "year", "month", "metric__position"]
        indexes = [models.Index(fields=["organisation", "year"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "metric", "year"],
                condition=Q(month__isnull=True),
                name="operating_value_one_per_year",
            ),
            models.UniqueConstraint(
                fields=["organisation", "metric", "year", "month"],
                condition=Q(month__isnull=False),
                name="operating_value_one_per_month",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="operating_value_non_negative",
                violation_error_message=_(
                    "Counts, amounts and durations cannot be negative."
                ),
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="operating_value_month_in_year",
                violation_error_message=_("The month must lie between 1 and 12."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="operating_value_plausible_year",
                violation_error_message=_("The year must lie between 2000 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        period = (
            gettext("year %(year)s") % {"year": self.year}
            if self.month is None
            else gettext("%(month)s/%(year)s")
            % {"year": self.year, "month": self.month}
        )
        return f"{period} {self.metric.name}"


class OperatingValueChange(models.Model):
    class Action(models.TextChoices):
        CREATED = "created", _("added")
        UPDATED = "updated", _("updated")

    upload = models.ForeignKey(
        OperatingDataUpload,
        verbose_name=_("upload"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("unit of measure"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    metric = models.ForeignKey(
        Metric, verbose_name=_("metric"), on_delete=models.RESTRICT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("Year"))
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    old_value = models.DecimalField(
        _("old value"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    old_unit = models.CharField(_("old unit"), max_length=10, blank=True)
    new_value = models.DecimalField(_("new value"), max_digits=20, decimal_places=6)
    new_unit = models.CharField(_("new unit"), max_length=10)
    row_number = models.PositiveIntegerField(_("file row"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("operating data change")
        verbose_name_plural = _("operating data change")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["organisation", "year"])]

    def __str__(self) -> str:
        month = self.month or gettext("whole year")
        return f"{self.metric} {self.year}/{month} {self.get_action_display()}"
