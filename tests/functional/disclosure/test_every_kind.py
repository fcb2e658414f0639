"""Every kind of document the pipeline prints gets a 公开版 (issue 17 §2): the target form,
the self-evaluation table, the evaluation report, the monitoring table, the project
information sheet and the rectification report of Tianjin 2020, each with a contact's name
and a mobile number written into the project's name (so that every kind prints them),
published with neither in its PDF or workbook, under the unit and the year."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage

from budgets.models import Project
from disclosure.services import publication_publish, redaction_review
from documents.kinds import document_types
from documents.rendering import document_render
from evaluations.models import Framework
from targets.models import TargetForm
from tests.functional.disclosure.published import workbook_text
from tests.functional.documents.readback import read_back, squash

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils"),
]

NAME, MOBILE = "许春梅", "13812345678"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


def approved_form() -> TargetForm:
    from targets.services import target_form_approve, target_form_submit

    form = TargetForm.objects.get(code="tianjin-2020")
    if form.status != "approved":
        clerk = User.objects.get_or_create(username="tj-clerk")[0]
        target_form_submit(form=form, user=clerk)
        target_form_approve(form=form, user=clerk)
    return TargetForm.objects.get(pk=form.pk)


def self_evaluation() -> str:
    from evaluations.services.self_evaluation import self_evaluation_start

    national = Framework.objects.get(code="national-self-evaluation")
    return self_evaluation_start(form=approved_form(), framework=national).code


def monitoring_report() -> str:
    from targets.monitoring_services import monitoring_report_start

    return monitoring_report_start(form=approved_form(), months=6).code


# Each kind the documents app registers, and how the test finds one of Tianjin 2020's.
CODES: dict[str, Callable[[], str]] = {
    "target_form": lambda: "tianjin-2020",
    "evaluation_report": lambda: "tianjin-2020",
    "project_info": lambda: "tianjin-2020",
    "self_evaluation_table": self_evaluation,
    "monitoring_table": monitoring_report,
    "rectification_report": lambda: "tianjin-2020",
}


def test_every_registered_kind_is_published_here() -> None:
    assert sorted(document_types()) == sorted(CODES)


@pytest.mark.parametrize("kind", sorted(CODES))
def test_each_kind_is_published_without_the_contact(kind: str, tmp_path: Path) -> None:
    code = CODES[kind]()
    Project.objects.filter(code="tianjin-2020").update(
        name=f"天津市便民专线服务中心运行经费（联系人{NAME}，手机{MOBILE}）"
    )
    review = redaction_review(kind=kind, code=code)
    internal = squash(
        read_back(
            document_render(review.doctype, review.document, format="pdf")  # type: ignore[arg-type]
        ).text
    )
    assert NAME in internal and MOBILE in internal
    found = {(item.text, item.category, item.origin) for item in review.items}
    assert (NAME, "name", "field") in found
    assert (MOBILE, "mobile", "pattern") in found

    reviewer = User.objects.create_user("tj-publisher")
    publication = publication_publish(
        kind=kind,
        code=code,
        user=reviewer,
        fingerprint=review.fingerprint,
        keep=(),
        additions=(),
    )
    assert (publication.organisation.code, publication.year) == ("tj-8890", 2020)
    with default_storage.open(str(publication.pdf.name), "rb") as file:
        pdf = file.read()
    public = squash(read_back(pdf).text)
    # nor in the file's metadata
    (tmp_path / "public.pdf").write_bytes(pdf)
    info = subprocess.run(
        ["pdfinfo", "-enc", "UTF-8", str(tmp_path / "public.pdf")],
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "Title:" in info
    assert NAME not in info and MOBILE not in info
    assert "天津市便民专线服务中心运行经费" in public
    assert NAME not in public and MOBILE not in public
    assert "（已隐去）" in public
    if publication.xlsx:
        with default_storage.open(str(publication.xlsx.name), "rb") as file:
            cells = squash(workbook_text(file.read()))
        assert "天津市便民专线服务中心运行经费" in cells
        assert NAME not in cells and MOBILE not in cells
