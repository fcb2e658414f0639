"""Benchmark (not a test): server time of the target, budget and dashboard pages with 10,000
projects and their target forms, against a minimal Django view in the same run.

Every page is requested through Django's test client (the whole middleware stack, the
session, the login, the template; no network), in ``--runs`` rounds that request every page
once (so that the machine's busy moments fall on all pages alike), after two warm-up rounds;
two baselines go through the same stack: a minimal view (reads the session's user, returns
``HttpResponse``) and a minimal list page (25 rows of one table in the site's base
template: the issue's "simple list page"). It reports the median and the 95th percentile in
milliseconds, the p95 as a multiple of each baseline's p95 (the issue's goal: ≤ 5×), and
the number of queries of each page.

    .venv/bin/python benchmarks/pages.py [--projects 10000] [--runs 60]

It builds its own in-memory SQLite database (migrations, the seeds, then the generated
projects, written with ``bulk_create``) unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import types
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline_perf.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import path  # noqa: E402

from accounts.models import Membership  # noqa: E402
from budgets.models import BudgetLine, BudgetYear, Organisation, Project  # noqa: E402
from core.access import Role  # noqa: E402
from core.seeding import seeds_load  # noqa: E402
from evaluations.models import (  # noqa: E402
    Evaluation,
    EvaluationKind,
    ReviewStage,
)
from targets.models import (  # noqa: E402
    MonitoringLight,
    MonitoringLine,
    MonitoringReport,
    MonitoringStatus,
    TargetForm,
    TargetIndicator,
)

LEAVES = (
    ("全年受理(咨询)量", "≥750 万件"),
    ("接通率", "≥95%"),
    ("办结率", "≥90%"),
    ("满意率", "≥90%"),
    ("录用合同制员工人数", "≤1030 人"),
)


def minimal(request: HttpRequest) -> HttpResponse:
    """The least a logged-in page does: the session and the user are read."""
    return HttpResponse(f"ok {request.user.pk}")


@login_required
def minimal_list(request: HttpRequest) -> HttpResponse:
    """A simple list page: 25 rows of one table through the site's base template."""
    page = Paginator(Project.objects.order_by("code"), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "benchmark_list.html", {"page": page})


def use_urls_with_minimal_view() -> None:
    from hotline_perf import urls

    module = types.ModuleType("benchmark_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("bench/minimal/", minimal),
        path("bench/list/", minimal_list),
        *urls.urlpatterns,
    ]
    settings.TEMPLATES[0]["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.cached.Loader",
            [
                (
                    "django.template.loaders.locmem.Loader",
                    {
                        "benchmark_list.html": '{% extends "base.html" %}{% block content %}'
                        '<table class="grid">{% for p in page %}<tr><td>{{ p.code }}</td>'
                        "<td>{{ p.name }}</td></tr>{% endfor %}</table>{% endblock %}"
                    },
                ),
                "django.template.loaders.filesystem.Loader",
                "django.template.loaders.app_directories.Loader",
            ],
        )
    ]
    settings.TEMPLATES[0]["APP_DIRS"] = False
    sys.modules["benchmark_urls"] = module
    settings.ROOT_URLCONF = "benchmark_urls"


