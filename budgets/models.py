"""Organisations, budget projects and their money.

Amounts are ``Decimal`` in the unit stated by the object that owns them (``AmountUnit``: 元 or
万元), never converted silently. Derived figures (调整后预算, 执行率, totals) are computed from the
stored parts by the properties below and by ``budgets.selectors``; they are never stored.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from core.concurrency import Versioned
from core.history import ChangesOnlyHistory
from core.models import AdjustmentRequest, AdjustmentStatus, optional_key
from kernel.rates import Rate

ZERO = Decimal(0)


def _amount(verbose_name: StrOrPromise, **kwargs: Any) -> Any:
    """A non-negative money amount, two decimals, in the unit of its owner."""
    return models.DecimalField(verbose_name, max_digits=16, decimal_places=2, **kwargs)


def _non_negative(model: str, *fields: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{field}__gte": 0}) | Q(**{f"{field}__isnull": True}),
            name=f"{model}_{field}_non_negative",
            violation_error_message=_("Amounts and counts cannot be negative."),
        )
        for field in fields
    ]


class AmountUnit(models.TextChoices):
    YUAN = "元", _("yuan (元)")
    WAN_YUAN = "万元", _("10,000 yuan (万元)")


class Organisation(models.Model):
    class Kind(models.TextChoices):
        FINANCE_BUREAU = "finance_bureau", _("Finance bureau")
        DEPARTMENT = "department", _("Supervising budget department")
        UNIT = "unit", _("Implementing unit")
        EVALUATOR = "evaluator", _("Third-party evaluator")
        CONTRACTOR = "contractor", _("Service contractor")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.CharField(_("region"), max_length=50, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["region", "city", "name"]

    def __str__(self) -> str:
        return self.name


class ProjectType(models.TextChoices):
    """项目类型 as the 申报表 (seed 002) lists them."""

    NEW_DECIDED = (
        "市委市政府已确定的新增项目",
        _("New project decided by the government"),
    )
    CARRIED_OVER = "结转项目", _("Carried-over project")
    ONE_OFF = "其他一次性项目", _("Other one-off project")
    RECURRING_SPECIAL = "经常性专项业务费", _("Recurring special operating expenses")
    RECURRING_OTHER = "其他经常性项目", _("Other recurring project")


class FundUse(models.TextChoices):
    """资金用途 as the 申报表 (seed 002) lists them."""

    CONSTRUCTION = "基本建设工程类", _("Capital construction")
    IT = "信息化建设类", _("IT systems")
    SUBSIDY = "政策补贴类", _("Policy subsidy")
    PURCHASED_SERVICE = "政府购买服务", _("Government-purchased service")
    ASSETS = "资产购置类", _("Asset purchase")
    OTHER = "其他事业专业类", _("Other")


class Project(models.Model):
    """A budget project (预算项目) and its 项目基本情况表."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("project name"), max_length=200)
    department = models.ForeignKey(
        Organisation,
        verbose_name=_("supervising budget department"),
        on_delete=models.PROTECT,
        related_name="supervised_projects",
    )
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("implementing unit"),
        on_delete=models.PROTECT,
        related_name="implemented_projects",
    )
    applicant = optional_key(
        Organisation, verbose_name=_("applicant"), related_name="applied_projects"
    )
    contractor = optional_key(
        Organisation,
        verbose_name=_("service contractor"),
        related_name="contracted_projects",
    )
    project_type = models.CharField(
        _("project type"), max_length=30, choices=ProjectType.choices, blank=True
    )
    fund_use = models.CharField(
        _("use of funds"), max_length=30, choices=FundUse.choices, blank=True
    )
    overview = models.TextField(_("overview"), blank=True)
    basis = models.TextField(_("basis for approval"), blank=True)
    necessity = models.TextField(_("necessity"), blank=True)
    feasibility = models.TextField(_("feasibility"), blank=True)
    safeguards = models.TextField(_("safeguarding rules and measures"), blank=True)
    implementation_plan = models.TextField(_("implementation plan"), blank=True)
    manager = models.CharField(_("project manager"), max_length=50, blank=True)
    manager_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    period_text = models.CharField(_("period as printed"), max_length=100, blank=True)
    total_budget = _amount(_("total project budget"), null=True, blank=True)
    total_budget_unit = models.CharField(
        _("unit"), max_length=4, choices=AmountUnit.choices, default=AmountUnit.WAN_YUAN
    )
    source_notes = models.TextField(_("source notes"), blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["code"]
        # lists sorted by project name (with the primary key that makes the order total)
        # read their first page off this index
        indexes = [models.Index(fields=["name", "id"], name="project_name")]
        constraints = [
            *_non_negative("project", "total_budget"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date"))
                | Q(start_date__isnull=True)
                | Q(end_date__isnull=True),
                name="project_end_after_start",
                violation_error_message=_(
                    "The end date cannot precede the start date."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectTask(models.Model):
    """A row of 项目实施内容 / 实施进度计划 with its planned start and finish as printed."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    content = models.TextField(_("content"))
    planned_start = models.CharField(_("planned start"), max_length=100, blank=True)
    planned_finish = models.CharField(_("planned finish"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("implementation task")
        verbose_name_plural = _("implementation tasks")
        ordering = ["project", "position"]

    def __str__(self) -> str:
        return self.content[:40]


class BudgetYear(Versioned):
    """A project's budget for one fiscal year: 年初预算 + 追加 − 调减 = 调整后预算.

    Its ``version`` covers the budget page: the year's figures and its lines'."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="budget_years",
    )
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    unit = models.CharField(
        _("unit"), max_length=4, choices=AmountUnit.choices, default=AmountUnit.WAN_YUAN
    )
    initial = _amount(_("initial budget"), default=ZERO)
    addition = _amount(_("supplementary budget"), default=ZERO)
    reduction = _amount(_("budget reduction"), default=ZERO)
    received = _amount(_("funds received"), null=True, blank=True)
    expenditure = _amount(_("expenditure"), null=True, blank=True)
    previous_budget = _amount(_("previous-year budget"), null=True, blank=True)
    previous_expenditure = _amount(_("previous-year execution"), null=True, blank=True)
    history = ChangesOnlyHistory()

    class Meta:
        verbose_name = _("budget year")
        verbose_name_plural = _("budget years")
        ordering = ["project", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year"],
                name="budget_year_one_per_project_year",
                violation_error_message=_(
                    "This project already has a budget for that year."
                ),
            ),
            *_non_negative(
                "budget_year",
                "initial",
                "addition",
                "reduction",
                "received",
                "expenditure",
                "previous_budget",
                "previous_expenditure",
            ),
            models.CheckConstraint(
                condition=Q(reduction__lte=F("initial") + F("addition")),
                name="budget_year_reduction_within_budget",
                violation_error_message=_(
                    "The reduction cannot exceed the initial plus supplementary budget."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="budget_year_plausible_year",
                violation_error_message=_(
                    "The fiscal year must be between 2000 and 2100."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"

    @property
    def adjusted(self) -> Decimal:
        """调整后预算 = 年初预算 + 追加 − 调减."""
        adjusted: Decimal = self.initial + self.addition - self.reduction
        return adjusted

    @property
    def receipt_rate(self) -> Rate | None:
        """资金到位率 = 到位 / 调整后预算."""
        return None if self.received is None else Rate(self.received, self.adjusted)

    @property
    def execution_rate(self) -> Rate | None:
        """预算执行率 = 支出 / 调整后预算."""
        return (
            None if self.expenditure is None else Rate(self.expenditure, self.adjusted)
        )


def _budget_year_key(related_name: str) -> models.ForeignKey[BudgetYear, BudgetYear]:
    """The budget year a row of one of its tables belongs to (deleted with it)."""
    return models.ForeignKey(
        BudgetYear,
        verbose_name=_("budget year"),
        on_delete=models.CASCADE,
        related_name=related_name,
    )


class BudgetYearRow(models.Model):
    """A row of one of a budget year's ordered tables (its lines by economic category,
    sub-projects, payroll and goods-and-services lines), numbered by ``position``; each
    table names its ``budget_year`` key with ``_budget_year_key``."""

    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["budget_year", "position"]


class EconomicCategory(models.TextChoices):
    """支出经济分类 (table 1-1 of seed 001)."""

    WAGES = "工资福利支出", _("Wages and welfare")
    GOODS_SERVICES = "商品和服务支出", _("Goods and services")
    CAPITAL = "资本性支出", _("Capital expenditure")
    TRANSFERS = "对个人和家庭的补助", _("Subsidies to individuals and households")
    OTHER = "其他支出", _("Other expenditure")


class BudgetLine(BudgetYearRow):
    """A budget year's line by economic category, with its own 到位 and 支出."""

    budget_year = _budget_year_key("lines")
    category = models.CharField(
        _("economic category"), max_length=20, choices=EconomicCategory.choices
    )
    budget = _amount(_("budget"))
    received = _amount(_("funds received"), null=True, blank=True)
    expenditure = _amount(_("expenditure"), null=True, blank=True)
    history = ChangesOnlyHistory()

    class Meta(BudgetYearRow.Meta):
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["budget_year", "category"],
                name="budget_line_one_per_category",
                violation_error_message=_(
                    "Each economic category appears once per year."
                ),
            ),
            *_non_negative("budget_line", "budget", "received", "expenditure"),
        ]

    def __str__(self) -> str:
        return self.get_category_display()

    @property
    def execution_rate(self) -> Rate | None:
        """该类别预算执行率 = 支出 / 预算."""
        return None if self.expenditure is None else Rate(self.expenditure, self.budget)

    @property
    def overspend(self) -> Decimal:
        """Expenditure above the line's budget (0 when within budget)."""
        if self.expenditure is None:
            return ZERO
        over: Decimal = self.expenditure - self.budget
        return max(over, ZERO)


class BudgetAdjustment(AdjustmentRequest):
    """预算调整: a request to raise a line's budget, with its reason. A line spent beyond its
    budget is a finding unless an approved adjustment covers the excess (seed 001)."""

    Status = AdjustmentStatus  # the shared workflow's states

    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.CASCADE,
        related_name="adjustments",
    )
    amount = _amount(_("additional budget"))

    class Meta:
        verbose_name = _("budget adjustment")
        verbose_name_plural = _("budget adjustments")
        ordering = ["line", "-requested_at"]
        constraints = [
            *_non_negative("budget_adjustment", "amount"),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="budget_adjustment_reason_required",
                violation_error_message=_("An adjustment needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} +{self.amount}"


class SubProject(BudgetYearRow):
    """项目当年投入资金构成: a sub-item of the year's budget (seed 002)."""

    budget_year = _budget_year_key("sub_projects")
    name = models.CharField(_("sub-project"), max_length=200)
    amount = _amount(_("budget amount"))

    class Meta(BudgetYearRow.Meta):
        verbose_name = _("sub-project")
        verbose_name_plural = _("sub-projects")
        constraints = [*_non_negative("sub_project", "amount")]

    def __str__(self) -> str:
        return self.name


class PayrollLine(BudgetYearRow):
    """工资福利支出明细: one position's headcount and pay (table 1-2 of seed 001)."""

    budget_year = _budget_year_key("payroll_lines")
    title = models.CharField(_("job title"), max_length=100)
    year_end_headcount = models.PositiveIntegerField(
        _("headcount at year end"), null=True, blank=True
    )
    monthly_average_headcount = models.PositiveIntegerField(
        _("monthly average headcount"), null=True, blank=True
    )
    total = _amount(_("total wages and welfare"))
    basic_pay = _amount(_("basic pay etc."))
    insurance = _amount(_("insurance"))
    housing_fund = _amount(_("housing fund"))

    class Meta(BudgetYearRow.Meta):
        verbose_name = _("payroll line")
        verbose_name_plural = _("payroll lines")
        constraints = [
            *_non_negative(
                "payroll_line", "total", "basic_pay", "insurance", "housing_fund"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class GoodsServicesLine(BudgetYearRow):
    """商品和服务支出明细: one item's actual expenditure (table 1-3 of seed 001)."""

    budget_year = _budget_year_key("goods_services_lines")
    item = models.CharField(_("item"), max_length=100)
    expenditure = _amount(_("actual expenditure"))

    class Meta(BudgetYearRow.Meta):
        verbose_name = _("goods and services line")
        verbose_name_plural = _("goods and services lines")
        constraints = [*_non_negative("goods_services_line", "expenditure")]

    def __str__(self) -> str:
        return self.item


class DepartmentBudget(models.Model):
    """部门整体资金: a whole department's income and expenditure for a year (seed 003)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="department_budgets",
    )
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    unit = models.CharField(
        _("unit"), max_length=4, choices=AmountUnit.choices, default=AmountUnit.WAN_YUAN
    )

    class Meta:
        verbose_name = _("department budget")
        verbose_name_plural = _("department budgets")
        ordering = ["organisation", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="department_budget_one_per_year",
                violation_error_message=_(
                    "This organisation already has a department budget for that year."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class IncomeSource(models.TextChoices):
    """收入 by source. The first three make up 财政拨款; all of them make up 资金总额."""

    GENERAL_PUBLIC = "一般公共预算资金", _("General public budget funds")
    GOVERNMENT_FUND = "政府性基金", _("Government funds")
    SPECIAL_ACCOUNT = "财政专户管理资金", _("Funds in special fiscal accounts")
    STATE_CAPITAL = "国有资本金", _("State capital")
    SOCIAL_SECURITY = "社保基金", _("Social security funds")
    CARRY_OVER = "上年结转资金", _("Carried over from last year")
    OTHER = "其他资金", _("Other funds")


FISCAL_APPROPRIATION_SOURCES = (
    IncomeSource.GENERAL_PUBLIC,
    IncomeSource.GOVERNMENT_FUND,
    IncomeSource.SPECIAL_ACCOUNT,
)


class DepartmentIncome(models.Model):
    department_budget = models.ForeignKey(
        DepartmentBudget,
        verbose_name=_("department budget"),
        on_delete=models.CASCADE,
        related_name="income_lines",
    )
    source = models.CharField(_("source"), max_length=20, choices=IncomeSource.choices)
    amount = _amount(_("full-year budget"))
    history = ChangesOnlyHistory()

    class Meta:
        verbose_name = _("income line")
        verbose_name_plural = _("income lines")
        ordering = ["department_budget", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["department_budget", "source"],
                name="department_income_one_per_source",
                violation_error_message=_("Each income source appears once per year."),
            ),
            *_non_negative("department_income", "amount"),
        ]

    def __str__(self) -> str:
        return self.get_source_display()


class DepartmentExpenditure(models.Model):
    """支出: the basic expenditure line or one project item, half-year plan and full year."""

    class Kind(models.TextChoices):
        BASIC = "basic", _("Basic expenditure")
        PROJECT = "project", _("Project expenditure")

    department_budget = models.ForeignKey(
        DepartmentBudget,
        verbose_name=_("department budget"),
        on_delete=models.CASCADE,
        related_name="expenditure_lines",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    half_year_plan = _amount(_("half-year planned execution"), null=True, blank=True)
    full_year_budget = _amount(_("full-year budget"))
    history = ChangesOnlyHistory()

    class Meta:
        verbose_name = _("expenditure line")
        verbose_name_plural = _("expenditure lines")
        ordering = ["department_budget", "position"]
        constraints = [
            *_non_negative(
                "department_expenditure", "half_year_plan", "full_year_budget"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DepartmentSpending(models.Model):
    """执行数: what one expenditure line of a department budget had spent from 1 January
    to the end of ``month`` (cumulative), as the department reports it for 运行监控.

    A month without a row for a line is not reported: nothing is read as zero."""

    line = models.ForeignKey(
        DepartmentExpenditure,
        verbose_name=_("expenditure line"),
        on_delete=models.CASCADE,
        related_name="spending",
    )
    month = models.PositiveSmallIntegerField(_("to the end of month"))
    amount = _amount(_("spent to date"))
    history = ChangesOnlyHistory()

    class Meta:
        verbose_name = _("spending to date")
        verbose_name_plural = _("spending to date")
        ordering = ["line", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "month"],
                name="department_spending_one_per_month",
                violation_error_message=_(
                    "This line already has its spending for that month."
                ),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="department_spending_month_in_year",
                violation_error_message=_("The month must be from 1 to 12."),
            ),
            *_non_negative("department_spending", "amount"),
        ]

    def __str__(self) -> str:
        return f"{self.line} 1–{self.month}"
