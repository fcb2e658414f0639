"""Two people editing the same thing (issue 11, item 5): each page where that can happen —
the scoring page, the evaluation workbook import, the target grid, the budget page and the
operating-data confirmation — refuses the second, stale save with a Chinese message naming
what the first person saved, keeps the first save in the database, and draws the page
again with what the second person typed. Two logged-in clients each time."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Membership, Role
from budgets.models import BudgetYear, Organisation
from evaluations.models import Evaluation, EvaluationIndicator
from evaluations.workbooks import workbook_export
from operations.models import OperatingDataUpload, OperatingValue
from targets.models import TargetForm, TargetIndicator
from targets.services import target_form_create, target_indicator_add
from tests.integration.operations.files import row, xlsx

pytestmark = pytest.mark.django_db

D = Decimal
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def person(
    username: str, family: str, given: str, organisation: str, role: str
) -> Client:
    user = User.objects.create_user(username, first_name=given, last_name=family)
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(code=organisation), role=role
    )
    client = Client()
    client.force_login(user)
    return client


def hidden(html: str, name: str, form_id: str = "") -> str:
    """The value of the hidden input ``name`` as the page drew it (within ``form_id``)."""
    if form_id:
        html = html[html.index(f'id="{form_id}"') :]
    match = re.search(rf'type="hidden" name="{name}" value="([^"]*)"', html)
    if match is None:
        match = re.search(rf'name="{name}" value="([^"]*)"[^>]*type="hidden"', html)
    assert match is not None, f"no hidden {name}"
    return match.group(1)


def texts(errors: object) -> list[str]:
    """An ErrorList's messages as text."""
    return [errors[i] for i in range(len(errors))]  # type: ignore[index,arg-type]


# ----------------------------------------------------------------------------- scoring


def score_row(
    leaf: EvaluationIndicator,
    version: str | int,
    final_score: str,
    reason: str,
    applicable: bool = True,
) -> dict[str, str]:
    """One row of the scoring page's form, as the page posts it."""
    prefix = f"row-{leaf.pk}"
    data = {
        f"{prefix}-final_score": final_score,
        f"{prefix}-reason": reason,
        f"{prefix}-version": str(version),
    }
    if applicable:
        data[f"{prefix}-applicable"] = "on"
    return data


def test_a_stale_score_is_refused_naming_the_other_score_and_keeping_the_typed_one() -> (
    None
):
    first = person("eval-wang", "王", "建国", "tj-evaluator", Role.EVALUATOR)
    second = person("eval-li", "李", "敏", "tj-evaluator", Role.EVALUATOR)
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="平台影响力"
    )
    page = reverse("evaluations:detail", args=["tianjin-2020"])
    url = reverse("evaluations:scores", args=["tianjin-2020"])
    version = f"row-{leaf.pk}-version"
    row = f"indicator-{leaf.pk}"
    seen_by_first = hidden(first.get(page).content.decode(), version, row)
    seen_by_second = hidden(second.get(page).content.decode(), version, row)
    assert seen_by_first == seen_by_second == str(leaf.version)

    saved = first.post(
        url, score_row(leaf, seen_by_first, "3", "全国排名第二"), **FETCH
    )
    assert saved.status_code == 200
    stale = second.post(
        url, score_row(leaf, seen_by_second, "2.8", "影响力一般"), **FETCH
    )

    html = stale.content.decode()
    assert stale.status_code == 409  # the fragment, drawn again with the message
    start = html.index(f'id="{row}-errors"')
    messages = re.findall(
        r'<p class="error">(.*?)</p>', html[start : html.index("</tr>", start)]
    )
    assert messages[1:] == [
        "得分：已保存为“3”，您填写的是“2.8”。",
        "评分说明：已保存为“全国排名第二”，您填写的是“影响力一般”。",
        "请核对已保存的内容；确认后再次保存，将以您填写的内容替换。",
    ]
    assert messages[0].startswith("王建国于 ")
    assert messages[0].endswith(
        "保存了“平台影响力”的评分（在您打开本页之后）：您这次的保存未写入，"
        "您填写的内容仍保留在下方。"
    )
    assert 'value="2.8"' in html and ">影响力一般</textarea>" in html
    leaf.refresh_from_db()
    assert (leaf.final_score, leaf.reason) == (D("3.00"), "全国排名第二")
    # the row now carries the current version: saving again replaces on purpose
    assert hidden(html, version, row) == str(leaf.version)
    again = second.post(url, score_row(leaf, leaf.version, "2.8", "影响力一般"))
    assert again.status_code == 302
    leaf.refresh_from_db()
    assert (leaf.final_score, leaf.reason) == (D("2.80"), "影响力一般")


