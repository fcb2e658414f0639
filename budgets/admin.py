from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from budgets.models import (
    BudgetAdjustment,
    BudgetLine,
    BudgetYear,
    DepartmentBudget,
    DepartmentExpenditure,
    DepartmentIncome,
    DepartmentSpending,
    GoodsServicesLine,
    Organisation,
    PayrollLine,
    Project,
    ProjectTask,
    SubProject,
)
from core.admin import HistoryRecordAdmin


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "code", "kind", "region", "city", "parent"]
    list_filter = ["kind", "region", "city"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]


class ProjectTaskInline(admin.TabularInline[ProjectTask, Project]):
    model = ProjectTask
    extra = 0


class BudgetYearInline(admin.TabularInline[BudgetYear, Project]):
    model = BudgetYear
    extra = 0
    fields = [
        "year",
        "unit",
        "initial",
        "addition",
        "reduction",
        "received",
        "expenditure",
    ]
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin[Project]):
    list_display = ["name", "code", "department", "unit", "start_date", "end_date"]
    list_filter = ["department__region", "department__city", "project_type", "fund_use"]
    search_fields = ["name", "code", "department__name", "unit__name"]
    autocomplete_fields = ["department", "unit", "applicant", "contractor"]
    inlines = [ProjectTaskInline, BudgetYearInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "name",
                    "department",
                    "unit",
                    "applicant",
                    "contractor",
                ]
            },
        ),
        (_("Classification"), {"fields": ["project_type", "fund_use"]}),
        (
            _("Project information"),
            {
                "fields": [
                    "overview",
                    "basis",
                    "necessity",
                    "feasibility",
                    "safeguards",
                    "implementation_plan",
                ]
            },
        ),
        (
            _("Management and period"),
            {
                "fields": [
                    "manager",
                    "manager_phone",
                    ("start_date", "end_date"),
                    "period_text",
                    ("total_budget", "total_budget_unit"),
                ]
            },
        ),
        (_("Source"), {"classes": ["collapse"], "fields": ["source_notes"]}),
    ]


class BudgetLineInline(admin.TabularInline[BudgetLine, BudgetYear]):
    model = BudgetLine
    extra = 0


class SubProjectInline(admin.TabularInline[SubProject, BudgetYear]):
    model = SubProject
    extra = 0


class PayrollLineInline(admin.TabularInline[PayrollLine, BudgetYear]):
    model = PayrollLine
    extra = 0


class GoodsServicesLineInline(admin.TabularInline[GoodsServicesLine, BudgetYear]):
    model = GoodsServicesLine
    extra = 0


@admin.register(BudgetYear)
class BudgetYearAdmin(admin.ModelAdmin[BudgetYear]):
    list_display = [
        "project",
        "year",
        "unit",
        "initial",
        "addition",
        "reduction",
        "adjusted_display",
        "expenditure",
        "execution_rate_display",
    ]
    list_filter = ["year", "project__department", "project__unit__city"]
    search_fields = ["project__name", "project__code"]
    autocomplete_fields = ["project"]
    list_select_related = ["project"]
    inlines = [
        BudgetLineInline,
        SubProjectInline,
        PayrollLineInline,
        GoodsServicesLineInline,
    ]

    @admin.display(description=_("adjusted budget"))
    def adjusted_display(self, obj: BudgetYear) -> str:
        return f"{obj.adjusted}"

    @admin.display(description=_("execution rate"))
    def execution_rate_display(self, obj: BudgetYear) -> str:
        rate = obj.execution_rate
        return "—" if rate is None else str(rate)


class DepartmentIncomeInline(admin.TabularInline[DepartmentIncome, DepartmentBudget]):
    model = DepartmentIncome
    extra = 0


class DepartmentExpenditureInline(
    admin.TabularInline[DepartmentExpenditure, DepartmentBudget]
):
    model = DepartmentExpenditure
    extra = 0


@admin.register(DepartmentBudget)
class DepartmentBudgetAdmin(admin.ModelAdmin[DepartmentBudget]):
    list_display = ["organisation", "year", "unit"]
    list_filter = ["year", "organisation__region", "organisation__city"]
    search_fields = ["organisation__name"]
    autocomplete_fields = ["organisation"]
    inlines = [DepartmentIncomeInline, DepartmentExpenditureInline]


# The row models are edited inline on their year's page; their own lists serve search and audit.
@admin.register(ProjectTask)
class ProjectTaskAdmin(admin.ModelAdmin[ProjectTask]):
    list_display = ["content", "project", "planned_start", "planned_finish"]
    list_filter = ["project"]
    search_fields = ["content", "project__name"]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin[BudgetLine]):
    list_display = ["category", "budget_year", "budget", "received", "expenditure"]
    list_filter = ["category", "budget_year__year", "budget_year__project__department"]
    list_select_related = ["budget_year__project"]


@admin.register(SubProject)
class SubProjectAdmin(admin.ModelAdmin[SubProject]):
    list_display = ["name", "budget_year", "amount"]
    list_filter = ["budget_year__year"]
    search_fields = ["name"]
    list_select_related = ["budget_year__project"]


@admin.register(PayrollLine)
class PayrollLineAdmin(admin.ModelAdmin[PayrollLine]):
    list_display = [
        "title",
        "budget_year",
        "year_end_headcount",
        "monthly_average_headcount",
        "total",
        "basic_pay",
        "insurance",
        "housing_fund",
    ]
    list_filter = ["budget_year__year"]
    search_fields = ["title"]
    list_select_related = ["budget_year__project"]


@admin.register(GoodsServicesLine)
class GoodsServicesLineAdmin(admin.ModelAdmin[GoodsServicesLine]):
    list_display = ["item", "budget_year", "expenditure"]
    list_filter = ["budget_year__year"]
    search_fields = ["item"]
    list_select_related = ["budget_year__project"]


@admin.register(DepartmentIncome)
class DepartmentIncomeAdmin(admin.ModelAdmin[DepartmentIncome]):
    list_display = ["source", "department_budget", "amount"]
    list_filter = ["source", "department_budget__year"]
    list_select_related = ["department_budget__organisation"]


@admin.register(DepartmentExpenditure)
class DepartmentExpenditureAdmin(admin.ModelAdmin[DepartmentExpenditure]):
    list_display = [
        "name",
        "kind",
        "department_budget",
        "half_year_plan",
        "full_year_budget",
    ]
    list_filter = ["kind", "department_budget__year"]
    search_fields = ["name"]
    list_select_related = ["department_budget__organisation"]


# Administrators correct a stuck request here; everyone else uses the pages.
@admin.register(BudgetAdjustment)
class BudgetAdjustmentAdmin(admin.ModelAdmin[BudgetAdjustment]):
    list_display = ["line", "amount", "status", "requested_by", "requested_at"]
    list_filter = ["status"]
    raw_id_fields = ["line", "requested_by", "decided_by"]


@admin.register(DepartmentSpending)
class DepartmentSpendingAdmin(admin.ModelAdmin[DepartmentSpending]):
    list_display = ["line", "month", "amount"]
    list_filter = ["month", "line__department_budget__year"]
    raw_id_fields = ["line"]
    list_select_related = ["line__department_budget__organisation"]


for _model in (
    BudgetYear,
    BudgetLine,
    DepartmentIncome,
    DepartmentExpenditure,
    DepartmentSpending,
):
    admin.site.register(_model.history.model, HistoryRecordAdmin)
