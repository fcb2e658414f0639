"""The target form pages: entry in the official grid, inline validation, the workflow
draft → submitted → returned → resubmitted → approved, locking, 目标调整 and history."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import Role
from budgets.models import Organisation, Project
from targets.forms import TargetFormCreateForm
from targets.models import ReviewComment, TargetForm, TargetIndicator
from targets.services import CommentData, target_form_return, target_form_submit

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def unit(login: Callable[..., Client]) -> Client:
    return login("tj-8890", Role.UNIT, "tj-centre")


@pytest.fixture
def finance(login: Callable[..., Client]) -> Client:
    return login("tj-czj", Role.FINANCE, "tj-finance")


def new_form(unit: Client) -> TargetForm:
    response = unit.post(
        "/targets/new/",
        {
            "project": TargetForm.objects.get(code="tianjin-2020").project_id,
            "year": 2021,
            "layout": "project",
            "funds_total": "10000.0",
            "funds_fiscal": "10000.0",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/targets/tianjin-2021/"
    return TargetForm.objects.get(code="tianjin-2021")


def add(client: Client, form: TargetForm, **data: object) -> TargetIndicator:
    response = client.post(f"/targets/{form.code}/indicators/add/", data, **FETCH)
    assert response.status_code == 200, response.content.decode()[:500]
    return TargetIndicator.objects.filter(form=form).latest("id")


def test_a_new_form_is_built_level_by_level_in_the_grid(unit: Client) -> None:
    form = new_form(unit)
    output = add(unit, form, level="level1", name="产出指标")
    quantity = add(unit, form, level="level2", name="数量指标", parent=output.pk)
    add(
        unit,
        form,
        level="level3",
        name="全年受理(咨询)量",
        parent=quantity.pk,
        value="750 万件",
    )
    add(
        unit,
        form,
        level="level3",
        name="设置坐席数",
        parent=quantity.pk,
        value="560 个",
    )
    html = unit.get(f"/targets/{form.code}/").content.decode()
    # 一级 and 二级 span the two 三级 rows, as on the printed form
    assert '<td rowspan="2" class="node level1">' in html
    assert '<td rowspan="2" class="node level2">' in html
    assert "识别为 = 750 万件" in html
    leaves = form.indicators.filter(level="level3").order_by("position")
    assert [
        (i.name, i.value_comparator, str(i.value_number), i.value_unit) for i in leaves
    ] == [
        ("全年受理(咨询)量", "=", "750.0000", "万件"),
        ("设置坐席数", "=", "560.0000", "个"),
    ]
    # library matched by picking it: the name defaults to the library's name
    rate = add(unit, form, level="level2", name="质量指标", parent=output.pk)
    answer = add(
        unit,
        form,
        level="level3",
        parent=rate.pk,
        library_indicator=TargetIndicator.objects.get(
            form__code="tianjin-2020", name="接通率"
        ).library_indicator_id,
        value="≥95%",
    )
    assert (answer.name, answer.library_indicator.code) == (
        "接通率",
        "call-answer-rate",
    )  # type: ignore[union-attr]


def test_inline_validation_messages_are_chinese(unit: Client) -> None:
    form = new_form(unit)
    output = add(unit, form, level="level1", name="产出指标")
    quantity = add(unit, form, level="level2", name="质量指标", parent=output.pk)
    response = unit.post(
        f"/targets/{form.code}/indicators/add/",
        {"level": "level3", "parent": quantity.pk, "name": "接通率"},
        **FETCH,
    )
    assert response.status_code == 400
    assert "请填写指标值，如 ≥95%。" in response.content.decode()
    library_id = TargetIndicator.objects.get(
        form__code="tianjin-2020", name="接通率"
    ).library_indicator_id
    response = unit.post(
        f"/targets/{form.code}/indicators/add/",
        {
            "level": "level3",
            "parent": quantity.pk,
            "library_indicator": library_id,
            "value": "90 万件",
        },
        **FETCH,
    )
    assert response.status_code == 400
    assert (
        "“接通率”的单位是 %，填写的指标值单位是 万件，两者不一致。"
        in response.content.decode()
    )
    response = unit.post(
        f"/targets/{form.code}/indicators/add/",
        {"level": "level3", "name": "接通率", "value": "≥95%"},
        **FETCH,
    )
    assert "请选择该指标的上级指标。" in response.content.decode()


def test_value_parse_and_library_search_fragments(unit: Client) -> None:
    assert unit.get(
        "/targets/values/parse/", {"text": "大于 90%"}
    ).content.decode().strip() == ('<span class="parse">识别为 &gt; 90 %</span>')
    assert (
        "识别为 定性"
        in unit.get("/targets/values/parse/", {"text": "显著降低"}).content.decode()
    )
    html = unit.get("/targets/library/", {"q": "接听率"}).content.decode()
    assert 'data-name="接通率"' in html  # found by its alias 接听率


def test_indicators_are_reordered_and_removed_with_their_children(unit: Client) -> None:
    form = new_form(unit)
    output = add(unit, form, level="level1", name="产出指标")
    first = add(unit, form, level="level2", name="数量指标", parent=output.pk)
    second = add(unit, form, level="level2", name="质量指标", parent=output.pk)
    add(unit, form, level="level3", name="接通率", parent=second.pk, value="≥95%")
    unit.post(
        f"/targets/{form.code}/indicators/{second.pk}/move/",
        {"direction": "up"},
        **FETCH,
    )
    order = list(
        form.indicators.filter(level="level2")
        .order_by("position")
        .values_list("name", flat=True)
    )
    assert order == ["质量指标", "数量指标"]
    unit.post(f"/targets/{form.code}/indicators/{second.pk}/delete/", **FETCH)
    assert list(
        form.indicators.values_list("name", flat=True).order_by("position")
    ) == [
        "产出指标",
        "数量指标",
    ]
    assert first.pk in form.indicators.values_list("pk", flat=True)


def test_the_review_workflow_and_locking(unit: Client, finance: Client) -> None:
    form = TargetForm.objects.get(code="tianjin-2020")
    answer = form.indicators.get(name="接通率")
    assert unit.post(f"/targets/{form.code}/submit/").status_code == 302
    form.refresh_from_db()
    assert (form.status, form.submissions, form.submitted_by.username) == (  # type: ignore[union-attr]
        "submitted",
        1,
        "tj-centre",
    )
    # while submitted the unit cannot edit
    assert (
        unit.post(
            f"/targets/{form.code}/indicators/{answer.pk}/",
            {"name": "接通率", "value": "≥95%"},
        ).status_code
        == 403
    )
    finance.post(
        f"/targets/{form.code}/return/",
        {
            "comment": "请补充办结率和满意率",
            f"comment_{answer.pk}": "接通率应不低于 95%（GB/T 33358-2016）",
        },
    )
    form.refresh_from_db()
    assert form.status == "returned"
    comments = list(ReviewComment.objects.filter(form=form).order_by("id"))
    assert [(c.indicator_id, c.text, c.round, c.author.username) for c in comments] == [
        (None, "请补充办结率和满意率", 1, "tj-finance"),
        (answer.pk, "接通率应不低于 95%（GB/T 33358-2016）", 1, "tj-finance"),
    ]
    page = unit.get(f"/targets/{form.code}/").content.decode()
    assert "接通率应不低于 95%（GB/T 33358-2016）" in page
    assert (
        unit.post(
            f"/targets/{form.code}/indicators/{answer.pk}/",
            {"name": "接通率", "value": "≥95%"},
        ).status_code
        == 302
    )
    unit.post(f"/targets/{form.code}/submit/")
    form.refresh_from_db()
    assert (form.status, form.submissions, form.is_resubmitted) == (
        "submitted",
        2,
        True,
    )
    assert "已重新提交" in finance.get("/targets/").content.decode()
    # approval is confirmed, for the submission the reviewer saw (the second)
    finance.post(f"/targets/{form.code}/approve/", {"round": "2", "confirm": "on"})
    form.refresh_from_db()
    assert (form.status, form.decided_by.username) == ("approved", "tj-finance")  # type: ignore[union-attr]
    # approved: locked
    assert (
        unit.post(
            f"/targets/{form.code}/indicators/{answer.pk}/",
            {"name": "接通率", "value": "≥99%"},
        ).status_code
        == 403
    )
    answer.refresh_from_db()
    assert answer.value_text == "≥95%"
    page = unit.get(f"/targets/{form.code}/").content.decode()
    assert 'name="value"' not in page
    assert "本表已批复并锁定" in page


def test_an_adjustment_after_approval_is_reviewed_and_recorded(
    unit: Client, finance: Client
) -> None:
    form = TargetForm.objects.get(code="tianjin-2020")
    answer = form.indicators.get(name="接通率")
    unit.post(f"/targets/{form.code}/submit/")
    finance.post(f"/targets/{form.code}/approve/", {"round": "1", "confirm": "on"})
    response = unit.post(
        f"/targets/{form.code}/adjustments/",
        {"indicator": answer.pk, "value": "≥95%", "reason": "按国家标准调整"},
    )
    assert response.status_code == 302
    adjustment = form.adjustments.get()
    assert (adjustment.old_value_text, adjustment.value_text, adjustment.status) == (
        "大于 90%",
        "≥95%",
        "pending",
    )
    answer.refresh_from_db()
    assert answer.value_text == "大于 90%"  # not applied before review
    finance.post(
        f"/targets/{form.code}/adjustments/{adjustment.pk}/decide/",
        {"decision": "approve"},
    )
    answer.refresh_from_db()
    assert (answer.value_text, answer.value_comparator, str(answer.value_number)) == (
        "≥95%",
        "≥",
        "95.0000",
    )
    last = answer.history.latest()  # type: ignore[attr-defined]
    previous = last.prev_record
    assert (last.history_user.username, previous.value_text, last.value_text) == (
        "tj-finance",
        "大于 90%",
        "≥95%",
    )
    history = unit.get(f"/targets/{form.code}/history/").content.decode()
    assert '<td class="before">大于 90%</td><td class="after">≥95%</td>' in history
    assert "tj-finance" in history


def test_every_change_to_an_indicator_is_in_the_history(unit: Client) -> None:
    form = TargetForm.objects.get(code="tianjin-2020")
    staff = form.indicators.get(name="录用合同制员工人数")
    unit.post(
        f"/targets/{form.code}/indicators/{staff.pk}/",
        {"name": "录用合同制员工人数", "value": "≤909人"},
    )
    records = list(staff.history.order_by("history_id"))  # type: ignore[attr-defined]
    assert [
        (r.history_type, r.value_text, getattr(r.history_user, "username", None))
        for r in records
    ] == [
        ("+", "1030 人", None),
        ("~", "≤909人", "tj-centre"),
    ]
    html = unit.get(f"/targets/{form.code}/history/").content.decode()
    assert '<td class="before">1030 人</td><td class="after">≤909人</td>' in html


def test_export_is_the_official_xlsx_and_imports_back(unit: Client) -> None:
    import io

    from openpyxl import load_workbook

    content = unit.get("/targets/tianjin-2020/export.xlsx").content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    texts = {
        str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None
    }
    assert {
        "项目支出绩效目标表",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "大于 90%",
    } <= texts
    form = new_form(unit)
    # last year's workbook starts the new year's form once its year line says so (a
    # workbook of another year is refused as the wrong file)
    assert sheet["A2"].value == "（2020年度）"
    sheet["A2"] = "（2021年度）"
    upload = io.BytesIO()
    sheet.parent.save(upload)
    upload.seek(0)
    upload.name = "tianjin.xlsx"
    response = unit.post(f"/targets/{form.code}/import/", {"file": upload})
    assert response.status_code == 302
    seed = TargetForm.objects.get(code="tianjin-2020")

    def shape(f: TargetForm) -> list[tuple[str, str, str, str]]:
        return [
            (
                i.level,
                i.name,
                i.value_text,
                i.library_indicator.code if i.library_indicator else "",
            )
            for i in f.indicators.order_by("position", "id")
        ]

    assert shape(form) == shape(seed)
    assert form.indicators.filter(level="level3").count() == 19


def test_with_too_many_projects_to_list_a_form_is_started_by_project_code(
    client: Client,
) -> None:
    """An administrator may start a form for any project; with more than can be listed,
    the page asks for the project's code instead of loading every project."""
    unit = Organisation.objects.get(code="tj-8890")
    department = Organisation.objects.get(code="tj-zwfw")
    Project.objects.bulk_create(
        Project(code=f"many-{n}", name=f"项目{n:03d}", department=department, unit=unit)
        for n in range(TargetFormCreateForm.CHOICES_SHOWN)
    )
    client.force_login(User.objects.create_superuser("many-admin"))
    html = client.get("/targets/new/").content.decode()
    assert '<input type="text" name="project"' in html
    assert "<option" not in html.split('name="project"')[1].split("</p>")[0]

    forms_before = TargetForm.objects.count()
    response = client.post(
        "/targets/new/",
        {"project": "no-such-project", "year": 2024, "layout": "project"},
    )
    assert response.status_code == 400  # the form again, with its error
    assert "选择一个有效的选项" in response.content.decode()
    assert TargetForm.objects.count() == forms_before

    response = client.post(
        "/targets/new/", {"project": "many-7", "year": 2024, "layout": "project"}
    )
    assert response.status_code == 302
    created = TargetForm.objects.get(project__code="many-7", year=2024)
    assert response["Location"] == f"/targets/{created.code}/"