def test_a_stale_score_without_the_script_is_a_409_page_with_the_typed_values() -> None:
    first = person("eval-wang", "王", "建国", "tj-evaluator", Role.EVALUATOR)
    second = person("eval-li", "李", "敏", "tj-evaluator", Role.EVALUATOR)
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="平台影响力"
    )
    url = reverse("evaluations:scores", args=["tianjin-2020"])
    version = str(leaf.version)
    first.post(url, score_row(leaf, version, "3", "甲"))
    response = second.post(url, score_row(leaf, version, "1", "乙"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "得分：已保存为“3”，您填写的是“1”。" in html
    assert 'value="1"' in html and ">乙</textarea>" in html
    leaf.refresh_from_db()
    assert (leaf.final_score, leaf.reason) == (D("3.00"), "甲")


def test_a_stale_page_that_typed_what_is_saved_loses_nothing_and_saves() -> None:
    first = person("eval-wang", "王", "建国", "tj-evaluator", Role.EVALUATOR)
    second = person("eval-li", "李", "敏", "tj-evaluator", Role.EVALUATOR)
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="平台影响力"
    )
    url = reverse("evaluations:scores", args=["tianjin-2020"])
    data = score_row(leaf, leaf.version, "3", "甲")
    assert first.post(url, data).status_code == 302
    assert second.post(url, data).status_code == 302


def test_a_stale_row_refuses_the_whole_save_and_keeps_every_typed_row() -> None:
    first = person("eval-wang", "王", "建国", "tj-evaluator", Role.EVALUATOR)
    second = person("eval-li", "李", "敏", "tj-evaluator", Role.EVALUATOR)
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="平台影响力"
    )
    other = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="坐席电话接听率"
    )
    url = reverse("evaluations:scores", args=["tianjin-2020"])
    first.post(url, score_row(leaf, leaf.version, "3", "甲"))
    response = second.post(
        url,
        {
            **score_row(leaf, leaf.version, "1", "乙"),
            **score_row(other, other.version, "5", "丙"),
        },
        **FETCH,
    )
    assert response.status_code == 409
    assert ">丙</textarea>" in response.content.decode()
    other.refresh_from_db()
    assert other.reason != "丙"  # all or none


def test_a_score_saved_on_the_page_keeps_the_tier_the_page_does_not_show() -> None:
    evaluator = person("eval-wang", "王", "建国", "tj-evaluator", Role.EVALUATOR)
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="平台影响力"
    )
    EvaluationIndicator.objects.filter(pk=leaf.pk).update(tier="良")
    response = evaluator.post(
        reverse("evaluations:scores", args=["tianjin-2020"]),
        score_row(leaf, leaf.version, "2.5", leaf.reason),
    )
    assert response.status_code == 302
    leaf.refresh_from_db()
    assert (leaf.final_score, leaf.tier) == (D("2.50"), "良")


def test_unticking_applicable_on_the_page_marks_the_indicator_not_applicable() -> None:
    evaluator = person("eval-wang", "王", "建国", "tj-evaluator", Role.EVALUATOR)
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="平台影响力"
    )
    response = evaluator.post(
        reverse("evaluations:scores", args=["tianjin-2020"]),
        score_row(leaf, leaf.version, "", "本年度未开展", applicable=False),
    )
    assert response.status_code == 302
    leaf.refresh_from_db()
    assert (leaf.applicable, leaf.final_score) == (False, None)


# ----------------------------------------------------------------------- workbook import


def _workbook(*edits: tuple[int, int, object]) -> SimpleUploadedFile:
    workbook = load_workbook(
        io.BytesIO(workbook_export(Evaluation.objects.get(code="panjin-2023")))
    )
    for at_row, column, value in edits:
        workbook["评分表"].cell(at_row, column).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("panjin.xlsx", buffer.getvalue(), content_type=XLSX)


