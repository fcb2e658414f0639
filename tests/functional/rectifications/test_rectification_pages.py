"""问题整改 (issue 15 §3): Tianjin 2020's four findings become items linked to their
finding and recommendation; the unit reports with evidence, the bureau verifies (销号);
bad input is refused in Chinese and changes nothing; overdue items are flagged; 待办; the
整改情况报告 reads back."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from budgets.models import Organisation
from core.access import Role
from core.inbox import inbox
from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind
from documents.rendering import document_render
from evaluations.models import Finding
from evaluations.views import evidence as evaluation_evidence
from rectifications.models import (
    RectificationEvidence,
    RectificationItem,
    RectificationStatus,
)
from rectifications.services import item_from_finding
from tests.functional.documents.readback import read_back, squash
from tests.personas import log_in_as, member

pytestmark = pytest.mark.django_db

TIANJIN_FINDINGS = [
    ("绩效目标设置合理性不足", "突出工作重点，合理设置绩效指标"),
    ("预算调整未履程序，预算执行约束力不强", "加强预算管理，严格执行预算调整程序"),
    ("未制定地方政务服务热线规范标准", "完善现有制度，细化地方服务标准"),
    ("未留存后台原始数据，资料归档存在不足", "强化风险意识，做好后台数据保存"),
]


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _create_post(
    finding: Finding, unit: Organisation, deadline: date
) -> dict[str, str]:
    prefix = f"finding-{finding.pk}"
    return {
        f"{prefix}-responsible": str(unit.pk),
        f"{prefix}-measures": "制定整改方案，明确责任人",
        f"{prefix}-deadline": deadline.isoformat(),
    }


def _tianjin_items(deadline: date) -> list[RectificationItem]:
    unit = Organisation.objects.get(code="tj-8890")
    return [
        item_from_finding(
            finding=finding,
            responsible=unit,
            measures=f"整改措施{finding.position}",
            deadline=deadline,
            user=None,
        )
        for finding in Finding.objects.filter(evaluation__code="tianjin-2020").order_by(
            "position"
        )
    ]


def test_each_of_tianjins_four_findings_becomes_an_item_linked_to_its_recommendation(
    media: Path,
) -> None:
    finance = log_in_as("tj-finance", "tj-czj", Role.FINANCE)
    unit = Organisation.objects.get(code="tj-8890")
    deadline = timezone.localdate() + timedelta(days=90)
    for finding in Finding.objects.filter(evaluation__code="tianjin-2020").order_by(
        "position"
    ):
        response = finance.post(
            reverse("rectifications:create", args=["tianjin-2020", finding.pk]),
            _create_post(finding, unit, deadline),
        )
        assert response.status_code == 302, response.content.decode()
    items = RectificationItem.objects.filter(evaluation__code="tianjin-2020").order_by(
        "finding__position"
    )
    links = [(i.finding, i.recommendation) for i in items]
    assert [
        (f.title, r.title) for f, r in links if f is not None and r is not None
    ] == TIANJIN_FINDINGS
    assert [
        (i.title, f.position) for i, (f, _r) in zip(items, links, strict=True) if f
    ] == [(title, n) for n, (title, _r) in enumerate(TIANJIN_FINDINGS, start=1)]
    first = items[0]
    assert first.problem.startswith("一方面，个别产出数量指标与实际需求不符。")
    assert first.project is not None
    assert first.project.code == "tianjin-2020"
    assert first.year == 2020
    assert first.responsible == unit
    assert first.deadline == deadline
    assert first.status == RectificationStatus.OPEN
    assert first.source_text == (
        "2020年天津市便民专线服务中心运行经费项目绩效评价报告，问题 1"
    )
    page = finance.get(reverse("rectifications:evaluation", args=["tianjin-2020"]))
    text = page.content.decode()
    assert text.count('class="item-state"') == 4
    assert "item-create" not in text


def test_a_deadline_in_the_past_is_refused_in_chinese_and_nothing_is_created(
    media: Path,
) -> None:
    finance = log_in_as("tj-finance", "tj-czj", Role.FINANCE)
    finding = Finding.objects.get(evaluation__code="tianjin-2020", position=2)
    unit = Organisation.objects.get(code="tj-8890")
    yesterday = timezone.localdate() - timedelta(days=1)
    response = finance.post(
        reverse("rectifications:create", args=["tianjin-2020", finding.pk]),
        _create_post(finding, unit, yesterday),
    )
    assert response.status_code == 400
    assert (
        f"完成时限 {yesterday.isoformat()} 已过：请选择今天或以后的日期。"
        in response.content.decode()
    )
    assert not RectificationItem.objects.exists()


def test_the_service_refuses_a_past_deadline_too() -> None:
    from django.core.exceptions import ValidationError

    finding = Finding.objects.get(evaluation__code="tianjin-2020", position=1)
    with pytest.raises(ValidationError) as refused:
        item_from_finding(
            finding=finding,
            responsible=Organisation.objects.get(code="tj-8890"),
            measures="x",
            deadline=date(2021, 1, 1),
            user=None,
            today=date(2021, 1, 2),
        )
    assert refused.value.message_dict == {
        "deadline": ["完成时限 2021-01-01 已过：请选择今天或以后的日期。"]
    }
    assert not RectificationItem.objects.exists()


def test_the_unit_closes_an_item_with_evidence_and_finance_verifies_it(
    media: Path,
) -> None:
    item = _tianjin_items(timezone.localdate() + timedelta(days=30))[1]
    unit = log_in_as("tj-centre", "tj-8890", Role.UNIT)
    detail = reverse("rectifications:detail", args=[item.pk])
    # 已整改 without evidence: refused
    refused = unit.post(
        reverse("rectifications:report", args=[item.pk]),
        {
            "version": item.version,
            "status": "done",
            "measures": "补办预算调整手续",
            "progress": "已补办",
        },
    )
    assert refused.status_code == 400
    assert "请先上传至少一个整改佐证材料，再报告已整改。" in refused.content.decode()
    item.refresh_from_db()
    assert (item.status, item.measures, item.progress) == (
        RectificationStatus.OPEN,
        "整改措施2",
        "",
    )
    upload = SimpleUploadedFile("预算调整批复.pdf", b"%PDF-1.4 test")
    added = unit.post(
        reverse("rectifications:evidence", args=[item.pk]),
        {"file": upload, "description": "预算调整批复"},
    )
    assert added.status_code == 302
    (evidence,) = RectificationEvidence.objects.filter(item=item)
    assert evidence.description == "预算调整批复"
    download = unit.get(
        reverse("rectifications:evidence_download", args=[item.pk, evidence.pk])
    )
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"  # type: ignore[attr-defined]
    done = unit.post(
        reverse("rectifications:report", args=[item.pk]),
        {
            "version": item.version,
            "status": "done",
            "measures": "补办预算调整手续",
            "progress": "已补办商品和服务支出8.93万元的预算调整手续",
        },
    )
    assert done.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.measures, item.progress) == (
        RectificationStatus.DONE,
        "补办预算调整手续",
        "已补办商品和服务支出8.93万元的预算调整手续",
    )
    # the unit cannot verify its own item
    assert (
        unit.post(
            reverse("rectifications:verify", args=[item.pk]), {"decision": "accept"}
        ).status_code
        == 403
    )
    finance_user = member("tj-finance", "tj-czj", Role.FINANCE)
    finance = Client()
    finance.force_login(finance_user)
    tasks = [
        (t.key, [task.title for task in t.tasks])
        for t in inbox(finance_user)
        if t.key.startswith("rectifications")
    ]
    assert tasks == [
        ("rectifications-to-verify", ["预算调整未履程序，预算执行约束力不强"])
    ]
    verified = finance.post(
        reverse("rectifications:verify", args=[item.pk]),
        {"decision": "accept", "note": "佐证齐全"},
    )
    assert verified.status_code == 302
    item.refresh_from_db()
    assert item.verified_at is not None
    assert item.verification_note == "佐证齐全"
    page = unit.get(detail).content.decode()
    assert "report-form" not in page and "evidence-form" not in page
    # a verified item is closed: a late report changes nothing
    late = unit.post(
        reverse("rectifications:report", args=[item.pk]),
        {"version": item.version, "status": "in_progress", "measures": "x"},
    )
    assert late.status_code == 403
    item.refresh_from_db()
    assert item.status == RectificationStatus.DONE


def test_impossible_without_a_reason_is_refused_and_changes_nothing(
    media: Path,
) -> None:
    item = _tianjin_items(timezone.localdate() + timedelta(days=30))[2]
    unit = log_in_as("tj-centre", "tj-8890", Role.UNIT)
    response = unit.post(
        reverse("rectifications:report", args=[item.pk]),
        {"version": item.version, "status": "impossible", "measures": "改了措施"},
    )
    assert response.status_code == 400
    assert "请说明无法整改的原因（无法整改须写明原因）。" in response.content.decode()
    item.refresh_from_db()
    assert (item.status, item.measures, item.version) == (
        RectificationStatus.OPEN,
        "整改措施3",
        1,
    )
    ok = unit.post(
        reverse("rectifications:report", args=[item.pk]),
        {
            "version": item.version,
            "status": "impossible",
            "status_reason": "地方标准由市场监管部门制定",
            "measures": "整改措施3",
        },
    )
    assert ok.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.status_reason) == (
        RectificationStatus.IMPOSSIBLE,
        "地方标准由市场监管部门制定",
    )


def test_an_evidence_file_over_the_limits_is_refused_and_nothing_kept(
    media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evaluation_evidence, "MAX_EVIDENCE_BYTES", 1024)
    item = _tianjin_items(timezone.localdate() + timedelta(days=30))[0]
    unit = log_in_as("tj-centre", "tj-8890", Role.UNIT)
    response = unit.post(
        reverse("rectifications:evidence", args=[item.pk]),
        {"file": SimpleUploadedFile("方案.pdf", b"%PDF-1.4" + b"\0" * 2040)},
    )
    assert response.status_code == 400
    assert "文件大小 2 KB 超过上限 1 KB" in response.content.decode()
    wrong_type = unit.post(
        reverse("rectifications:evidence", args=[item.pk]),
        {"file": SimpleUploadedFile("方案.exe", b"MZ")},
    )
    assert wrong_type.status_code == 400
    assert "只接受以下文件类型" in wrong_type.content.decode()
    assert not RectificationEvidence.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_another_organisations_item_is_not_found(media: Path) -> None:
    item = _tianjin_items(timezone.localdate() + timedelta(days=30))[0]
    panjin = log_in_as("pj-centre", "pj-yshj", Role.UNIT)
    for name in ("detail",):
        assert (
            panjin.get(reverse(f"rectifications:{name}", args=[item.pk])).status_code
            == 404
        )
    response = panjin.post(
        reverse("rectifications:report", args=[item.pk]),
        {"version": 1, "status": "in_progress", "measures": "篡改"},
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert (item.status, item.measures) == (RectificationStatus.OPEN, "整改措施1")
    assert (
        "整改措施1" not in panjin.get(reverse("rectifications:list")).content.decode()
    )


def test_overdue_items_are_flagged_for_the_unit_and_the_bureau(media: Path) -> None:
    items = _tianjin_items(timezone.localdate() + timedelta(days=1))
    RectificationItem.objects.filter(pk=items[0].pk).update(
        deadline=timezone.localdate() - timedelta(days=3)
    )
    overdue_since = (timezone.localdate() - timedelta(days=3)).isoformat()
    unit_user = member("tj-centre", "tj-8890", Role.UNIT)
    finance_user = member("tj-finance", "tj-czj", Role.FINANCE)
    for user in (unit_user, finance_user):
        client = Client()
        client.force_login(user)
        page = client.get(reverse("rectifications:list")).content.decode()
        assert "1 项已过完成时限" in page
        assert page.count('class="flag overdue-flag"') == 1
    unit_lists = {t.key: t for t in inbox(unit_user)}
    assert unit_lists["rectifications-to-report"].tasks[0].detail == (
        f"{overdue_since} 起逾期：请报告整改情况"
    )
    assert unit_lists["rectifications-to-report"].count == 4
    bureau = {t.key: t for t in inbox(finance_user)}
    assert [t.title for t in bureau["rectifications-overdue"].tasks] == [
        "绩效目标设置合理性不足"
    ]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_rectification_report_lists_every_item_and_its_state(media: Path) -> None:
    items = _tianjin_items(date(2099, 6, 30))
    RectificationItem.objects.filter(pk=items[2].pk).update(
        status=RectificationStatus.IMPOSSIBLE, status_reason="需由市场监管部门发布"
    )
    RectificationItem.objects.filter(pk=items[3].pk).update(
        status=RectificationStatus.IN_PROGRESS, progress="已与运营商签订备份协议"
    )
    doctype = document_type(DocumentKind.RECTIFICATION_REPORT)
    assert doctype is not None
    pdf = document_render(doctype, doctype.build("tianjin-2020"), DocumentFormat.PDF)
    back = read_back(pdf)
    text = squash(back.text)
    assert "天津市便民专线服务中心运行经费2020年度绩效评价整改情况报告" in text
    assert (
        "评价共发现问题4项，已列入整改4项：已整改0项，整改中1项，未整改2项，无法整改1项；"
        "财政部门已销号0项。"
    ) in text
    assert back.row_with(
        "序号", "存在问题", "整改建议", "责任单位", "整改措施", "完成时限", "整改状态"
    )
    assert back.row_with(
        "1",
        "绩效目标设置合理性不足",
        "突出工作重点，合理设置绩效指标",
        "天津市便民专线服务中心",
        "整改措施1",
        "2099年6月30日",
        "未整改",
    )
    assert back.row_with(
        "3",
        "未制定地方政务服务热线规范标准",
        "完善现有制度，细化地方服务标准",
        "天津市便民专线服务中心",
        "整改措施3",
        "2099年6月30日",
        "无法整改",
        "原因：需由市场监管部门发布",
    )
    assert back.row_with("整改中", "已与运营商签订备份协议")


def test_the_bureau_sends_an_item_back_with_its_reason_only(media: Path) -> None:
    item = _tianjin_items(timezone.localdate() + timedelta(days=30))[3]
    RectificationItem.objects.filter(pk=item.pk).update(
        status=RectificationStatus.IMPOSSIBLE, status_reason="运营商不提供原始数据"
    )
    finance = log_in_as("tj-finance", "tj-czj", Role.FINANCE)
    url = reverse("rectifications:verify", args=[item.pk])
    refused = finance.post(url, {"decision": "return", "note": " "})
    assert refused.status_code == 400
    assert "请说明退回继续整改的理由。" in refused.content.decode()
    item.refresh_from_db()
    assert (item.status, item.verification_note, item.verified_at) == (
        RectificationStatus.IMPOSSIBLE,
        "",
        None,
    )
    sent_back = finance.post(
        url, {"decision": "return", "note": "合同约定运营商须提供数据，请继续协调"}
    )
    assert sent_back.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.verification_note, item.verified_at) == (
        RectificationStatus.IN_PROGRESS,
        "合同约定运营商须提供数据，请继续协调",
        None,
    )
    # back with the unit: no longer awaiting verification, so 销号 is refused
    assert finance.post(url, {"decision": "accept"}).status_code == 403
