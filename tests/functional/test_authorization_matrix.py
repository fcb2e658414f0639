"""Authorization matrix: every URL pattern of the project × every role × the role's own
object and someone else's, with the exact outcome (NetBox's shared view test cases do the
same for every view).

- "own" objects are Tianjin's (tj-8890 unit, tj-zwfw department, tj-czj finance bureau,
  tj-evaluator; the expert is assigned the Tianjin evaluation); "other" objects are
  Panjin's, which no Tianjin user may see. Administrators see both.
- ``LOGIN`` is a redirect to the login page; ``302`` a redirect anywhere else (an action
  done, or refused with a message, on the page it came from).
- ``test_every_url_pattern_has_a_matrix_entry`` walks ``get_resolver()``: a new URL pattern
  without an entry here fails the suite. Django's admin and auth URLs are whitelisted as
  groups (reasons in ``WHITELIST``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import ExpertAssignment, Membership, Role
from budgets.models import BudgetAdjustment, BudgetLine, BudgetYear, Organisation
from documents.models import DocumentFormat, DocumentKind
from documents.services import render_job_request
from evaluations.models import Evaluation, EvaluationIndicator
from targets.models import TargetAdjustment, TargetForm, TargetIndicator

LOGIN = "login"
ROLES = ("anonymous", "finance", "department", "unit", "evaluator", "expert", "admin")

WHITELIST = {
    "admin": "Django's admin: staff-only through Django's own permissions, covered by "
    "tests/functional/admin/test_admin_pages.py",
    "auth": "django.contrib.auth views (login, logout, password change/reset): public "
    "by design or guarded by Django itself; the login is throttled by django-axes "
    "(tests/functional/accounts/test_login_pages.py)",
    "set_language": "Django's language switch: public by design, changes only the "
    "session's language",
}
AUTH_NAMES = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}

Outcome = int | str
Pair = tuple[Outcome, Outcome]  # (own object, other's object)


def _same(value: Outcome) -> Pair:
    return (value, value)


def pattern(**by_role: Outcome | Pair) -> dict[str, Pair]:
    """Expected outcomes; a bare value applies to own and other alike."""
    result = {"anonymous": _same(LOGIN)}
    for role, value in by_role.items():
        result[role] = value if isinstance(value, tuple) else _same(value)
    assert set(result) == set(ROLES), set(ROLES) - set(result)
    return result


# Reading a project's page: finance, department and unit see their own; evaluators and
# experts reach nothing through projects.
READ = pattern(
    finance=(200, 404),
    department=(200, 404),
    unit=(200, 404),
    evaluator=404,
    expert=404,
    admin=200,
)
# An address that moved: whoever may read the object is sent on (301), as READ otherwise.
READ_MOVED = pattern(
    finance=(301, 404),
    department=(301, 404),
    unit=(301, 404),
    evaluator=404,
    expert=404,
    admin=301,
)
# The unit prepares its forms; the others who see the form are refused (403).
PREPARE = pattern(
    finance=(403, 404),
    department=(403, 404),
    unit=(302, 404),
    evaluator=404,
    expert=404,
    admin=302,
)
# The finance bureau reviews.
REVIEW = pattern(
    finance=(302, 404),
    department=(403, 404),
    unit=(403, 404),
    evaluator=404,
    expert=404,
    admin=302,
)
ANY_USER = pattern(
    finance=200, department=200, unit=200, evaluator=200, expert=200, admin=200
)
# An evaluation: its project's finance, department and unit; its evaluator; its expert.
READ_EVALUATION = pattern(
    finance=(200, 404),
    department=(200, 404),
    unit=(200, 404),
    evaluator=(200, 404),
    expert=(200, 404),
    admin=200,
)
# A self-evaluation: its project's finance, department and unit (no evaluator, no expert).
READ_SELF_EVALUATION = pattern(
    finance=(200, 404),
    department=(200, 404),
    unit=(200, 404),
    evaluator=404,
    expert=404,
    admin=200,
)
# The unit starts its own from its approved form; the others have no such form to choose.
START_SELF_EVALUATION = pattern(
    finance=400, department=400, unit=(302, 400), evaluator=400, expert=400, admin=302
)
# The unit fills in its own.
EDIT_SELF_EVALUATION = pattern(
    finance=(403, 404),
    department=(403, 404),
    unit=(302, 404),
    evaluator=404,
    expert=404,
    admin=302,
)
SUBMIT_SELF_EVALUATION = pattern(
    finance=(403, 404),
    department=(403, 404),
    unit=(400, 404),
    evaluator=404,
    expert=404,
    admin=400,
)
# A submitted self-evaluation awaits its 主管部门, who forwards it to finance.
DECIDE_SELF_EVALUATION = pattern(
    finance=(403, 404),
    department=(302, 404),
    unit=(403, 404),
    evaluator=404,
    expert=404,
    admin=302,
)
SCORE = pattern(
    finance=(403, 404),
    department=(403, 404),
    unit=(403, 404),
    evaluator=(302, 404),
    expert=(403, 404),
    admin=302,
)
COMMENT = pattern(
    finance=(403, 404),
    department=(403, 404),
    unit=(403, 404),
    evaluator=(403, 404),
    expert=(302, 404),
    admin=302,
)
# Assigning expert reviewers: the finance bureau that sees the evaluation, or an
# administrator; the others who read it are refused.
ASSIGN_EXPERTS = pattern(
    finance=(302, 404),
    department=(403, 404),
    unit=(403, 404),
    evaluator=(403, 404),
    expert=(403, 404),
    admin=302,
)


class Ctx:
    """The objects the URLs point at, own (Tianjin) and other (Panjin), made on first use
    (each case touches only a few of them)."""

    def __init__(self, requester: User, settings: Any, media: Path) -> None:
        self.requester = requester
        self.settings = settings
        self.media = media

    def _own_media(self) -> None:
        """Files this test writes go to a fresh directory (the seeds' stay where they are)."""
        self.settings.MEDIA_ROOT = self.media

    @cached_property
    def form(self) -> dict[bool, TargetForm]:
        return {
            True: TargetForm.objects.get(code="tianjin-2020"),
            False: TargetForm.objects.get(code="panjin-2023"),
        }

    @cached_property
    def leaf(self) -> dict[bool, TargetIndicator]:
        return {
            own: form.indicators.filter(level="level3").order_by("position")[0]
            for own, form in self.form.items()
        }

    @cached_property
    def branch(self) -> dict[bool, TargetIndicator]:
        return {own: leaf.parent for own, leaf in self.leaf.items()}  # type: ignore[misc]

    @cached_property
    def budget_year(self) -> dict[bool, BudgetYear]:
        return {
            True: BudgetYear.objects.get(project__code="tianjin-2020", year=2020),
            False: BudgetYear.objects.get(project__code="panjin-2023", year=2023),
        }

    @cached_property
    def budget_adjustment(self) -> dict[bool, BudgetAdjustment]:
        found = {}
        for own, year in self.budget_year.items():
            line = year.lines.order_by("position").first() or BudgetLine.objects.create(
                budget_year=year, category="其他支出", budget=1
            )
            found[own] = BudgetAdjustment.objects.create(
                line=line, amount=1, reason="测试", requested_by=self.requester
            )
        return found

    @cached_property
    def target_adjustment(self) -> dict[bool, TargetAdjustment]:
        return {
            own: TargetAdjustment.objects.create(
                form=self.form[own],
                indicator=self.leaf[own],
                value_text="≥95%",
                reason="测试",
                requested_by=self.requester,
            )
            for own in (True, False)
        }

    @cached_property
    def evaluation(self) -> dict[bool, Evaluation]:
        return {
            True: Evaluation.objects.get(code="tianjin-2020"),
            False: Evaluation.objects.get(code="panjin-2023"),
        }

    @cached_property
    def evaluation_leaf(self) -> dict[bool, EvaluationIndicator]:
        return {
            own: EvaluationIndicator.objects.filter(
                evaluation=evaluation, children__isnull=True
            ).order_by("position")[0]
            for own, evaluation in self.evaluation.items()
        }

    @cached_property
    def reviewer(self) -> User:
        """An expert of the Tianjin finance bureau, to be assigned and unassigned."""
        user = User.objects.create_user("matrix-reviewer", password="x" * 12)
        Membership.objects.create(
            user=user,
            organisation=Organisation.objects.get(code="tj-czj"),
            role=Role.EXPERT,
        )
        return user

    @cached_property
    def expert_assignment(self) -> dict[bool, ExpertAssignment]:
        return {
            own: ExpertAssignment.objects.create(
                user=self.reviewer, evaluation=evaluation
            )
            for own, evaluation in self.evaluation.items()
        }

    @cached_property
    def job(self) -> dict[bool, str]:
        self._own_media()
        return {
            own: str(
                render_job_request(
                    kind=DocumentKind.TARGET_FORM,
                    code=form.code,
                    format=DocumentFormat.XLSX,
                    user=self.requester,
                ).pk
            )
            for own, form in self.form.items()
        }

    @cached_property
    def upload(self) -> dict[bool, int]:
        from operations.models import OperatingDataUpload

        return {
            own: OperatingDataUpload.objects.filter(organisation=self.unit[own])
            .order_by("pk")[0]
            .pk
            for own in (True, False)
        }

    @cached_property
    def evidence(self) -> dict[bool, int]:
        from django.core.files.base import ContentFile

        from evaluations.models import Evidence

        self._own_media()
        found = {}
        for own, leaf in self.evaluation_leaf.items():
            evidence = Evidence(
                indicator=leaf, description="佐证", uploaded_by=self.requester
            )
            evidence.file.save("evidence.txt", ContentFile(b"x"), save=True)
            found[own] = evidence.pk
        return found

    @cached_property
    def api_report_code(self) -> dict[bool, str]:
        """A half-year 运行监控 report of each form (the forms approved first)."""
        from targets.monitoring_services import monitoring_report_start

        found = {}
        for own, form in self.form.items():
            TargetForm.objects.filter(pk=form.pk).update(status="approved")
            form.refresh_from_db()
            found[own] = monitoring_report_start(form=form, months=6).code
        return found

    @cached_property
    def others_token(self) -> int:
        """An API token of the requester: nobody else may revoke it."""
        from api.services import api_token_create

        return api_token_create(
            user=self.requester,
            name="他人的令牌",
            expires_at=timezone.now() + timedelta(days=1),
        ).token.pk

    @cached_property
    def unit(self) -> dict[bool, Organisation]:
        return {
            True: Organisation.objects.get(code="tj-8890"),
            False: Organisation.objects.get(code="pj-yshj"),
        }

    @cached_property
    def monitoring_report(self) -> dict[bool, Any]:
        """A 运行监控 report (January–June) on each form, approved for it (issue 15 §2)."""
        from targets.monitoring_services import monitoring_report_start

        TargetForm.objects.filter(pk__in=[f.pk for f in self.form.values()]).update(
            status="approved"
        )
        return {
            own: monitoring_report_start(
                form=TargetForm.objects.get(pk=form.pk), months=6
            )
            for own, form in self.form.items()
        }

    @cached_property
    def submitted_report(self) -> dict[bool, Any]:
        from targets.models import MonitoringReport

        reports = self.monitoring_report
        MonitoringReport.objects.filter(pk__in=[r.pk for r in reports.values()]).update(
            status="submitted"
        )
        return reports

    @cached_property
    def department_budget(self) -> dict[bool, Any]:
        """A department budget of each unit, for its spending to date (issue 15 §2)."""
        from decimal import Decimal

        from budgets.services import ExpenditureData, department_budget_create

        return {
            own: department_budget_create(
                organisation=organisation,
                year=2020 if own else 2023,
                expenditure=[
                    ExpenditureData(
                        kind="basic",
                        name="基本支出",
                        full_year_budget=Decimal("10"),
                        half_year_plan=Decimal("5"),
                    )
                ],
            )
            for own, organisation in self.unit.items()
        }

    @cached_property
    def finding(self) -> dict[bool, Any]:
        """Tianjin's first finding; Panjin's report lists none, so one is added."""
        from evaluations.models import Finding
        from evaluations.services.findings import finding_add

        return {
            True: Finding.objects.get(evaluation__code="tianjin-2020", position=1),
            False: finding_add(
                evaluation=self.evaluation[False], title="测试问题", text="测试"
            ),
        }

    @cached_property
    def approved_form(self) -> dict[bool, TargetForm]:
        """Tianjin's and Panjin's 2020/2023 forms, approved (a self-evaluation starts there)."""
        from targets.services import target_form_approve, target_form_submit

        user = User.objects.create_user("matrix-approver")
        found = {}
        for own, code in ((True, "tianjin-2020"), (False, "panjin-2023")):
            form = TargetForm.objects.get(code=code)
            target_form_submit(form=form, user=user)
            found[own] = target_form_approve(form=form, user=user)
        return found

    @cached_property
    def self_evaluation(self) -> dict[bool, Evaluation]:
        """A self-evaluation of each, started; submitted to the 主管部门 (its review's
        first stage) so that the department may decide on it."""
        from evaluations.models import Framework
        from evaluations.services.self_evaluation import self_evaluation_start

        national = Framework.objects.get(code="national-self-evaluation")
        found = {}
        for own, form in self.approved_form.items():
            evaluation = self_evaluation_start(form=form, framework=national)
            found[own] = evaluation
        return found

    def submitted_self_evaluation(self, own: bool) -> Evaluation:
        evaluation = self.self_evaluation[own]
        Evaluation.objects.filter(pk=evaluation.pk).update(
            review_stage="department", status="submitted", submissions=1
        )
        return evaluation

    @cached_property
    def rectification_item(self) -> dict[bool, Any]:
        """An item of each finding, reported rectified with one evidence file (so the
        bureau may verify it and the unit may still report on it)."""
        from datetime import timedelta

        from django.core.files.base import ContentFile
        from django.utils import timezone

        from rectifications.models import RectificationEvidence
        from rectifications.services import item_from_finding

        self._own_media()
        found = {}
        for own, finding in self.finding.items():
            item = item_from_finding(
                finding=finding,
                responsible=self.unit[own],
                measures="整改",
                deadline=timezone.localdate() + timedelta(days=30),
                user=self.requester,
            )
            evidence = RectificationEvidence(item=item, description="佐证")
            evidence.file.save("evidence.txt", ContentFile(b"x"), save=True)
            item.status = "done"
            item.save()
            found[own] = (item, evidence)
        return found

    @cached_property
    def red_light(self) -> dict[bool, tuple[Any, Any]]:
        """A submitted half-year 运行监控 report of each seed form with one red line
        (set directly: the matrix needs its state, tests/functional/rectifications
        build it through the pages)."""
        from targets.models import MonitoringLine, MonitoringReport
        from targets.monitoring_services import monitoring_report_start
        from targets.services import target_form_approve, target_form_submit

        found = {}
        for own, form in self.form.items():
            if form.status != "approved":
                target_form_submit(form=form, user=self.requester)
                target_form_approve(form=form, user=self.requester)
            report = monitoring_report_start(form=form, months=6)
            line = report.lines.filter(kind="indicator").order_by("position")[0]
            MonitoringLine.objects.filter(pk=line.pk).update(light="red")
            MonitoringReport.objects.filter(pk=report.pk).update(status="submitted")
            found[own] = (report, line)
        return found

    @cached_property
    def next_budget_year(self) -> dict[bool, BudgetYear]:
        """The year after each seed budget year: Tianjin 2021 follows the 2020
        evaluation (优), so it has a recommendation to decide on."""
        return {
            own: BudgetYear.objects.create(
                project=year.project, year=year.year + 1, initial=100
            )
            for own, year in self.budget_year.items()
        }


# Importing an evaluation workbook: who scores; without a file the page answers 400.
IMPORT_EVALUATION = pattern(
    finance=(403, 404),
    department=(403, 404),
    unit=(403, 404),
    evaluator=(400, 404),
    expert=(403, 404),
    admin=400,
)
# Uploading operating data: only a hotline centre's own users.
UNIT_ONLY = pattern(
    finance=403, department=403, unit=200, evaluator=403, expert=403, admin=403
)
# Confirming or discarding an upload: the centre that uploaded it (the seed uploads are
# already committed, so the centre's own request is answered on the upload's page).
OWN_UPLOAD = pattern(
    finance=(403, 404),
    department=(403, 404),
    unit=(302, 404),
    evaluator=404,
    expert=404,
    admin=(403, 403),
)


def api(expected: dict[str, Pair]) -> dict[str, Pair]:
    """A page's outcomes for the JSON API: without credentials a 401, not the login."""
    return {**expected, "anonymous": (401, 401)}


API_ANY = api(ANY_USER)


def api_document_file(ctx: Ctx, own: bool) -> dict[str, Any]:
    """The form's current workbook (rendered into this test's own media folder)."""
    ctx._own_media()
    return {**document_kwargs(ctx, own), "format": "xlsx"}


API_PREPARE = pattern(
    finance=(403, 404),
    department=(403, 404),
    unit=(200, 404),
    evaluator=404,
    expert=404,
    admin=200,
)
API_PREPARE_CREATED = {
    role: tuple(201 if o == 200 else o for o in pair)  # type: ignore[misc]
    for role, pair in API_PREPARE.items()
}
API_PREPARE_DELETED = {
    role: tuple(204 if o == 200 else o for o in pair)  # type: ignore[misc]
    for role, pair in API_PREPARE.items()
}


@dataclass(frozen=True)
class Entry:
    method: str
    expected: dict[str, Pair]
    kwargs: Callable[[Ctx, bool], dict[str, Any]] = lambda ctx, own: {}
    data: Callable[[Ctx, bool], dict[str, Any]] = lambda ctx, own: {}
    query: str = ""
    note: str = ""
    extra: tuple[str, ...] = field(default_factory=tuple)
    json: bool = False  # the body as JSON (the API), by ``method``


def score_row_as_stored(leaf: EvaluationIndicator) -> dict[str, Any]:
    """A scoring-page row posted as the page draws it."""
    prefix = f"row-{leaf.pk}"
    return {
        f"{prefix}-version": str(leaf.version),
        f"{prefix}-final_score": "" if leaf.final_score is None else leaf.final_score,
        f"{prefix}-reason": leaf.reason,
        f"{prefix}-applicable": "on",
    }


def form_code(ctx: Ctx, own: bool) -> dict[str, Any]:
    return {"code": ctx.form[own].code}


def leaf_kwargs(ctx: Ctx, own: bool) -> dict[str, Any]:
    return {"code": ctx.form[own].code, "pk": ctx.leaf[own].pk}


def budget_kwargs(ctx: Ctx, own: bool) -> dict[str, Any]:
    year = ctx.budget_year[own]
    return {"project_code": year.project.code, "year": year.year}


def budget_data(ctx: Ctx, own: bool) -> dict[str, Any]:
    year = ctx.budget_year[own]
    data: dict[str, Any] = {
        "initial": year.initial,
        "addition": year.addition,
        "reduction": year.reduction,
        "received": year.received or "",
        "expenditure": year.expenditure or "",
    }
    for line in year.lines.all():
        data[f"line_{line.pk}_budget"] = line.budget
        data[f"line_{line.pk}_received"] = line.received or ""
        data[f"line_{line.pk}_expenditure"] = line.expenditure or ""
    return data


def evaluation_code(ctx: Ctx, own: bool) -> dict[str, Any]:
    return {"code": ctx.evaluation[own].code}


def self_evaluation_code(ctx: Ctx, own: bool) -> dict[str, Any]:
    return {"code": ctx.self_evaluation[own].code}


def organisation_year(ctx: Ctx, own: bool) -> dict[str, Any]:
    return {"code": ctx.unit[own].code, "year": 2020 if own else 2023}


def evidence_kwargs(ctx: Ctx, own: bool) -> dict[str, Any]:
    return {"code": ctx.evaluation[own].code, "pk": ctx.evaluation_leaf[own].pk}


def report_section_kwargs(ctx: Ctx, own: bool) -> dict[str, Any]:
    evaluation = ctx.evaluation[own]
    section = evaluation.report_sections.order_by("position").first()
    assert section is not None
    return {"code": evaluation.code, "pk": section.pk}


def document_kwargs(ctx: Ctx, own: bool) -> dict[str, Any]:
    return {"kind": DocumentKind.TARGET_FORM, "code": ctx.form[own].code}


def project_info_kwargs(ctx: Ctx, own: bool) -> dict[str, Any]:
    """The 项目基本情况表 of the form's project (issue 14 item 5)."""
    project = ctx.form[own].project
    assert project is not None
    return {"kind": DocumentKind.PROJECT_INFO, "code": project.code}


def self_evaluation_table_kwargs(ctx: Ctx, own: bool) -> dict[str, Any]:
    """The 项目支出绩效自评表 of a self-evaluation (issue 15 §1)."""
    return {
        "kind": DocumentKind.SELF_EVALUATION_TABLE,
        "code": ctx.self_evaluation[own].code,
    }


def publication_kwargs(ctx: Ctx, own: bool) -> dict[str, Any]:
    """A published 公开版 of the project information sheet (issue 17 §2), Tianjin's
    (own) and Panjin's (other); made once per case, with a file to serve."""
    found: dict[bool, Any] | None = getattr(ctx, "_publications", None)
    if found is None:
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        from disclosure.models import Publication

        ctx._own_media()
        found = {}
        for is_own, form in ctx.form.items():
            assert form.project is not None
            publication = Publication(
                kind=DocumentKind.PROJECT_INFO,
                object_code=form.project.code,
                number=1,
                title=form.project.name,
                organisation=form.project.unit,
                year=form.year,
                source_fingerprint="0" * 64,
                pdf_sha256="0" * 64,
                published_by=ctx.requester,
            )
            publication.pdf.name = default_storage.save(
                f"disclosure/{publication.pk}.pdf", ContentFile(b"%PDF-1.7 test")
            )
            publication.save()
            found[is_own] = publication
        ctx._publications = found  # type: ignore[attr-defined]
    return {"publication_id": found[own].pk}


# 信息公开 (issue 17 §2): who sees the document and reviews (finance bureau, department)
# publishes; the unit reads it but does not publish (403).
PUBLISH = pattern(
    finance=(200, 404),
    department=(200, 404),
    unit=(403, 404),
    evaluator=404,
    expert=404,
    admin=200,
)
PUBLIC = {role: (200, 200) for role in ROLES}


def monitoring_start_kwargs(ctx: Ctx, own: bool) -> dict[str, Any]:
    """The form, approved so that a 运行监控 report may start on it."""
    form = ctx.form[own]
    TargetForm.objects.filter(pk=form.pk).update(status="approved")
    return {"code": form.code}


def monitoring_kwargs(ctx: Ctx, own: bool) -> dict[str, Any]:
    report = ctx.monitoring_report[own]
    return {"code": ctx.form[own].code, "months": report.months}


def submitted_monitoring_kwargs(ctx: Ctx, own: bool) -> dict[str, Any]:
    report = ctx.submitted_report[own]
    return {"code": ctx.form[own].code, "months": report.months}


def monitoring_table_kwargs(ctx: Ctx, own: bool) -> dict[str, Any]:
    return {
        "kind": DocumentKind.MONITORING_TABLE,
        "code": ctx.monitoring_report[own].code,
    }


def department_spending_kwargs(ctx: Ctx, own: bool) -> dict[str, Any]:
    budget = ctx.department_budget[own]
    return {"organisation_code": budget.organisation.code, "year": budget.year}


def department_spending_data(ctx: Ctx, own: bool) -> dict[str, Any]:
    line = ctx.department_budget[own].expenditure_lines.get()
    return {f"line_{line.pk}": "3"}


MATRIX: dict[str, list[Entry]] = {
    "home": [Entry("get", ANY_USER)],
    # the load balancer's probe: public by design, nothing sensitive (hotline_perf/health.py)
    "healthz": [Entry("get", {role: (200, 200) for role in ROLES})],
    # the site icon: public, a redirect to the static file (core/favicon.py)
    "favicon": [Entry("get", {role: (302, 302) for role in ROLES})],
    # ---- targets
    "targets:list": [Entry("get", ANY_USER)],
    "targets:create": [
        Entry(
            "get",
            pattern(
                finance=403,
                department=403,
                unit=200,
                evaluator=403,
                expert=403,
                admin=200,
            ),
            note="only a unit (or an administrator) starts a form for its own project",
        ),
        # own: a Tianjin project; other: Panjin's, not the unit's to choose (400)
        Entry(
            "post",
            pattern(
                finance=403,
                department=403,
                unit=(302, 400),
                evaluator=403,
                expert=403,
                admin=302,
            ),
            data=lambda ctx, own: {
                "project": ctx.form[own].project_id,
                "year": 2031,
                "layout": "project",
            },
        ),
    ],
    "targets:library": [Entry("get", ANY_USER, query="?q=接通")],
    "targets:parse": [Entry("get", ANY_USER, query="?text=≥95%")],
    "targets:detail": [Entry("get", READ, form_code)],
    "targets:indicator_add": [
        Entry(
            "post",
            PREPARE,
            form_code,
            lambda ctx, own: {
                "parent": ctx.branch[own].pk,
                "level": "level3",
                "name": "办结率",
                "value": "≥90%",
            },
        )
    ],
    "targets:indicator_update": [
        Entry(
            "post",
            PREPARE,
            leaf_kwargs,
            lambda ctx, own: {"name": ctx.leaf[own].name, "value": "≥96%"},
        )
    ],
    "targets:indicator_delete": [Entry("post", PREPARE, leaf_kwargs)],
    "targets:indicator_move": [
        Entry("post", PREPARE, leaf_kwargs, lambda ctx, own: {"direction": "down"})
    ],
    "targets:indicator_actual": [
        Entry("post", PREPARE, leaf_kwargs, lambda ctx, own: {"actual": "96.12%"})
    ],
    "targets:submit": [Entry("post", PREPARE, form_code)],
    "targets:return": [
        Entry("post", REVIEW, form_code, lambda ctx, own: {"comment": "请补充办结率"})
    ],
    "targets:approve": [Entry("post", REVIEW, form_code)],
    "targets:adjustments": [
        Entry("get", READ, form_code),
        Entry(
            "post",
            # the form is a draft: the request is refused by the service (400 page)
            pattern(
                finance=(403, 404),
                department=(403, 404),
                unit=(400, 404),
                evaluator=404,
                expert=404,
                admin=400,
            ),
            form_code,
            lambda ctx, own: {
                "indicator": ctx.leaf[own].pk,
                "value": "≥95%",
                "reason": "国家标准",
            },
        ),
    ],
    "targets:adjustment_decide": [
        Entry(
            "post",
            REVIEW,
            lambda ctx, own: {
                "code": ctx.form[own].code,
                "pk": ctx.target_adjustment[own].pk,
            },
            lambda ctx, own: {"decision": "approve"},
        )
    ],
    "targets:history": [Entry("get", READ, form_code)],
    # what changed since the last return: whoever reads the form (targets/resubmission.py)
    "targets:changes": [Entry("get", READ, form_code)],
    "targets:monitoring": [Entry("get", READ, form_code)],
    # 运行监控 reports (issue 15 §2): the unit starts, fills in and submits; the finance
    # bureau returns or accepts; whoever reads the form reads the report
    "targets:monitoring_report_start": [
        Entry("post", PREPARE, monitoring_start_kwargs, lambda ctx, own: {"months": 6})
    ],
    "targets:monitoring_report": [
        Entry("get", READ, monitoring_kwargs),
        Entry("post", PREPARE, monitoring_kwargs),
    ],
    "targets:monitoring_report_submit": [Entry("post", PREPARE, monitoring_kwargs)],
    "targets:monitoring_report_return": [
        Entry(
            "post",
            REVIEW,
            submitted_monitoring_kwargs,
            lambda ctx, own: {"comment": "请补充纠偏措施"},
        )
    ],
    "targets:monitoring_report_accept": [
        Entry("post", REVIEW, submitted_monitoring_kwargs)
    ],
    "targets:monitoring_report_history": [Entry("get", READ, monitoring_kwargs)],
    "targets:export": [Entry("get", READ, form_code)],
    "targets:import": [Entry("post", PREPARE, form_code)],
    # 从上年复制: who prepares the form; the seed form is a draft, so the copy itself is
    # refused with its reason (400) — tests/functional/targets/test_carry_forward_pages.py
    "targets:carry_forward": [
        Entry(
            "get",
            pattern(
                finance=(403, 404),
                department=(403, 404),
                unit=(200, 404),
                evaluator=404,
                expert=404,
                admin=200,
            ),
            form_code,
        ),
        Entry(
            "post",
            pattern(
                finance=(403, 404),
                department=(403, 404),
                unit=(400, 404),
                evaluator=404,
                expert=404,
                admin=400,
            ),
            form_code,
        ),
    ],
    # ---- dashboards
    "dashboards:projects": [Entry("get", ANY_USER, query="?year=2020")],
    # ---- the year at a glance: a list, scoped as every list (each sees its projects)
    "overview:year": [Entry("get", ANY_USER, query="?year=2020")],
    "overview:export": [Entry("get", ANY_USER, query="?year=2020")],
    # ---- comparisons (issue 17 §3): every user, each seeing the centres in their scope
    # (an evaluator or expert sees none: tests/functional/comparisons)
    "comparisons:index": [Entry("get", ANY_USER, query="?year=2020&kpi=answer-rate")],
    "comparisons:export": [Entry("get", ANY_USER, query="?year=2020")],
    "dashboards:unit": [
        Entry("get", READ, lambda ctx, own: {"code": ctx.unit[own].code})
    ],
    # ---- budgets
    "budgets:list": [Entry("get", ANY_USER)],
    # a department budget's spending to date (issue 15 §2): the organisation itself and
    # the finance bureau enter it; the supervising department reads it
    "budgets:department_spending": [
        Entry("get", READ, department_spending_kwargs),
        Entry(
            "post",
            pattern(
                finance=(302, 404),
                department=(403, 404),
                unit=(302, 404),
                evaluator=404,
                expert=404,
                admin=302,
            ),
            department_spending_kwargs,
            department_spending_data,
        ),
    ],
    "budgets:detail": [
        Entry("get", READ, budget_kwargs),
        # every figure, budget included: the finance bureau's (issue 10, Medium 4)
        Entry(
            "post",
            pattern(
                finance=(302, 404),
                department=(403, 404),
                unit=(403, 404),
                evaluator=404,
                expert=404,
                admin=302,
            ),
            budget_kwargs,
            budget_data,
        ),
        # execution only (到位, 支出): the unit reports it too
        Entry(
            "post",
            pattern(
                finance=(302, 404),
                department=(403, 404),
                unit=(302, 404),
                evaluator=404,
                expert=404,
                admin=302,
            ),
            budget_kwargs,
            lambda ctx, own: {
                name: value
                for name, value in budget_data(ctx, own).items()
                if name.endswith(("received", "expenditure"))
            },
        ),
    ],
    "budgets:adjustment_request": [
        Entry(
            "post",
            PREPARE,
            budget_kwargs,
            lambda ctx, own: {
                "line": ctx.budget_adjustment[own].line_id,
                "amount": "8.93",
                "reason": "物业费上涨",
            },
        )
    ],
    "budgets:adjustment_decide": [
        Entry(
            "post",
            REVIEW,
            lambda ctx, own: {
                **budget_kwargs(ctx, own),
                "pk": ctx.budget_adjustment[own].pk,
            },
            lambda ctx, own: {"decision": "approve"},
        )
    ],
    # ---- reviews (experts)
    "reviews:evaluation": [
        Entry("get", READ_EVALUATION, evaluation_code),
        Entry(
            "post", COMMENT, evaluation_code, lambda ctx, own: {"text": "得分依据充分"}
        ),
    ],
    "reviews:expert_assign": [
        Entry(
            "post",
            ASSIGN_EXPERTS,
            evaluation_code,
            lambda ctx, own: {"expert": ctx.reviewer.pk},
        )
    ],
    "reviews:expert_unassign": [
        Entry(
            "post",
            ASSIGN_EXPERTS,
            lambda ctx, own: {
                "code": ctx.evaluation[own].code,
                "pk": ctx.expert_assignment[own].pk,
            },
        )
    ],
    # ---- evaluations (issue: scoring page)
    "evaluations:list": [Entry("get", ANY_USER)],
    "evaluations:detail": [Entry("get", READ_EVALUATION, evaluation_code)],
    # the scoring page's one save (issue 13 item 6): a row posted as stored writes nothing
    "evaluations:scores": [
        Entry(
            "post",
            SCORE,
            evaluation_code,
            lambda ctx, own: score_row_as_stored(ctx.evaluation_leaf[own]),
        )
    ],
    "evaluations:submit": [Entry("post", SCORE, evaluation_code)],
    # the data panel (issue 13 items 3 and 10): an empty post is refused with a message
    "evaluations:data_refresh": [Entry("post", SCORE, evaluation_code)],
    "evaluations:targets_adopt": [Entry("post", SCORE, evaluation_code)],
    # ---- documents (issue 4)
    "documents:page": [
        Entry("get", READ, document_kwargs),
        Entry("get", READ, project_info_kwargs),
        Entry("get", READ, monitoring_table_kwargs),
        Entry("get", READ_SELF_EVALUATION, self_evaluation_table_kwargs),
    ],
    "documents:preview": [
        Entry("get", READ, document_kwargs),
        Entry("get", READ, project_info_kwargs),
        Entry("get", READ_SELF_EVALUATION, self_evaluation_table_kwargs),
    ],
    "documents:render": [
        Entry(
            "post",
            pattern(
                finance=(302, 404),
                department=(302, 404),
                unit=(302, 404),
                evaluator=404,
                expert=404,
                admin=302,
            ),
            lambda ctx, own: {**document_kwargs(ctx, own), "format": "xlsx"},
        ),
        Entry(
            "post",
            pattern(
                finance=(302, 404),
                department=(302, 404),
                unit=(302, 404),
                evaluator=404,
                expert=404,
                admin=302,
            ),
            lambda ctx, own: {**project_info_kwargs(ctx, own), "format": "pdf"},
        ),
    ],
    "documents:job": [
        Entry("get", READ, lambda ctx, own: {"job_id": ctx.job[own]}),
    ],
    "documents:download": [
        Entry("get", READ, lambda ctx, own: {"job_id": ctx.job[own]}),
    ],
    # ---- disclosure (issue 17 §2): the reviewer's pages, the records, the public index
    "disclosure:list": [Entry("get", ANY_USER)],
    "disclosure:review": [
        Entry("get", PUBLISH, project_info_kwargs),
        # an empty post is incomplete: 400, nothing published
        Entry(
            "post",
            pattern(
                finance=(400, 404),
                department=(400, 404),
                unit=(403, 404),
                evaluator=404,
                expert=404,
                admin=400,
            ),
            project_info_kwargs,
        ),
    ],
    "disclosure:preview": [Entry("get", PUBLISH, project_info_kwargs)],
    "disclosure:publication": [Entry("get", READ, publication_kwargs)],
    # public by design: only published 公开版 files and their listing
    "disclosure:public_index": [Entry("get", PUBLIC)],
    "disclosure:public_json": [Entry("get", PUBLIC)],
    "disclosure:public_csv": [Entry("get", PUBLIC)],
    "disclosure:public_file": [
        Entry(
            "get",
            PUBLIC,
            lambda ctx, own: {**publication_kwargs(ctx, own), "format": "pdf"},
        )
    ],
    # ---- evaluations: workbooks and evidence (another engineer's; read their views)
    "evaluations:export_workbook": [Entry("get", READ_EVALUATION, evaluation_code)],
    # ---- evaluations: the unit's self-evaluation (issue 15 §1)
    "evaluations:self_start": [
        Entry("get", ANY_USER),
        Entry(
            "post",
            START_SELF_EVALUATION,
            data=lambda ctx, own: {
                "form": ctx.approved_form[own].code,
                "framework": "national-self-evaluation",
            },
            note="who is not the form's unit finds no such choice (400)",
        ),
    ],
    "evaluations:self_table": [
        Entry("get", READ_SELF_EVALUATION, self_evaluation_code),
        Entry(
            "post",
            EDIT_SELF_EVALUATION,
            self_evaluation_code,
            data=lambda ctx, own: {"goal_achieved": "完成", "goal_seen": ""},
        ),
    ],
    "evaluations:self_submit": [
        Entry(
            "post",
            SUBMIT_SELF_EVALUATION,
            self_evaluation_code,
            note="the unit's own is refused as incomplete (400), nothing changes",
        )
    ],
    "evaluations:self_review": [
        Entry(
            "post",
            DECIDE_SELF_EVALUATION,
            lambda ctx, own: {"code": ctx.submitted_self_evaluation(own).code},
            data=lambda ctx, own: {"decision": "forward", "stage": "department"},
        )
    ],
    "evaluations:self_history": [
        Entry("get", READ_SELF_EVALUATION, self_evaluation_code)
    ],
    # ---- evaluations: the report's text, section by section (issue 14)
    "evaluations:report": [Entry("get", READ_EVALUATION, evaluation_code)],
    # the seeds have their sections: starting again is refused with a message
    "evaluations:report_start": [Entry("post", SCORE, evaluation_code)],
    "evaluations:report_section": [
        Entry("get", READ_EVALUATION, report_section_kwargs),
        # an empty post is incomplete: 400, nothing changed
        Entry("post", IMPORT_EVALUATION, report_section_kwargs),
    ],
    # without a suggestion's key: 400
    "evaluations:report_accept": [
        Entry("post", IMPORT_EVALUATION, report_section_kwargs)
    ],
    "evaluations:import_workbook": [Entry("post", IMPORT_EVALUATION, evaluation_code)],
    "evaluations:evidence": [
        Entry("get", READ_EVALUATION, evidence_kwargs),
        # who scores adds evidence; without a file the page answers 400
        Entry("post", IMPORT_EVALUATION, evidence_kwargs),
    ],
    "evaluations:evidence_download": [
        Entry(
            "get",
            READ_EVALUATION,
            lambda ctx, own: {
                "code": ctx.evaluation[own].code,
                "pk": ctx.evaluation_leaf[own].pk,
                "evidence_pk": ctx.evidence[own],
            },
        )
    ],
    # ---- operations (issue 5; read their views)
    "operations:index": [Entry("get", ANY_USER)],
    "operations:upload": [
        Entry("get", UNIT_ONLY),
        # without a file the form is shown again with its error
        Entry("post", UNIT_ONLY),
    ],
    "operations:template": [
        Entry(
            "get",
            pattern(
                finance=403,
                department=403,
                unit=302,
                evaluator=403,
                expert=403,
                admin=403,
            ),
        )
    ],
    "operations:metrics": [
        Entry("get", ANY_USER),
        # a custom metric: the hotline centre adds its own
        Entry(
            "post",
            pattern(
                finance=403,
                department=403,
                unit=302,
                evaluator=403,
                expert=403,
                admin=403,
            ),
            data=lambda ctx, own: {
                "name": "夜间来电量",
                "kind": "count",
                "unit": "次",
                "aggregation": "sum",
            },
        ),
    ],
    "operations:monitoring_index": [Entry("get", ANY_USER)],
    # the old address of a form's monitoring: a permanent redirect to 运行监控
    "operations:monitoring": [Entry("get", READ_MOVED, form_code)],
    "operations:upload_detail": [
        Entry("get", READ, lambda ctx, own: {"pk": ctx.upload[own]})
    ],
    "operations:upload_confirm": [
        Entry("post", OWN_UPLOAD, lambda ctx, own: {"pk": ctx.upload[own]})
    ],
    "operations:upload_discard": [
        Entry("post", OWN_UPLOAD, lambda ctx, own: {"pk": ctx.upload[own]})
    ],
    "operations:upload_file": [
        Entry("get", READ, lambda ctx, own: {"pk": ctx.upload[own]})
    ],
    "operations:year": [Entry("get", READ, organisation_year)],
    "operations:workbook": [Entry("get", READ, organisation_year)],
    # ---- records (issue 16): imports and column names are the centre's own; a year's
    # reconciliation and its sheet follow who may read the organisation
    "records:index": [Entry("get", ANY_USER), Entry("post", UNIT_ONLY)],
    "records:mapping": [
        Entry("get", UNIT_ONLY, lambda ctx, own: {"kind": "calls"}),
        Entry(
            "post",
            pattern(
                finance=403,
                department=403,
                unit=302,
                evaluator=403,
                expert=403,
                admin=403,
            ),
            lambda ctx, own: {"kind": "orders"},
        ),
    ],
    "records:template": [Entry("get", ANY_USER, lambda ctx, own: {"kind": "orders"})],
    "records:year": [Entry("get", READ, organisation_year)],
    "records:workbook": [Entry("get", READ, organisation_year)],
    # ---- 问题整改 (issue 15 §3): the project's finance, department and unit read; the
    # bureau makes a finding an item and verifies it (销号); the responsible unit reports
    "rectifications:list": [Entry("get", ANY_USER)],
    "rectifications:evaluation": [Entry("get", READ, evaluation_code)],
    "rectifications:create": [
        Entry(
            "post",
            REVIEW,
            lambda ctx, own: {
                "code": ctx.evaluation[own].code,
                "pk": ctx.finding[own].pk,
            },
            lambda ctx, own: {
                f"finding-{ctx.finding[own].pk}-responsible": ctx.unit[own].pk,
                f"finding-{ctx.finding[own].pk}-measures": "制定整改方案",
                f"finding-{ctx.finding[own].pk}-deadline": "2099-12-31",
            },
        )
    ],
    "rectifications:monitoring": [
        Entry("get", READ, lambda ctx, own: {"code": ctx.red_light[own][0].code})
    ],
    "rectifications:monitoring_create": [
        Entry(
            "post",
            REVIEW,
            lambda ctx, own: {
                "code": ctx.red_light[own][0].code,
                "pk": ctx.red_light[own][1].pk,
            },
            lambda ctx, own: {
                f"line-{ctx.red_light[own][1].pk}-responsible": ctx.unit[own].pk,
                f"line-{ctx.red_light[own][1].pk}-measures": "补足人员",
                f"line-{ctx.red_light[own][1].pk}-deadline": "2099-12-31",
            },
        )
    ],
    "rectifications:detail": [
        Entry("get", READ, lambda ctx, own: {"pk": ctx.rectification_item[own][0].pk})
    ],
    "rectifications:report": [
        Entry(
            "post",
            PREPARE,
            lambda ctx, own: {"pk": ctx.rectification_item[own][0].pk},
            lambda ctx, own: {"status": "in_progress", "measures": "继续整改"},
        )
    ],
    # who reports adds evidence; without a file the page answers 400
    "rectifications:evidence": [
        Entry(
            "post",
            pattern(
                finance=(403, 404),
                department=(403, 404),
                unit=(400, 404),
                evaluator=404,
                expert=404,
                admin=400,
            ),
            lambda ctx, own: {"pk": ctx.rectification_item[own][0].pk},
        )
    ],
    "rectifications:evidence_download": [
        Entry(
            "get",
            READ,
            lambda ctx, own: {
                "pk": ctx.rectification_item[own][0].pk,
                "evidence_pk": ctx.rectification_item[own][1].pk,
            },
        )
    ],
    "rectifications:verify": [
        Entry(
            "post",
            REVIEW,
            lambda ctx, own: {"pk": ctx.rectification_item[own][0].pk},
            lambda ctx, own: {"decision": "accept"},
        )
    ],
    # ---- 结果应用 (issue 15 §4): the bureau records its decision on next year's budget
    "results_use:decision": [
        Entry(
            "get",
            READ,
            lambda ctx, own: {
                "project_code": ctx.next_budget_year[own].project.code,
                "year": ctx.next_budget_year[own].year,
            },
        ),
        Entry(
            "post",
            REVIEW,
            lambda ctx, own: {
                "project_code": ctx.next_budget_year[own].project.code,
                "year": ctx.next_budget_year[own].year,
            },
            lambda ctx, own: {"decision": "follow"},
        ),
    ],
    # ---- the JSON API (issue 17; api/): the pages' scoping, by session here (a personal
    # token carries the same scope: tests/functional/api/); without credentials a 401
    "api:schema": [Entry("get", {role: (200, 200) for role in ROLES})],
    "api:docs": [Entry("get", {role: (200, 200) for role in ROLES})],
    "api:organisations": [Entry("get", API_ANY)],
    "api:organisation": [
        Entry("get", api(READ), lambda ctx, own: {"code": ctx.unit[own].code})
    ],
    "api:operating_year": [Entry("get", api(READ), organisation_year)],
    "api:projects": [Entry("get", API_ANY)],
    "api:project": [
        Entry("get", api(READ), lambda ctx, own: {"code": ctx.form[own].project.code})  # type: ignore[union-attr]
    ],
    "api:budget_years": [Entry("get", API_ANY)],
    "api:budget_year": [
        Entry("get", api(READ), budget_kwargs),
        # 到位 and 支出: the finance bureau and the project's unit (budgets:detail)
        Entry(
            "patch",
            api(
                pattern(
                    finance=(200, 404),
                    department=(403, 404),
                    unit=(200, 404),
                    evaluator=404,
                    expert=404,
                    admin=200,
                )
            ),
            budget_kwargs,
            lambda ctx, own: {
                "version": ctx.budget_year[own].version,
                "expenditure": str(ctx.budget_year[own].expenditure),
            },
            json=True,
        ),
    ],
    "api:target_forms": [
        Entry("get", API_ANY),
        # a new draft: the unit for its own project (another's is not among its
        # choices: 400), an administrator for any
        Entry(
            "post",
            api(
                pattern(
                    finance=403,
                    department=403,
                    unit=(201, 400),
                    evaluator=403,
                    expert=403,
                    admin=201,
                )
            ),
            data=lambda ctx, own: {
                "project": ctx.form[own].project.code,  # type: ignore[union-attr]
                "year": 2031,
                "layout": "project",
            },
            json=True,
        ),
    ],
    "api:target_form": [Entry("get", api(READ), form_code)],
    "api:target_indicators": [
        Entry(
            "post",
            api(API_PREPARE_CREATED),
            form_code,
            lambda ctx, own: {
                "parent": ctx.branch[own].pk,
                "level": "level3",
                "name": "办结率",
                "value": "≥90%",
            },
            json=True,
        )
    ],
    "api:target_indicator": [
        Entry(
            "patch",
            api(API_PREPARE),
            leaf_kwargs,
            lambda ctx, own: {
                "version": ctx.leaf[own].version,
                "name": ctx.leaf[own].name,
                "value": "≥96%",
            },
            json=True,
        ),
        Entry("delete", api(API_PREPARE_DELETED), leaf_kwargs, json=True),
    ],
    "api:monitoring": [Entry("get", api(READ), form_code)],
    "api:operating_values": [Entry("get", API_ANY)],
    "api:monitoring_reports": [Entry("get", API_ANY)],
    "api:monitoring_report": [
        Entry("get", api(READ), lambda ctx, own: {"code": ctx.api_report_code[own]})
    ],
    "api:comparisons": [Entry("get", API_ANY)],
    "api:operating_values_batch": [
        # only the centre itself; an administrator reports no centre's figures
        Entry(
            "post",
            api(
                pattern(
                    finance=(403, 404),
                    department=(403, 404),
                    unit=(201, 404),
                    evaluator=404,
                    expert=404,
                    admin=403,
                )
            ),
            data=lambda ctx, own: {
                "organisation": ctx.unit[own].code,
                "values": [
                    {"metric": "呼入量", "period": "2031", "value": "1", "unit": "万次"}
                ],
            },
            json=True,
        )
    ],
    "api:evaluations": [Entry("get", API_ANY)],
    "api:evaluation": [Entry("get", api(READ_EVALUATION), evaluation_code)],
    "api:document": [Entry("get", api(READ), document_kwargs)],
    "api:document_file": [
        Entry(
            "get",
            api(READ),
            api_document_file,
        )
    ],
    # the token page: each user their own tokens; someone else's is a 404
    # any other address under /api/v1/: a JSON 404, whatever the method
    "api:not_found": [
        Entry("get", {role: (404, 404) for role in ROLES}, lambda ctx, own: {}),
        Entry("post", {role: (404, 404) for role in ROLES}, json=True),
    ],
    "api_tokens:list": [
        Entry("get", ANY_USER),
        Entry(
            "post",
            ANY_USER,
            data=lambda ctx, own: {
                "name": "预算一体化系统",
                "expires_on": str(timezone.localdate() + timedelta(days=30)),
            },
        ),
    ],
    "api_tokens:revoke": [
        Entry(
            "post",
            pattern(
                finance=404,
                department=404,
                unit=404,
                evaluator=404,
                expert=404,
                admin=404,
            ),
            data=lambda ctx, own: {"token": ctx.others_token},
        )
    ],
}


# --------------------------------------------------------------------------- walking


def _walk(
    patterns: list[URLPattern | URLResolver], namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str, str]]:
    """(namespace, full name, route) of every URL pattern of the project."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if entry.namespace and namespace:
                inner = f"{namespace}:{entry.namespace}"
            yield from _walk(entry.url_patterns, inner, prefix + str(entry.pattern))
        else:
            name = entry.name or ""
            full = f"{namespace}:{name}" if namespace and name else name
            yield namespace, full, prefix + str(entry.pattern)


def _whitelisted(namespace: str, name: str) -> bool:
    return (
        namespace == "admin"
        or (not namespace and name in AUTH_NAMES)
        or name == "set_language"
    )


def test_every_url_pattern_has_a_matrix_entry() -> None:
    missing = [
        f"{full or '(unnamed)'} {route}"
        for namespace, full, route in _walk(get_resolver().url_patterns)
        if not _whitelisted(namespace, full) and full not in MATRIX
    ]
    assert missing == []


def test_every_write_is_listed() -> None:
    """Every route that is not refused a POST (``test_a_read_refuses_post``) has a POST
    entry: the write matrix covers every POST route (issue 10, "Rights per action")."""
    writes = sorted(name for name in MATRIX if _posts(name))
    assert writes == sorted(WRITES)


def _posts(name: str) -> bool:
    return any(entry.method == "post" for entry in MATRIX[name])


# The routes that write, each with its rule (docs/rights.md).
WRITES = {
    "targets:create": "the unit, for its own project",
    "targets:indicator_add": "who prepares the form",
    "targets:indicator_update": "who prepares the form",
    "targets:indicator_delete": "who prepares the form",
    "targets:indicator_move": "who prepares the form",
    "targets:indicator_actual": "who prepares the form reports its actuals",
    "targets:submit": "who prepares the form",
    "targets:return": "the finance bureau",
    "targets:approve": "the finance bureau",
    "targets:adjustments": "who prepares the form requests a 目标调整",
    "targets:adjustment_decide": "the finance bureau",
    "targets:import": "who prepares the form",
    "targets:carry_forward": "who prepares the form copies it to the next year",
    "targets:monitoring_report_start": "who prepares the form starts its 运行监控",
    "targets:monitoring_report": "who prepares the form fills in its 运行监控",
    "targets:monitoring_report_submit": "who prepares the form submits its 运行监控",
    "targets:monitoring_report_return": "the finance bureau",
    "targets:monitoring_report_accept": "the finance bureau",
    "budgets:department_spending": "the organisation itself and the finance bureau",
    "budgets:detail": "budget: the finance bureau; 到位 and 支出: also the unit",
    "budgets:adjustment_request": "the unit requests a 预算调整",
    "budgets:adjustment_decide": "the finance bureau",
    "reviews:evaluation": "the assigned expert comments",
    "reviews:expert_assign": "the finance bureau",
    "reviews:expert_unassign": "the finance bureau",
    "evaluations:scores": "the evaluator (the unit for its self-evaluation)",
    "evaluations:submit": "who scores",
    "evaluations:data_refresh": "who scores",
    "evaluations:targets_adopt": "who scores",
    "evaluations:import_workbook": "who scores",
    "evaluations:evidence": "who scores",
    "evaluations:report_start": "who scores writes the report",
    "evaluations:report_section": "who scores writes the report",
    "evaluations:report_accept": "who scores writes the report",
    "evaluations:self_start": "the unit starts its own project's self-evaluation",
    "evaluations:self_table": "the unit fills in its own self-evaluation",
    "evaluations:self_submit": "the unit submits it to the 主管部门",
    "evaluations:self_review": "the 主管部门, then the finance bureau",
    "documents:render": "whoever reads the form (a rendering writes no data)",
    "operations:upload": "the hotline centre, for itself",
    "operations:metrics": "the hotline centre adds its own custom metrics",
    "operations:upload_confirm": "the centre that uploaded",
    "operations:upload_discard": "the centre that uploaded",
    "records:index": "the hotline centre imports its own records",
    "records:mapping": "the hotline centre names its own export's columns",
    "rectifications:create": "the finance bureau makes a finding an item",
    "rectifications:monitoring_create": "the finance bureau makes a red light an item",
    "rectifications:report": "the responsible organisation reports",
    "rectifications:evidence": "the responsible organisation adds evidence",
    "rectifications:verify": "the finance bureau verifies (销号)",
    "results_use:decision": "the finance bureau records its decision",
    "api:target_forms": "the unit starts a draft for its own project (JSON API)",
    "api:target_indicators": "who prepares the form (JSON API)",
    "api:operating_values_batch": "the hotline centre, for itself (JSON API)",
    "api:not_found": "none: every method is a 404",
    "api_tokens:list": "each user creates their own API tokens",
    "api_tokens:revoke": "each user revokes their own API tokens",
    "disclosure:review": "the finance bureau or department that sees the document",
}


def test_matrix_has_no_stale_entries() -> None:
    names = {full for _ns, full, _route in _walk(get_resolver().url_patterns)}
    assert sorted(set(MATRIX) - names) == []


# --------------------------------------------------------------------------- running


@pytest.fixture
def ctx(settings: Any, tmp_path: Path, django_user_model: type[User]) -> Ctx:
    return Ctx(
        django_user_model.objects.create_user("requester", password="x" * 12),
        settings,
        tmp_path / "media",
    )


MEMBERSHIPS = {
    "finance": ("tj-czj", Role.FINANCE),
    "department": ("tj-zwfw", Role.DEPARTMENT),
    "unit": ("tj-8890", Role.UNIT),
    "evaluator": ("tj-evaluator", Role.EVALUATOR),
    "expert": ("tj-czj", Role.EXPERT),
    "admin": ("tj-czj", Role.ADMINISTRATOR),
}


def client_for(role: str, ctx: Ctx) -> Client:
    client = Client()
    if role == "anonymous":
        return client
    organisation, membership_role = MEMBERSHIPS[role]
    user = User.objects.create_user(f"matrix-{role}", password="x" * 12)
    Membership.objects.create(
        user=user,
        organisation=Organisation.objects.get(code=organisation),
        role=membership_role,
    )
    if role == "expert":
        ExpertAssignment.objects.create(user=user, evaluation=ctx.evaluation[True])
    client.force_login(user)
    return client


CASES = [
    pytest.param(
        name,
        index,
        role,
        own,
        id=f"{name}-{entry.method}-{role}-{'own' if own else 'other'}",
    )
    for name, entries in MATRIX.items()
    for index, entry in enumerate(entries)
    for role in ROLES
    for own in (True, False)
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", [name for name in MATRIX if not _posts(name)])
def test_a_read_refuses_post(name: str, ctx: Ctx) -> None:
    """A route without a POST entry answers a POST with 405, to a user who may read it:
    a view that would take a POST unlisted fails here."""
    entry = MATRIX[name][0]
    role = next(r for r in ROLES if entry.expected[r][0] in (200, 301, 302))
    client = client_for(role, ctx)
    url = reverse(name, kwargs=entry.kwargs(ctx, True)) + entry.query
    assert client.post(url, entry.data(ctx, True)).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "index", "role", "own"), CASES)
def test_authorization_matrix(
    name: str, index: int, role: str, own: bool, ctx: Ctx
) -> None:
    entry = MATRIX[name][index]
    client = client_for(role, ctx)
    url = reverse(name, kwargs=entry.kwargs(ctx, own)) + entry.query
    if entry.method == "get":
        response = client.get(url)
    elif entry.json:
        # the JSON API (api/) reads JSON bodies, sent by POST, PATCH and DELETE
        response = getattr(client, entry.method)(
            url, entry.data(ctx, own), content_type="application/json"
        )
    else:
        response = client.post(url, entry.data(ctx, own))
    expected = entry.expected[role][0 if own else 1]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected, (url, response.content[:300])
        if expected == 302:
            assert not response["Location"].startswith(reverse("login"))