def generate(count: int) -> Organisation:
    """``count`` Tianjin projects in 100 units, each with a budget year (three lines) and a
    target form of 7 indicators; returns the first unit."""
    department = Organisation.objects.get(code="tj-zwfw")
    units = Organisation.objects.bulk_create(
        Organisation(
            code=f"bench-unit-{n}",
            name=f"热线中心{n:03d}",
            kind=Organisation.Kind.UNIT,
            region="天津市",
            city="天津市",
            parent=department,
        )
        for n in range(100)
    )
    projects = Project.objects.bulk_create(
        Project(
            code=f"bench-{n}",
            name=f"便民热线运行项目{n:05d}",
            department=department,
            unit=units[n % 100],
        )
        for n in range(count)
    )
    years = BudgetYear.objects.bulk_create(
        BudgetYear(
            project=p,
            year=2022,
            initial=Decimal(1000),
            received=Decimal(1000),
            expenditure=Decimal(400 + n % 600),
        )
        for n, p in enumerate(projects)
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            budget_year=y,
            position=i,
            category=category,
            budget=Decimal(500 if i == 1 else 250),
            expenditure=Decimal(200 + i),
        )
        for y in years
        for i, category in enumerate(
            ["工资福利支出", "商品和服务支出", "资本性支出"], 1
        )
    )
    forms = TargetForm.objects.bulk_create(
        TargetForm(
            code=f"bench-{n}",
            layout="project",
            year=2022,
            project=p,
            title="项目支出绩效目标表",
            funds_total=Decimal(1000),
        )
        for n, p in enumerate(projects)
    )
    roots = TargetIndicator.objects.bulk_create(
        TargetIndicator(form=f, level="level1", name="产出指标", position=1)
        for f in forms
    )
    branches = TargetIndicator.objects.bulk_create(
        TargetIndicator(form=f, parent=r, level="level2", name="质量指标", position=2)
        for f, r in zip(forms, roots, strict=True)
    )
    leaves = []
    for f, b in zip(forms, branches, strict=True):
        for i, (name, value) in enumerate(LEAVES, 3):
            leaf = TargetIndicator(
                form=f, parent=b, level="level3", name=name, position=i
            )
            leaf.set_values(full_year=value)
            leaves.append(leaf)
    TargetIndicator.objects.bulk_create(leaves, batch_size=5000)
    generate_stages(projects, forms)
    return units[0]


def generate_stages(projects: list[Project], forms: list[TargetForm]) -> None:
    """The later stages of the year, for the year at a glance: every project's 运行监控
    report (half year, five lines: one in seven red, one in seven yellow), a self-evaluation (accepted, in
    review or a draft) and, for one project in ten, a submitted third-party evaluation."""
    lights = [MonitoringLight.RED, MonitoringLight.YELLOW, MonitoringLight.GREEN]
    reports = MonitoringReport.objects.bulk_create(
        MonitoringReport(
            code=f"{f.code}-m6",
            form=f,
            months=6,
            status=MonitoringStatus.SUBMITTED,
        )
        for f in forms
    )
    MonitoringLine.objects.bulk_create(
        (
            MonitoringLine(
                report=r,
                position=i,
                kind=MonitoringLine.Kind.INDICATOR,
                name=name,
                light=lights[min((n + i) % 7, 2)],
            )
            for n, r in enumerate(reports)
            for i, (name, _value) in enumerate(LEAVES, 1)
        ),
        batch_size=5000,
    )
    stages = [ReviewStage.ACCEPTED, ReviewStage.FINANCE, ReviewStage.NONE]
    Evaluation.objects.bulk_create(
        (
            Evaluation(
                code=f"{p.code}-self",
                kind=EvaluationKind.SELF,
                project=p,
                year=2022,
                title="项目支出绩效自评表",
                status=Evaluation.Status.DRAFT
                if n % 3 == 2
                else Evaluation.Status.SUBMITTED,
                review_stage=stages[n % 3],
                published_total=None if n % 3 == 2 else Decimal(80 + n % 20),
                published_grade="" if n % 3 == 2 else ("优" if n % 20 >= 10 else "良"),
            )
            for n, p in enumerate(projects)
        ),
        batch_size=5000,
    )
    Evaluation.objects.bulk_create(
        (
            Evaluation(
                code=f"{p.code}-third-party",
                kind=EvaluationKind.THIRD_PARTY,
                project=p,
                year=2022,
                title="重点绩效评价",
                status=Evaluation.Status.SUBMITTED,
                published_total=Decimal(75 + n % 25),
                published_grade="优" if n % 25 >= 15 else "良" if n % 25 >= 5 else "中",
            )
            for n, p in enumerate(projects)
            if n % 10 == 0
        ),
        batch_size=5000,
    )


def member(username: str, organisation: Organisation, role: str) -> Client:
    user = User.objects.create_user(username)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    client = Client()
    client.force_login(user)
    return client


