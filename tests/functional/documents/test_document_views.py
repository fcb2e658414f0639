"""Document pages: preview, render, progress, download — each scoped to what the user sees."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from io import BytesIO

import pdfplumber
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from budgets.models import Organisation, Project
from documents.models import RenderJob

pytestmark = pytest.mark.django_db

FETCH = {"headers": {"X-Requested-With": "fetch"}}
NASTY = "<script>alert('x')</script> & 热线"


def _urls(kind: str, code: str, job: RenderJob | None = None) -> dict[str, str]:
    urls = {
        "page": reverse("documents:page", args=[kind, code]),
        "preview": reverse("documents:preview", args=[kind, code]),
    }
    if job is not None:
        urls["job"] = reverse("documents:job", args=[job.pk])
        urls["download"] = reverse("documents:download", args=[job.pk])
    return urls


def _render(client: Client, code: str, format: str = "pdf") -> RenderJob:
    url = reverse("documents:render", args=["target_form", code, format])
    response = client.post(url, **FETCH)  # type: ignore[arg-type]
    assert response.status_code == 200
    return RenderJob.objects.filter(object_code=code, format=format).latest(
        "created_at"
    )


def test_a_unit_renders_and_downloads_its_form_without_a_worker(
    member: Callable[[str, str], Client],
) -> None:
    client = member("tj-8890", Role.UNIT)
    page = client.get(_urls("target_form", "tianjin-2020")["page"])
    assert page.status_code == 200
    assert "生成 PDF" in page.content.decode()

    url = reverse("documents:render", args=["target_form", "tianjin-2020", "pdf"])
    fragment = client.post(url, **FETCH)  # type: ignore[arg-type]
    job = RenderJob.objects.get(object_code="tianjin-2020")
    # The embedded default backend ran the task inside the request: the fragment offers
    # the file and no longer asks to be polled.
    assert (job.status, job.progress) == (RenderJob.Status.DONE, 100)
    html = fragment.content.decode()
    assert reverse("documents:download", args=[job.pk]) in html
    assert "data-poll" not in html

    download = client.get(reverse("documents:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="tianjin-2020.pdf"' in download["Content-Disposition"]
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert body.startswith(b"%PDF-") and len(body) == job.size


def test_the_workbook_downloads_as_xlsx(member: Callable[[str, str], Client]) -> None:
    client = member("sz-bmfw", Role.UNIT)
    job = _render(client, "suzhou-2023", "xlsx")
    download = client.get(reverse("documents:download", args=[job.pk]))
    assert download["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert 'filename="suzhou-2023.xlsx"' in download["Content-Disposition"]


def test_without_javascript_the_render_form_returns_to_the_page_with_the_job(
    member: Callable[[str, str], Client],
) -> None:
    client = member("sz-bmfw", Role.UNIT)
    url = reverse("documents:render", args=["target_form", "suzhou-2023", "pdf"])
    response = client.post(url)
    job = RenderJob.objects.get(object_code="suzhou-2023")
    assert response.status_code == 302
    assert response["Location"].endswith(f"?job={job.pk}")
    page = client.get(response["Location"])
    assert reverse("documents:download", args=[job.pk]) in page.content.decode()


def test_the_progress_fragment_polls_until_the_job_is_finished(
    member: Callable[[str, str], Client],
) -> None:
    client = member("tj-8890", Role.UNIT)
    job = RenderJob.objects.create(
        kind="target_form",
        object_code="tianjin-2020",
        format="pdf",
        fingerprint="0" * 64,
        status=RenderJob.Status.RUNNING,
        progress=40,
    )
    html = client.get(reverse("documents:job", args=[job.pk])).content.decode()
    assert f'data-poll="{reverse("documents:job", args=[job.pk])}"' in html
    assert 'value="40"' in html and "生成中 40%" in html

    RenderJob.objects.filter(pk=job.pk).update(
        status=RenderJob.Status.FAILED, error="RuntimeError: out of paper"
    )
    html = client.get(reverse("documents:job", args=[job.pk])).content.decode()
    assert "data-poll" not in html
    assert "生成失败。" in html
    assert "RuntimeError" not in html  # the cause is for staff only
    client.force_login(User.objects.create_superuser("support", password="x" * 12))
    html = client.get(reverse("documents:job", args=[job.pk])).content.decode()
    assert "生成失败。 RuntimeError: out of paper" in html
    assert client.get(reverse("documents:download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize(
    ("organisation", "role", "code"),
    [
        ("sz-bmfw", Role.UNIT, "tianjin-2020"),  # another city's unit
        ("tj-8890", Role.UNIT, "suzhou-2023"),
        ("sh-xfb", Role.DEPARTMENT, "tianjin-2020"),
        ("tj-czj", Role.FINANCE, "shanghai-2019"),  # finance bureau of another city
        ("tj-evaluator", Role.EVALUATOR, "tianjin-2020"),  # evaluators see no forms
    ],
)
def test_another_organisation_can_neither_render_nor_download(
    member: Callable[[str, str], Client],
    client: Client,
    organisation: str,
    role: str,
    code: str,
) -> None:
    owner = User.objects.create_superuser("owner", password="x" * 12)
    client.force_login(owner)
    job = _render(client, code)
    assert job.status == RenderJob.Status.DONE

    outsider = member(organisation, role)
    urls = _urls("target_form", code, job)
    for name, url in urls.items():
        assert outsider.get(url).status_code == 404, name
    render = reverse("documents:render", args=["target_form", code, "pdf"])
    assert outsider.post(render, **FETCH).status_code == 404  # type: ignore[arg-type]
    assert RenderJob.objects.count() == 1


def test_the_finance_bureau_of_the_city_sees_the_form(
    member: Callable[[str, str], Client],
) -> None:
    client = member("tj-czj", Role.FINANCE)
    assert (
        client.get(_urls("target_form", "tianjin-2020")["preview"]).status_code == 200
    )


def test_anonymous_users_are_sent_to_log_in(client: Client) -> None:
    response = client.get(_urls("target_form", "tianjin-2020")["preview"])
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_kinds_formats_objects_and_methods(
    member: Callable[[str, str], Client],
) -> None:
    client = member("tj-8890", Role.UNIT)
    assert client.get("/documents/nonsense/tianjin-2020/").status_code == 404
    assert client.get("/documents/target_form/no-such-form/preview/").status_code == 404
    render = reverse("documents:render", args=["target_form", "tianjin-2020", "docx"])
    assert client.post(render).status_code == 404
    render = reverse("documents:render", args=["target_form", "tianjin-2020", "pdf"])
    assert client.get(render).status_code == 405
    assert (
        client.get("/documents/jobs/6f1c5a0e-0000-4000-8000-000000000000/").status_code
        == 404
    )


def test_names_with_markup_print_literally_in_the_preview_and_the_pdf(
    member: Callable[[str, str], Client],
) -> None:
    Project.objects.filter(code="tianjin-2020").update(name=NASTY)
    Organisation.objects.filter(code="tj-zwfw").update(name="政务服务办 <b>&amp;</b>")
    Organisation.objects.filter(code="sz-bmfw").update(name=NASTY)
    client = member("tj-8890", Role.UNIT)

    preview = client.get(
        _urls("target_form", "tianjin-2020")["preview"]
    ).content.decode()
    assert "<script>" not in preview and "<b>" not in preview
    # the typesetter's word and unit spans (documents.typesetting) set aside
    preview = re.sub(r'<span class="(?:word|nobr)">|</span>', "", preview)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; 热线" in preview
    assert "政务服务办 &lt;b&gt;&amp;amp;&lt;/b&gt;" in preview

    job = _render(client, "tianjin-2020")
    download = client.get(reverse("documents:download", args=[job.pk]))
    pdf = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert NASTY in text  # in the 项目名称 cell and in the running header
    assert text.count("<script>") == 2
    assert "政务服务办 <b>&amp;</b>" in text

    # The department form prints the organisation name the same way.
    sz = Client()
    sz.force_login(User.objects.create_superuser("root", password="x" * 12))
    job = _render(sz, "suzhou-2023")
    pdf = b"".join(
        sz.get(reverse("documents:download", args=[job.pk])).streaming_content
    )  # type: ignore[attr-defined]
    with pdfplumber.open(BytesIO(pdf)) as reader:
        first = reader.pages[0].extract_text()
    assert first.count(NASTY) == 2  # 单位名称 and the running header