def test_a_workbook_previewed_before_a_score_was_saved_is_not_imported() -> None:
    importer = person("pj-zhao", "赵", "磊", "pj-yshj", Role.EVALUATOR)
    scorer = person("pj-qian", "钱", "芳", "pj-yshj", Role.EVALUATOR)
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="panjin-2023", name="话务接通率"
    )
    import_url = reverse("evaluations:import_workbook", args=["panjin-2023"])
    preview = importer.post(import_url, {"workbook": _workbook((22, 8, 8))})
    payload = preview.context["payload"]
    assert payload

    scored = scorer.post(
        reverse("evaluations:scores", args=["panjin-2023"]),
        score_row(leaf, leaf.version, "9", "高峰时段略低"),
    )
    assert scored.status_code == 302
    response = importer.post(import_url, {"payload": payload})

    assert response.status_code == 400
    assert response.context["report"].errors == [
        "预览之后评价的评分已被修改：请重新上传工作簿，确认新的预览后再导入。",
        "“话务接通率”：得分由“10”改为“9”；评分说明由“根据《关于2023年全省12345热线平台运行建设情况的通…”"
        "改为“高峰时段略低”（钱芳保存）。",
    ]
    leaf.refresh_from_db()
    assert (leaf.final_score, leaf.reason) == (D("9.00"), "高峰时段略低")


# ---------------------------------------------------------------------------- target grid


def _draft_form() -> tuple[TargetForm, TargetIndicator]:
    form = target_form_create(
        code="tianjin-2021-grid",
        layout="project",
        year=2021,
        project=TargetForm.objects.get(code="tianjin-2020").project,
        title="项目支出绩效目标表",
    )
    output = target_indicator_add(form=form, level="level1", name="产出指标")
    quality = target_indicator_add(
        form=form, level="level2", name="质量指标", parent=output
    )
    leaf = target_indicator_add(
        form=form, level="level3", name="接通率", parent=quality, value="≥90%"
    )
    return form, leaf


def test_a_stale_grid_row_is_refused_and_the_fragment_keeps_the_typed_value() -> None:
    form, leaf = _draft_form()
    first = person("tj-zhou", "周", "强", "tj-8890", Role.UNIT)
    second = person("tj-wu", "吴", "丽", "tj-8890", Role.UNIT)
    page = f"/targets/{form.code}/"
    url = f"/targets/{form.code}/indicators/{leaf.pk}/"
    seen = hidden(first.get(page).content.decode(), "version", f"f-{leaf.pk}")
    assert hidden(second.get(page).content.decode(), "version", f"f-{leaf.pk}") == seen

    saved = first.post(
        url, {"name": "接通率", "value": "≥95%", "version": seen}, **FETCH
    )
    assert saved.status_code == 200
    stale = second.post(
        url, {"name": "人工接通率", "value": "≥92%", "version": seen}, **FETCH
    )

    assert stale.status_code == 409
    html = stale.content.decode()
    messages = texts(stale.context["errors"][leaf.pk].non_field_errors())
    assert messages[0].startswith("周强于 ")
    assert messages[1:] == [
        "名称：已保存为“接通率”，您填写的是“人工接通率”。",
        "全年指标值：已保存为“≥95%”，您填写的是“≥92%”。",
        "请核对已保存的内容；确认后再次保存，将以您填写的内容替换。",
    ]
    assert "名称：已保存为“接通率”，您填写的是“人工接通率”。" in html
    # the typed values stay in the inputs, beside what is stored (the grid's unsaved mark)
    assert (
        f'name="name" form="f-{leaf.pk}" data-saved="接通率" value="人工接通率"' in html
    )
    assert f'name="value" form="f-{leaf.pk}" data-saved="≥95%" value="≥92%"' in html
    leaf.refresh_from_db()
    assert (leaf.name, leaf.value_text) == ("接通率", "≥95%")
    assert hidden(html, "version", f"f-{leaf.pk}") == str(leaf.version)


# ------------------------------------------------------------------------------- budgets


def _figures(budget_year: BudgetYear, version: str, **changes: object) -> dict:
    data: dict[str, object] = {
        "initial": budget_year.initial,
        "addition": budget_year.addition,
        "reduction": budget_year.reduction,
        "received": budget_year.received,
        "expenditure": budget_year.expenditure,
        "version": version,
    }
    for line in budget_year.lines.all():
        data[f"line_{line.pk}_budget"] = line.budget
        data[f"line_{line.pk}_received"] = line.received
        data[f"line_{line.pk}_expenditure"] = line.expenditure
    data.update(changes)
    return data


