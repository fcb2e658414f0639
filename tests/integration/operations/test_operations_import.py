"""The import: preview, commit all or nothing, re-upload updates, files and history kept."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from budgets.models import Organisation
from operations.models import (
    Metric,
    OperatingDataUpload,
    OperatingValue,
    OperatingValueChange,
)
from operations.resources import OperatingValueResource
from operations.selectors import actual_values, value_history, year_table
from operations.services import (
    UploadStateError,
    metric_create_custom,
    operating_data_check,
    operating_data_commit,
    operating_data_discard,
    operating_data_import,
    operating_data_upload,
    stored_file,
)
from tests.integration.operations.files import PANJIN, csv_bytes, row, xlsx

pytestmark = pytest.mark.django_db
D = Decimal


def values(
    organisation: Organisation, year: int
) -> dict[tuple[str, int | None], tuple[Decimal, str]]:
    return {
        (v.metric.code, v.month): (v.value, v.unit)
        for v in OperatingValue.objects.filter(
            organisation=organisation, year=year
        ).select_related("metric")
    }


def test_the_preview_writes_nothing_and_the_commit_writes_everything(
    tianjin: Organisation, state: Callable[[], tuple[object, ...]]
) -> None:
    clerk = User.objects.create_user("clerk", first_name="王", last_name="")
    content = xlsx(
        [row("呼入量", 2021, 1000), row("接听量", 2021, 950), row("办结量", 2021, None)]
    )
    before = state()
    pending = operating_data_upload(
        organisation=tianjin,
        name="2021年运行数据.xlsx",
        content=content,
        uploaded_by=clerk,
    )
    upload = pending.upload
    assert upload is not None and upload.status == "pending"
    assert (pending.created, pending.updated, pending.blank_rows) == (2, 0, (4,))
    assert state()[0] == before[0] and state()[1] == before[1]
    assert values(tianjin, 2021) == {}

    committed = operating_data_commit(upload=upload)
    assert committed.committed
    assert values(tianjin, 2021) == {
        ("calls-offered", None): (D("1000"), "次"),
        ("calls-answered", None): (D("950"), "次"),
    }
    upload.refresh_from_db()
    assert (
        upload.status,
        upload.uploaded_by,
        upload.rows_total,
        upload.rows_created,
        upload.rows_blank,
    ) == ("committed", clerk, 3, 2, 1)
    assert upload.sha256 == hashlib.sha256(content).hexdigest()
    assert upload.size == len(content)
    assert stored_file(upload).read() == content
    assert upload.stored_name == f"operating_data/tj-8890/{upload.sha256}.xlsx"
    assert upload.original_name == "2021年运行数据.xlsx"
    assert actual_values(organisation=tianjin, year=2021)[
        "call-answer-rate"
    ].value == D("95.00")


def test_re_uploading_a_period_updates_and_never_duplicates(
    tianjin: Organisation,
) -> None:
    first = operating_data_import(
        organisation=tianjin,
        name="a.xlsx",
        content=xlsx([row("呼入量", 2021, 1000), row("接听量", 2021, 900)]),
    )
    second = operating_data_import(
        organisation=tianjin,
        name="b.xlsx",
        content=xlsx(
            [row("呼入量", "2021年", "0.1", "万次"), row("接听量", "2021", 950)]
        ),
    )
    assert (first.created, first.updated) == (2, 0)
    assert (second.created, second.updated, len(second.unchanged)) == (0, 2, 0)
    assert OperatingValue.objects.filter(organisation=tianjin, year=2021).count() == 2
    # 0.1 万次 is the same 1000 calls, re-entered in 万次: the unit entered is what is kept.
    assert values(tianjin, 2021) == {
        ("calls-offered", None): (D("0.1"), "万次"),
        ("calls-answered", None): (D("950"), "次"),
    }
    assert actual_values(organisation=tianjin, year=2021)[
        "call-answer-rate"
    ].value == D("95.00")


def test_the_history_of_a_period_shows_which_upload_set_each_value(
    tianjin: Organisation,
) -> None:
    a = operating_data_import(
        organisation=tianjin,
        name="一月.xlsx",
        content=xlsx([row("呼入量", "2021-01", 1000)]),
    )
    b = operating_data_import(
        organisation=tianjin,
        name="一月更正.xlsx",
        content=xlsx([row("呼入量", "2021-01", 1200)]),
    )
    history = [
        (c.upload.original_name, c.action, c.old_value, c.new_value, c.row_number)
        for c in value_history(organisation=tianjin, year=2021)
    ]
    assert history == [
        ("一月更正.xlsx", "updated", D("1000"), D("1200"), 2),
        ("一月.xlsx", "created", None, D("1000"), 2),
    ]
    value = OperatingValue.objects.get(organisation=tianjin, year=2021, month=1)
    assert value.upload == b.upload != a.upload


def test_an_import_is_all_or_nothing(
    tianjin: Organisation, state: Callable[[], tuple[object, ...]]
) -> None:
    before = state()
    outcome = operating_data_import(
        organisation=tianjin,
        name="a.xlsx",
        content=xlsx(
            [
                row("呼入量", 2021, 1000),
                row("受理量", 2021, 20),
                row("办结量", 2021, 30),
            ]
        ),
    )
    assert [p.message for p in outcome.problems] == [
        "2021年：办结量（30 件）不能大于受理量（20 件）"
    ]
    assert state() == before


def test_the_commit_checks_again_against_what_changed_since_the_preview(
    tianjin: Organisation,
) -> None:
    pending = operating_data_upload(
        organisation=tianjin, name="a.xlsx", content=xlsx([row("接听量", 2021, 900)])
    )
    assert pending.upload is not None
    operating_data_import(
        organisation=tianjin, name="b.xlsx", content=xlsx([row("呼入量", 2021, 800)])
    )
    outcome = operating_data_commit(upload=pending.upload)
    assert not outcome.committed
    assert [p.message for p in outcome.problems] == [
        "2021年：接听量（900 次）不能大于呼入量（已导入的 800 次）"
    ]
    pending.upload.refresh_from_db()
    assert pending.upload.status == "pending"
    assert ("calls-answered", None) not in values(tianjin, 2021)


def test_a_pending_upload_is_committed_or_discarded_once(tianjin: Organisation) -> None:
    # One workbook, built once: openpyxl stamps the current second into it.
    content = xlsx([row("呼入量", 2021, 1)])
    pending = operating_data_upload(
        organisation=tianjin, name="a.xlsx", content=content
    )
    assert pending.upload is not None
    operating_data_discard(upload=pending.upload)
    with pytest.raises(UploadStateError, match="该上传已放弃，不能再导入"):
        operating_data_commit(upload=pending.upload)
    assert values(tianjin, 2021) == {}
    assert stored_file(pending.upload).read() == content


def test_a_changed_kept_file_is_not_imported(tianjin: Organisation) -> None:
    pending = operating_data_upload(
        organisation=tianjin, name="a.xlsx", content=xlsx([row("呼入量", 2021, 1)])
    )
    assert pending.upload is not None
    default_storage.delete(pending.upload.stored_name)
    default_storage.save(
        pending.upload.stored_name, ContentFile(xlsx([row("呼入量", 2021, 2)]))
    )
    outcome = operating_data_commit(upload=pending.upload)
    assert [p.message for p in outcome.problems] == [
        "存档的上传文件与上传时不一致（SHA-256 不符）：请重新上传"
    ]


def test_months_add_up_to_a_partial_year_with_its_source(tianjin: Organisation) -> None:
    rows = [row("呼入量", f"2021-{m:02d}", 100 * m) for m in range(1, 7)]
    rows += [row("接听量", f"2021-{m:02d}", 90 * m) for m in range(1, 7)]
    rows += [row("坐席数", "2021-06", 580), row("坐席数", "2021-03", 570)]
    assert operating_data_import(
        organisation=tianjin, name="上半年.xlsx", content=xlsx(rows)
    ).committed
    actual = actual_values(organisation=tianjin, year=2021)
    assert (actual["calls-offered"].value, actual["calls-offered"].months) == (
        D("2100"),
        (1, 2, 3, 4, 5, 6),
    )
    assert actual["calls-offered"].source.startswith(
        "由 1–6月 月度数据汇总；运行数据上传“上半年.xlsx”"
    )
    assert (actual["call-answer-rate"].value, actual["call-answer-rate"].numerator) == (
        D("90.00"),
        D("1890"),
    )
    assert actual["seat-count"].value == D("580")
    table = {r.metric.code: r for r in year_table(organisation=tianjin, year=2021)}
    assert table["answer-rate"].months[2].value == D("90.00")


def test_a_csv_saved_by_chinese_excel_imports(tianjin: Organisation) -> None:
    content = csv_bytes(
        [
            row("呼入量", 2021, 1000, "", "GBK 编码"),
            row("人工费用", 2021, "12.345678", "万元"),
        ],
        encoding="gb18030",
    )
    outcome = operating_data_import(
        organisation=tianjin, name="运行数据.csv", content=content
    )
    assert outcome.committed
    assert values(tianjin, 2021) == {
        ("calls-offered", None): (D("1000"), "次"),
        ("labour-cost", None): (D("12.345678"), "万元"),
    }
    assert outcome.upload is not None and outcome.upload.file_format == "csv"


def test_a_centre_adds_its_own_metric_without_a_code_change(
    tianjin: Organisation, panjin: Organisation
) -> None:
    metric = metric_create_custom(
        organisation=tianjin,
        name="微信公众号推送条数",
        unit="条",
        description="全年推送",
    )
    assert (metric.is_custom, metric.organisation, metric.code) == (
        True,
        tianjin,
        "tj-8890-c1",
    )
    assert operating_data_import(
        organisation=tianjin,
        name="a.xlsx",
        content=xlsx([row("微信公众号推送条数", 2021, 48)]),
    ).committed
    assert actual_values(organisation=tianjin, year=2021)["tj-8890-c1"].value == D("48")
    other = operating_data_check(
        organisation=panjin,
        name="b.xlsx",
        content=xlsx([row("微信公众号推送条数", 2021, 1, org=PANJIN)]),
    )
    assert [p.message for p in other.problems] == [
        "指标“微信公众号推送条数”不在指标目录中：请从模板的“指标目录”中选择，或先在“自定义指标”中添加"
    ]


def test_a_custom_rate_is_derived_from_its_two_metrics(tianjin: Organisation) -> None:
    offered = Metric.objects.get(code="calls-offered")
    abandoned = metric_create_custom(organisation=tianjin, name="放弃呼叫量", unit="次")
    metric_create_custom(
        organisation=tianjin,
        name="呼损率",
        unit="次",
        kind="rate",
        numerator=abandoned,
        denominator=offered,
    )
    operating_data_import(
        organisation=tianjin,
        name="a.xlsx",
        content=xlsx([row("呼入量", 2021, 800), row("放弃呼叫量", 2021, 40)]),
    )
    rate = actual_values(organisation=tianjin, year=2021)["tj-8890-c2"]
    assert (rate.name, rate.value, rate.unit, rate.numerator, rate.denominator) == (
        "呼损率",
        D("5.00"),
        "%",
        D("40"),
        D("800"),
    )


def test_a_custom_metric_cannot_shadow_a_standard_one(tianjin: Organisation) -> None:
    with pytest.raises(ValidationError) as error:
        metric_create_custom(organisation=tianjin, name="接 听 量", unit="次")
    assert error.value.message_dict == {
        "name": ["“接 听 量”已是标准指标“接听量”，不必重复添加"]
    }


def test_exported_text_that_looks_like_a_formula_gets_an_apostrophe(
    tianjin: Organisation,
) -> None:
    operating_data_import(
        organisation=tianjin,
        name="a.xlsx",
        content=xlsx(
            [
                row("呼入量", 2021, 1000, "", "@张三核对"),
                row("接听量", 2021, 900, "", "-来自系统"),
            ]
        ),
    )
    exported = OperatingValueResource().export(
        queryset=OperatingValue.objects.filter(
            organisation=tianjin, year=2021
        ).order_by("metric__position")
    )
    assert exported.headers == ["填报单位", "指标", "期间", "数值", "单位", "备注"]
    assert [list(r) for r in exported] == [
        ["天津市便民专线服务中心", "呼入量", "2021", D("1000"), "次", "'@张三核对"],
        ["天津市便民专线服务中心", "接听量", "2021", D("900"), "次", "'-来自系统"],
    ]


def test_the_upload_of_a_value_survives_a_later_identical_upload(
    tianjin: Organisation, media: Path
) -> None:
    content = xlsx([row("呼入量", 2021, 1000)])
    first = operating_data_import(organisation=tianjin, name="a.xlsx", content=content)
    again = operating_data_import(
        organisation=tianjin, name="a-again.xlsx", content=content
    )
    assert (again.created, again.updated, len(again.unchanged)) == (0, 0, 1)
    assert (
        OperatingValue.objects.get(organisation=tianjin, year=2021).upload
        == first.upload
    )
    assert OperatingValueChange.objects.filter(upload=again.upload).count() == 0
    assert len(list(media.rglob("*.xlsx"))) == 1
    assert (
        OperatingDataUpload.objects.filter(
            organisation=tianjin, status="committed"
        ).count()
        == 3
    )