def measure(
    pages: list[tuple[str, Client, str]], runs: int
) -> list[tuple[str, float, float, int]]:
    """``runs`` rounds, each requesting every page once (so that a busy moment of the
    machine falls on all pages alike, baselines included), after two warm-up rounds."""
    for _ in range(2):
        for _name, client, url in pages:
            assert client.get(url).status_code == 200, url
    times: list[list[float]] = [[] for _ in pages]
    for _ in range(runs):
        for index, (_name, client, url) in enumerate(pages):
            start = time.perf_counter()
            client.get(url)
            times[index].append((time.perf_counter() - start) * 1000)
    results = []
    for (name, client, url), samples in zip(pages, times, strict=True):
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        samples.sort()
        p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
        results.append((name, statistics.median(samples), p95, len(queries)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    seeds_load()
    unit = generate(args.projects)
    with connection.cursor() as cursor:
        # the planner statistics a live database keeps (PostgreSQL's autovacuum runs it
        # after this many inserts; SQLite's ``PRAGMA optimize`` does the same)
        cursor.execute("ANALYZE")
    print(
        f"database: {connection.vendor}; {Project.objects.count()} projects, "
        f"{TargetForm.objects.count()} target forms, "
        f"{TargetIndicator.objects.count()} indicators "
        f"(built in {time.perf_counter() - started:.1f} s)"
    )
    use_urls_with_minimal_view()
    settings.DEBUG = False
    reset_queries()
    finance = member(
        "bench-finance", Organisation.objects.get(code="tj-czj"), Role.FINANCE
    )
    centre = member("bench-centre", unit, Role.UNIT)
    last = (args.projects + 24) // 25
    pages = [
        ("minimal view", finance, "/bench/minimal/"),
        ("minimal list page (baseline)", finance, "/bench/list/"),
        ("home (finance)", finance, "/"),
        ("target forms list", finance, "/targets/"),
        ("target forms list, middle page", finance, f"/targets/?page={last // 2}"),
        ("target forms list, last page", finance, f"/targets/?page={last}"),
        (
            "target forms list, sorted, filtered",
            finance,
            "/targets/?sort=project&year=2022&q=热线",
        ),
        ("budgets list", finance, "/budgets/"),
        ("projects dashboard", finance, "/dashboards/projects/?year=2022"),
        ("operating data home (finance)", finance, "/operations/"),
        ("monitoring index (finance)", finance, "/operations/monitoring/"),
        ("evaluations list (finance)", finance, "/evaluations/"),
        ("target forms list (unit)", centre, "/targets/"),
        ("target form (grid + review)", centre, "/targets/bench-0/"),
        ("target form monitoring", centre, "/targets/bench-0/monitoring/"),
        ("target form history", centre, "/targets/bench-0/history/"),
        ("budget year", centre, "/budgets/bench-0/2022/"),
        ("unit dashboard", centre, f"/dashboards/units/{unit.code}/"),
        ("seed form Tianjin 2020 (finance)", finance, "/targets/tianjin-2020/"),
        ("year at a glance (finance)", finance, "/overview/?year=2022"),
        (
            "year at a glance, by key evaluation",
            finance,
            "/overview/?year=2022&sort=external",
        ),
        (
            "year at a glance, red lights, searched",
            finance,
            "/overview/?year=2022&light=red&q=热线&sort=-self",
        ),
        ("year at a glance (unit)", centre, "/overview/?year=2022"),
    ]
    results = measure(pages, args.runs)
    minimal_p95, baseline = results[0][2], results[1][2]
    print(
        f"{'page':40} {'median ms':>10} {'p95 ms':>8} {'÷ minimal':>10} "
        f"{'÷ list':>8} {'queries':>8}"
    )
    for name, median, p95, queries in results:
        print(
            f"{name:40} {median:10.1f} {p95:8.1f} {p95 / minimal_p95:10.1f} "
            f"{p95 / baseline:8.1f} {queries:8d}"
        )


if __name__ == "__main__":
    main()
