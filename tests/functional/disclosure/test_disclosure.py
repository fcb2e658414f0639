"""信息公开 (issue 17 §2): the 公开版 of seed 000's documents carries no personal data, the
reviewer's list shows what was removed, publication is recorded, and the public index
serves only what was published."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.access import Role
from disclosure.models import Publication, RedactionItem
from disclosure.redaction import PLACEHOLDER
from disclosure.services import item_key, redaction_review
from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind
from documents.rendering import document_render
from tests.functional.disclosure.published import workbook_text
from tests.functional.documents.readback import read_back, squash
from tests.personas import log_in_as

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils"),
]

NAME, PHONE = "许春梅", "022-24538025"
# what must appear in no public response, in any spelling a reader could search for
PERSONAL = (NAME, PHONE, "24538025")


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


@pytest.fixture
def reviewer() -> Client:
    return log_in_as("tj-finance-reviewer", "tj-czj", Role.FINANCE)


def review_url(kind: str, code: str = "tianjin-2020") -> str:
    return reverse("disclosure:review", args=[kind, code])


def publish(
    client: Client,
    kind: str,
    code: str = "tianjin-2020",
    *,
    keep: tuple[str, ...] = (),
    additions: str = "",
) -> Publication:
    review = redaction_review(kind=kind, code=code)
    response = client.post(
        review_url(kind, code),
        {
            "fingerprint": review.fingerprint,
            "keep": [item_key(text) for text in keep],
            "additions": additions,
            "action": "publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    publication = Publication.objects.get(kind=kind, object_code=code)
    assert response["Location"] == reverse(
        "disclosure:publication", args=[publication.pk]
    )
    return publication


def pdf_text(pdf: bytes) -> str:
    return squash(read_back(pdf).text)


def public_pdf(publication: Publication) -> bytes:
    response = Client().get(
        reverse("disclosure:public_file", args=[publication.pk, "pdf"])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_seed_000_contact_is_in_the_internal_pdf_and_in_no_public_version_or_url(
    reviewer: Client,
) -> None:
    doctype = document_type(DocumentKind.PROJECT_INFO)
    assert doctype is not None
    internal = pdf_text(
        document_render(doctype, doctype.build("tianjin-2020"), DocumentFormat.PDF)
    )
    assert NAME in internal and PHONE in internal

    published = [
        publish(reviewer, kind)
        for kind in (
            DocumentKind.PROJECT_INFO,
            DocumentKind.TARGET_FORM,
            DocumentKind.EVALUATION_REPORT,
        )
    ]
    anonymous = Client()
    for publication in published:
        text = pdf_text(public_pdf(publication))
        for personal in PERSONAL:
            assert personal not in text, (publication.kind, personal)
        assert "天津市便民专线服务中心运行经费" in text  # the document, printed
    # the sheet's own cells say what was removed, in the rows that held it
    info = read_back(public_pdf(published[0]))
    assert info.row_with("项目负责人", PLACEHOLDER, "联系电话", PLACEHOLDER)
    assert info.row_with("项目名称", "天津市便民专线服务中心运行经费")
    # the workbooks too
    for publication in published:
        if not publication.xlsx:
            continue
        response = anonymous.get(
            reverse("disclosure:public_file", args=[publication.pk, "xlsx"])
        )
        assert response.status_code == 200
        cells = workbook_text(
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        )
        assert "运行经费" in cells
        for personal in PERSONAL:
            assert personal not in cells, (publication.kind, personal)
    # every public page and listing
    for url in (
        reverse("disclosure:public_index"),
        reverse("disclosure:public_index") + "?year=2020&organisation=tj-8890",
        reverse("disclosure:public_json"),
        reverse("disclosure:public_csv"),
    ):
        response = anonymous.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8-sig")
        assert "天津市便民专线服务中心" in body
        for personal in PERSONAL:
            assert personal not in body, (url, personal)


def test_the_redaction_list_shows_what_was_removed_and_the_act_is_recorded(
    reviewer: Client,
) -> None:
    page = reviewer.get(review_url(DocumentKind.PROJECT_INFO))
    assert page.status_code == 200
    html = page.content.decode()
    rows = html.split('id="redaction-list"')[1].split("</table>")[0]
    assert NAME in rows and PHONE in rows
    assert "联系人" not in rows
    assert "联系字段：项目负责人" in rows and "联系字段：联系电话" in rows

    publication = publish(reviewer, DocumentKind.PROJECT_INFO)
    items = list(publication.items.order_by("position"))
    assert [
        (item.text, item.category, item.origin, item.decision, item.occurrences)
        for item in items
    ] == [
        (NAME, "name", "field", "removed", 1),
        (PHONE, "landline", "field", "removed", 1),
    ]
    assert publication.number == 1
    assert publication.year == 2020
    assert publication.organisation.code == "tj-8890"
    assert publication.published_by.username == "tj-finance-reviewer"
    assert (
        publication.source_fingerprint
        == redaction_review(
            kind=DocumentKind.PROJECT_INFO, code="tianjin-2020"
        ).fingerprint
    )
    record = reviewer.get(reverse("disclosure:publication", args=[publication.pk]))
    body = record.content.decode()
    assert NAME in body and PHONE in body and "tj-finance-reviewer" in body
    assert publication.source_fingerprint in body


def test_the_reviewer_keeps_one_item_and_adds_another(reviewer: Client) -> None:
    publication = publish(
        reviewer,
        DocumentKind.PROJECT_INFO,
        keep=(PHONE,),
        additions="招聘新员工\n",
    )
    text = pdf_text(public_pdf(publication))
    assert PHONE in text  # kept
    assert NAME not in text
    assert "招聘新员工" not in text  # added
    decisions = {
        item.text: (item.origin, item.decision) for item in publication.items.all()
    }
    assert decisions == {
        NAME: ("field", "removed"),
        PHONE: ("field", "kept"),
        "招聘新员工": ("reviewer", "removed"),
    }


def test_an_addition_not_in_the_document_is_refused_and_nothing_published(
    reviewer: Client,
) -> None:
    review = redaction_review(kind=DocumentKind.PROJECT_INFO, code="tianjin-2020")
    response = reviewer.post(
        review_url(DocumentKind.PROJECT_INFO),
        {
            "fingerprint": review.fingerprint,
            "additions": "张三丰",
            "action": "publish",
        },
    )
    assert response.status_code == 400
    assert "“张三丰”不在文件中" in response.content.decode()
    assert not Publication.objects.exists()


def test_a_stale_tab_publishes_nothing_and_shows_the_list_again(
    reviewer: Client,
) -> None:
    review = redaction_review(kind=DocumentKind.PROJECT_INFO, code="tianjin-2020")
    from budgets.models import Project

    Project.objects.filter(code="tianjin-2020").update(manager_phone="13812345678")
    response = reviewer.post(
        review_url(DocumentKind.PROJECT_INFO),
        {"fingerprint": review.fingerprint, "action": "publish"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "文件在此清单生成后已变动" in html
    assert "13812345678" in html  # the list as the document is now
    assert not Publication.objects.exists()


def test_an_unpublished_or_internal_file_is_not_reachable_without_login(
    reviewer: Client,
) -> None:
    anonymous = Client()
    # the internal document's pages and its render job's file
    for url in (
        review_url(DocumentKind.PROJECT_INFO),
        reverse("disclosure:preview", args=[DocumentKind.PROJECT_INFO, "tianjin-2020"]),
        reverse("documents:preview", args=[DocumentKind.PROJECT_INFO, "tianjin-2020"]),
        reverse("disclosure:list"),
    ):
        response = anonymous.get(url)
        assert (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        )
    first = publish(reviewer, DocumentKind.PROJECT_INFO, keep=(PHONE,))
    assert (
        anonymous.get(reverse("disclosure:publication", args=[first.pk])).status_code
        == 302
    )
    # published again without the phone: the first 公开版 is no longer served
    review = redaction_review(kind=DocumentKind.PROJECT_INFO, code="tianjin-2020")
    reviewer.post(
        review_url(DocumentKind.PROJECT_INFO),
        {"fingerprint": review.fingerprint, "action": "publish"},
    )
    second = Publication.objects.get(number=2)
    assert (
        anonymous.get(
            reverse("disclosure:public_file", args=[first.pk, "pdf"])
        ).status_code
        == 404
    )
    assert PHONE not in pdf_text(public_pdf(second))
    listing = json.loads(anonymous.get(reverse("disclosure:public_json")).content)
    assert [(d["code"], d["number"]) for d in listing["documents"]] == [
        ("tianjin-2020", 2)
    ]
    assert listing["documents"][0]["removed_items"] == 2
    assert listing["documents"][0]["organisation"] == "天津市便民专线服务中心"
    assert listing["documents"][0]["year"] == 2020


def test_another_organisations_reviewer_cannot_publish(reviewer: Client) -> None:
    review = redaction_review(kind=DocumentKind.PROJECT_INFO, code="tianjin-2020")
    data = {"fingerprint": review.fingerprint, "action": "publish"}
    panjin = log_in_as("pj-finance-reviewer", "pj-czj", Role.FINANCE)
    assert panjin.post(review_url(DocumentKind.PROJECT_INFO), data).status_code == 404
    assert panjin.get(review_url(DocumentKind.PROJECT_INFO)).status_code == 404
    unit = log_in_as("tj-unit-staff", "tj-8890", Role.UNIT)
    assert unit.post(review_url(DocumentKind.PROJECT_INFO), data).status_code == 403
    assert not Publication.objects.exists()
    # and the record of a publication is not theirs to read
    publication = publish(reviewer, DocumentKind.PROJECT_INFO)
    assert (
        panjin.get(reverse("disclosure:publication", args=[publication.pk])).status_code
        == 404
    )


def test_the_csv_listing_has_a_row_per_published_document(reviewer: Client) -> None:
    publication = publish(reviewer, DocumentKind.TARGET_FORM)
    response = Client().get(reverse("disclosure:public_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["年度", "单位", "单位代码", "文件类型", "标题"]
    assert rows[1][0:4] == ["2020", "天津市便民专线服务中心", "tj-8890", "绩效目标表"]
    assert rows[1][8].endswith(f"/disclosure/public/{publication.pk}.pdf")
    assert RedactionItem.objects.filter(publication=publication).count() == 2


def test_the_public_index_and_listing_filter_by_year_and_organisation(
    reviewer: Client,
) -> None:
    from django.contrib.auth.models import User

    from disclosure.services import publication_publish

    publish(reviewer, DocumentKind.PROJECT_INFO)
    panjin = redaction_review(kind=DocumentKind.PROJECT_INFO, code="panjin-2023")
    publication_publish(
        kind=DocumentKind.PROJECT_INFO,
        code="panjin-2023",
        user=User.objects.create_user("pj-publisher"),
        fingerprint=panjin.fingerprint,
        keep=(),
        additions=(),
    )
    anonymous = Client()

    def listed(query: str) -> list[tuple[str, int, str]]:
        response = anonymous.get(reverse("disclosure:public_json") + query)
        return [
            (d["code"], d["year"], d["organisation_code"])
            for d in json.loads(response.content)["documents"]
        ]

    panjin_unit = Publication.objects.get(object_code="panjin-2023").organisation.code
    assert listed("") == [
        ("panjin-2023", 2023, panjin_unit),
        ("tianjin-2020", 2020, "tj-8890"),
    ]
    assert listed("?year=2020") == [("tianjin-2020", 2020, "tj-8890")]
    assert listed(f"?organisation={panjin_unit}") == [
        ("panjin-2023", 2023, panjin_unit)
    ]
    assert listed("?year=2020&organisation=" + panjin_unit) == []
    # a malformed filter is ignored
    assert len(listed("?year=²&organisation=%00")) == 2
    page = anonymous.get(reverse("disclosure:public_index") + "?year=2023")
    html = page.content.decode()
    assert "2023年度" in html and "2020年度" not in html
    assert ">2020</option>" in html  # every year stays offered