def test_a_stale_budget_page_is_refused_naming_the_other_figures() -> None:
    first = person("tj-fin-sun", "孙", "红", "tj-czj", Role.FINANCE)
    second = person("tj-fin-zheng", "郑", "伟", "tj-czj", Role.FINANCE)
    budget_year = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    goods = budget_year.lines.get(category="商品和服务支出")
    url = "/budgets/tianjin-2020/2020/"
    seen = hidden(first.get(url).content.decode(), "version")
    assert hidden(second.get(url).content.decode(), "version") == seen

    saved = first.post(url, _figures(budget_year, seen, addition="921.93"))
    assert saved.status_code == 302
    stale = second.post(
        url,
        _figures(budget_year, seen, **{f"line_{goods.pk}_budget": "1978.55"}),
    )

    assert stale.status_code == 409
    errors = texts(stale.context["form"].non_field_errors())
    assert errors[0].startswith("孙红于 ")
    assert errors[1:] == [
        f"追加预算：已保存为“921.93”，您填写的是“{budget_year.addition.normalize():f}”。",
        f"商品和服务支出：预算金额：已保存为“{goods.budget.normalize():f}”，"
        "您填写的是“1978.55”。",
        "请核对已保存的内容；确认后再次保存，将以您填写的内容替换。",
    ]
    html = stale.content.decode()
    assert f'name="line_{goods.pk}_budget" value="1978.55"' in html
    budget_year.refresh_from_db()
    goods.refresh_from_db()
    assert (budget_year.addition, goods.budget) == (D("921.93"), D("1969.62"))
    # the form now carries the current version: saving again replaces on purpose
    assert hidden(html, "version") == str(budget_year.version)


# ------------------------------------------------------------------ operating-data confirm


@pytest.fixture
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


def _upload(client: Client, calls: int, name: str) -> OperatingDataUpload:
    client.post(
        reverse("operations:upload"),
        {"file": SimpleUploadedFile(name, xlsx([row("呼入量", 2021, calls)]))},
    )
    return OperatingDataUpload.objects.get(original_name=name)


def test_a_second_upload_confirmed_after_anothers_is_refused_then_replaces_on_purpose(
    media: Path,
) -> None:
    first = person("tj-clerk-a", "冯", "军", "tj-8890", Role.UNIT)
    second = person("tj-clerk-b", "陈", "静", "tj-8890", Role.UNIT)
    mine = _upload(first, 1000, "一月甲.xlsx")
    theirs = _upload(second, 1200, "一月乙.xlsx")
    seen_first = hidden(
        first.get(reverse("operations:upload_detail", args=[mine.pk])).content.decode(),
        "seen",
    )
    seen_second = hidden(
        second.get(
            reverse("operations:upload_detail", args=[theirs.pk])
        ).content.decode(),
        "seen",
    )

    first.post(
        reverse("operations:upload_confirm", args=[mine.pk]), {"seen": seen_first}
    )
    refused = second.post(
        reverse("operations:upload_confirm", args=[theirs.pk]),
        {"seen": seen_second},
        follow=True,
    )

    shown = [str(m) for m in refused.context["messages"]]
    mine.refresh_from_db()
    assert shown == [
        "未导入（数据未作任何更改）：预览之后，另一次上传修改了本文件中的以下数值。"
        "下面的预览已按现在的数值重新生成，核对后再确认导入，将以本文件的数值替换它们。",
        f"2021年 呼入量：{mine.label}已改为 1000 次，您的文件为 1200 次。",
    ]
    value = OperatingValue.objects.get(
        organisation__code="tj-8890", metric__name="呼入量", year=2021, month=None
    )
    assert (value.value, value.upload_id) == (D(1000), mine.pk)
    theirs.refresh_from_db()
    assert theirs.status == "pending"  # the file waits, nothing of it is lost

    # by design a later upload replaces the values it has: once shown, it does
    again = hidden(refused.content.decode(), "seen")
    assert int(again) > int(seen_second)
    second.post(reverse("operations:upload_confirm", args=[theirs.pk]), {"seen": again})
    value.refresh_from_db()
    assert (value.value, value.upload_id) == (D(1200), theirs.pk)
