"""The evaluation report through the document pages: scoped, escaped, rendered off the
request path, and linked from the evaluation's page."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from budgets.models import Organisation, Project
from documents.models import RenderJob
from evaluations.models import Evaluation, EvaluationIndicator, ReportSection

pytestmark = pytest.mark.django_db

FETCH = {"headers": {"X-Requested-With": "fetch"}}
NASTY = "<script>alert('x')</script> & 热线"
KIND = "evaluation_report"


def _page(code: str) -> str:
    return reverse("documents:page", args=[KIND, code])


def _preview(code: str) -> str:
    return reverse("documents:preview", args=[KIND, code])


def _render(code: str) -> str:
    return reverse("documents:render", args=[KIND, code, "pdf"])


def test_the_evaluator_renders_and_downloads_the_report_without_a_worker(
    member: Callable[[str, str], Client],
) -> None:
    client = member("tj-evaluator", Role.EVALUATOR)
    page = client.get(_page("tianjin-2020"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "2020年天津市便民专线服务中心运行经费项目绩效评价报告" in html
    assert "生成 PDF" in html
    assert "导出 Excel" not in html  # a report is PDF (and its HTML twin) only

    fragment = client.post(_render("tianjin-2020"), **FETCH)  # type: ignore[arg-type]
    job = RenderJob.objects.get(kind=KIND, object_code="tianjin-2020")
    assert (job.status, job.progress) == (RenderJob.Status.DONE, 100)
    assert reverse("documents:download", args=[job.pk]) in fragment.content.decode()
    download = client.get(reverse("documents:download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="tianjin-2020.pdf"' in download["Content-Disposition"]
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert body.startswith(b"%PDF-") and len(body) == job.size

    # The same data again: the stored file is served, nothing is rendered.
    client.post(_render("tianjin-2020"), **FETCH)  # type: ignore[arg-type]
    assert RenderJob.objects.filter(kind=KIND).count() == 1


def test_the_evaluation_page_links_the_report(
    member: Callable[[str, str], Client],
) -> None:
    client = member("tj-evaluator", Role.EVALUATOR)
    html = client.get(reverse("evaluations:detail", args=["tianjin-2020"])).content
    assert _page("tianjin-2020") in html.decode()


@pytest.mark.parametrize(
    ("organisation", "role", "status"),
    [
        ("tj-8890", Role.UNIT, 200),  # the project's own unit
        ("tj-czj", Role.FINANCE, 200),  # the commissioning bureau's city
        ("tj-evaluator", Role.EVALUATOR, 200),  # the assigned evaluator
        ("pj-yshj", Role.UNIT, 404),  # another city's unit
        ("pj-czj", Role.FINANCE, 404),  # another city's bureau
        ("pj-yshj", Role.EVALUATOR, 404),  # not the evaluator of this evaluation
    ],
)
def test_another_organisations_user_gets_a_404_everywhere(
    member: Callable[[str, str], Client], organisation: str, role: str, status: int
) -> None:
    client = member(organisation, role)
    assert client.get(_page("tianjin-2020")).status_code == status
    assert client.get(_preview("tianjin-2020")).status_code == status
    response = client.post(_render("tianjin-2020"), **FETCH)  # type: ignore[arg-type]
    assert response.status_code == status
    assert RenderJob.objects.filter(kind=KIND).count() == (1 if status == 200 else 0)


def test_a_job_of_a_report_the_user_cannot_see_is_a_404(
    member: Callable[[str, str], Client],
) -> None:
    owner = member("pj-yshj", Role.UNIT)
    owner.post(_render("panjin-2023"), **FETCH)  # type: ignore[arg-type]
    job = RenderJob.objects.get(kind=KIND, object_code="panjin-2023")
    stranger = member("tj-8890", Role.UNIT)
    assert stranger.get(reverse("documents:job", args=[job.pk])).status_code == 404
    assert stranger.get(reverse("documents:download", args=[job.pk])).status_code == 404


def test_an_unknown_evaluation_is_a_404(member: Callable[[str, str], Client]) -> None:
    client = member("tj-evaluator", Role.EVALUATOR)
    assert client.get(_page("no-such-evaluation")).status_code == 404


def test_names_with_markup_print_literally_in_the_html_twin_and_the_pdf(
    member: Callable[[str, str], Client],
) -> None:
    Project.objects.filter(code="tianjin-2020").update(name=f"项目{NASTY}")
    Organisation.objects.filter(code="tj-8890").update(name=f"中心{NASTY}")
    Organisation.objects.filter(code="tj-czj").update(name=f"财政局{NASTY}")
    EvaluationIndicator.objects.filter(
        evaluation__code="tianjin-2020", name="项目决策"
    ).update(name=f"决策{NASTY}")
    Evaluation.objects.filter(code="tianjin-2020").update(title=f"报告{NASTY}")
    # the report from the framework's outline: names in headings, 表2's title, the chart
    ReportSection.objects.filter(evaluation__code="tianjin-2020").delete()
    client = member("tj-evaluator", Role.EVALUATOR)

    html = client.get(_preview("tianjin-2020")).content.decode()
    assert "<script>" not in html
    escaped = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; 热线"
    # Title (twice), running header, 表2's title and its head, the 一级 heading and its
    # contents entry (the Chinese after it may be wrapped in spans that keep words whole)
    assert html.count(escaped.removesuffix(" &amp; 热线")) >= 7
    # …and in the SVG chart, escaped by documents.charts.
    chart = re.search(r"<svg.*?</svg>", html, re.S)
    assert chart is not None
    assert "<script" not in chart.group()
    assert "决策&lt;script" in chart.group()
    # (the category label is wrapped over lines of nine characters)
    labels = "".join(
        unescape(node) for node in re.findall(r"<text[^>]*>(.*?)</text>", chart.group())
    )
    assert f"决策{NASTY}" in labels

    client.post(_render("tianjin-2020"), **FETCH)  # type: ignore[arg-type]
    job = RenderJob.objects.get(kind=KIND, object_code="tianjin-2020")
    pdf = b"".join(
        client.get(reverse("documents:download", args=[job.pk])).streaming_content  # type: ignore[attr-defined]
    )
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True
    ).stdout.decode()
    squashed = re.sub(r"\s+", "", text)
    literal = re.sub(r"\s+", "", NASTY)
    for name in [f"项目{literal}", f"决策{literal}", f"报告{literal}"]:
        assert name in squashed
    # The running header on every page carries the project name literally.
    pages = text.count("\f")
    assert pages > 4
    assert squashed.count(f"项目{literal}2020年度绩效评价报告") == pages