def test_the_new_form_page_lists_the_units_projects_in_chinese(
    login: Callable[..., Client],
) -> None:
    unit = login("tj-8890", Role.UNIT, "tj-centre-new")
    html = unit.get("/targets/new/").content.decode()
    select = html.split('<select name="project"')[1].split("</select>")[0]
    assert '<option value="" selected>— 请选择 —</option>' in select
    assert "天津市便民专线服务中心运行经费" in select
    assert "Select an option" not in html


def test_a_comment_outlives_the_indicator_it_was_on(
    login: Callable[..., Client],
) -> None:
    """The bureau asks the centre to drop an indicator; the centre removes it: the comment
    stays on the form, naming the indicator it was on."""
    form = TargetForm.objects.get(code="tianjin-2020")
    volume = form.indicators.get(name="全年受理(咨询)量")
    target_form_submit(form=form, user=User.objects.create_user("tj-submitter"))
    target_form_return(
        form=form,
        user=User.objects.create_user("tj-reviewer"),
        comments=[CommentData("该指标与坐席接听量重复，请删除。", volume)],
    )
    centre = login("tj-8890", Role.UNIT, "tj-centre-remover")
    response = centre.post(f"/targets/tianjin-2020/indicators/{volume.pk}/delete/")
    assert response.status_code == 302
    assert not TargetIndicator.objects.filter(pk=volume.pk).exists()

    comment = ReviewComment.objects.get(form=form)
    assert (comment.indicator_id, comment.indicator_name, comment.text) == (
        None,
        "全年受理(咨询)量",
        "该指标与坐席接听量重复，请删除。",
    )
    html = centre.get("/targets/tianjin-2020/").content.decode()
    assert "针对“全年受理(咨询)量”（该指标已删除）" in html
    assert "该指标与坐席接听量重复，请删除。" in html
