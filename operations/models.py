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

from budgets.models import Organisation
from core.people import person_name
from operations.catalogue import Aggregation, Formula, Kind

KIND_CHOICES = [(k.value, k.label) for k in Kind]
AGGREGATION_CHOICES = [(a.value, a.label) for a in Aggregation]
FORMULA_CHOICES = [
    (Formula.PERCENT.value, "分子 ÷ 分母（百分比）"),
    (Formula.LABOUR_COST_PER_10K_CALLS.value, "人工费用（万元）÷ 接听量（万次）"),
    (Formula.UNIT_LABOUR_COST.value, "人工费用（万元）÷ 月均人数"),
    (Formula.MONTHLY_TURNOVER_RATE.value, "（流失人数 ÷ 12）÷ 月均人数"),
    (Formula.SUM.value, "各项相加"),
]
ENTERED_KINDS = [Kind.COUNT.value, Kind.AMOUNT.value, Kind.DURATION.value]


class Metric(models.Model):
    code = models.SlugField("编码", max_length=64)
    name = models.CharField("名称", max_length=100)
    aliases = models.JSONField("别名", default=list, blank=True)
    kind = models.CharField("类型", max_length=10, choices=KIND_CHOICES)
    unit = models.CharField("单位", max_length=10)
    group = models.CharField("分组", max_length=20, blank=True)
    aggregation = models.CharField(
        "月度汇总方式",
        max_length=10,
        choices=AGGREGATION_CHOICES,
        default=Aggregation.SUM.value,
    )
    formula = models.CharField(
        "计算公式", max_length=30, choices=FORMULA_CHOICES, blank=True
    )
    numerator = models.ForeignKey(
        "self",
        verbose_name="分子",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    denominator = models.ForeignKey(
        "self",
        verbose_name="分母",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    parts = models.ManyToManyField(
        "self", verbose_name="组成项", symmetrical=False, blank=True, related_name="+"
    )
    bounded = models.BooleanField("分子不大于分母", default=False)
    fractional = models.BooleanField("允许小数", default=False)
    library_codes = models.JSONField("对应指标库编码", default=list, blank=True)
    description = models.TextField("说明", blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    is_custom = models.BooleanField("自定义", default=False)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="所属单位",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="custom_metrics",
    )

    class Meta:
        verbose_name = "运行指标"
        verbose_name_plural = "运行指标目录"
        ordering = ["is_custom", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_custom=True, organisation__isnull=False)
                | Q(is_custom=False, organisation__isnull=True),
                name="metric_custom_iff_organisation",
                violation_error_message="自定义指标须属于一个单位；标准指标不属于任何单位。",
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
                violation_error_message="本单位已有同名的自定义指标。",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in Kind]),
                name="metric_valid_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ENTERED_KINDS, formula="")
                | (~Q(kind__in=ENTERED_KINDS) & ~Q(formula="")),
                name="metric_formula_iff_derived",
                violation_error_message="计算指标须有公式，填报指标不能有公式。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_entered(self) -> bool:
        return self.kind in ENTERED_KINDS


class OperatingDataUpload(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        COMMITTED = "committed", "已导入"
        DISCARDED = "discarded", "已放弃"

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="填报单位",
        on_delete=models.CASCADE,
        related_name="operating_uploads",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(
        "来源", max_length=20, blank=True, help_text="种子数据、命令行；网页上传为空"
    )
    original_name = models.CharField("原文件名", max_length=255)
    stored_name = models.CharField(
        "存储文件名", max_length=255, help_text="相对于 MEDIA_ROOT，由系统生成"
    )
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("文件大小（字节）")
    file_format = models.CharField("格式", max_length=4)
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    committed_at = models.DateTimeField("导入时间", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    rows_total = models.PositiveIntegerField("数据行数", default=0)
    rows_created = models.PositiveIntegerField("新增", default=0)
    rows_updated = models.PositiveIntegerField("更新", default=0)
    rows_unchanged = models.PositiveIntegerField("未变化", default=0)
    rows_blank = models.PositiveIntegerField("未填数值", default=0)
    years = models.JSONField("涉及年度", default=list, blank=True)

    class Meta:
        verbose_name = "运行数据上传"
        verbose_name_plural = "运行数据上传"
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
        verbose_name="单位",
        on_delete=models.CASCADE,
        related_name="operating_values",
    )
    metric = models.ForeignKey(
        Metric, verbose_name="指标", on_delete=models.RESTRICT, related_name="values"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", null=True, blank=True)
    value = models.DecimalField("数值", max_digits=20, decimal_places=6)
    unit = models.CharField("单位", max_length=10)
    note = models.CharField("备注", max_length=200, blank=True)
    upload = models.ForeignKey(
        OperatingDataUpload,
        verbose_name="来源上传",
        on_delete=models.RESTRICT,
        related_name="values",
    )
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = "运行数据"
        verbose_name_plural = "运行数据"
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
                violation_error_message="计数、金额和时长不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="operating_value_month_in_year",
                violation_error_message="月份须在 1–12 之间。",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="operating_value_plausible_year",
                violation_error_message="年份须在 2000–2100 之间。",
            ),
        ]

    def __str__(self) -> str:
        period = (
            f"{self.year}年" if self.month is None else f"{self.year}年{self.month}月"
        )
        return f"{period} {self.metric.name}"


class OperatingValueChange(models.Model):
    class Action(models.TextChoices):
        CREATED = "created", "新增"
        UPDATED = "updated", "更新"

    upload = models.ForeignKey(
        OperatingDataUpload,
        verbose_name="上传",
        on_delete=models.CASCADE,
        related_name="changes",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="单位", on_delete=models.CASCADE, related_name="+"
    )
    metric = models.ForeignKey(
        Metric, verbose_name="指标", on_delete=models.RESTRICT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", null=True, blank=True)
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    old_value = models.DecimalField(
        "原数值", max_digits=20, decimal_places=6, null=True, blank=True
    )
    old_unit = models.CharField("原单位", max_length=10, blank=True)
    new_value = models.DecimalField("新数值", max_digits=20, decimal_places=6)
    new_unit = models.CharField("新单位", max_length=10)
    row_number = models.PositiveIntegerField("文件行号")
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "运行数据变更记录"
        verbose_name_plural = "运行数据变更记录"
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["organisation", "year"])]

    def __str__(self) -> str:
        return f"{self.metric} {self.year}/{self.month or '全年'} {self.get_action_display()}"
