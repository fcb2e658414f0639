"""The scoring engine's flags in the reader's language (issue 13 item 8).

The engine writes each flag in Chinese (what ``evaluate --json``, the workbook and the
printed documents keep); a page says it through ``flag_texts.flag_text``: under English
it is English but for the data values (indicator and tier names, numbers), and under
Chinese it is word for word the engine's sentence — checked here for every sentence the
engine writes, from inputs that make it write each one.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.access import Role
from evaluations.flag_texts import FLAG_TEXTS, flag_text
from evaluations.models import EvaluationIndicator
from evaluations.scoring import (
    ChecklistPoint,
    Flag,
    FlagCode,
    FlagKind,
    LeafInput,
    NodeInput,
    Rule,
    score_tree,
)
from tests.personas import log_in_as

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def leaf(key: str, name: str, rule: Rule, **fields: object) -> LeafInput:
    values: dict[str, object] = {"key": key, "name": name, "weight": D(10)}
    values.update(fields)
    return LeafInput(rule=rule, **values)  # type: ignore[arg-type]


def every_flag() -> list[Flag]:
    """Two evaluations whose flags are, between them, every sentence of the engine."""
    qualitative = Rule.qualitative()
    checklist = Rule.checklist([ChecklistPoint("依据充分", D(1)), ("程序规范", D(1))])
    leaves = (
        leaf("a", "话务接通率", Rule.judgment(), evaluator_score=D(12), reason="核查"),
        leaf("b", "满意度", Rule.judgment(), evaluator_score=D(-1), reason="核查"),
        leaf("c", "制度建设", Rule.judgment(), evaluator_score=D(5)),
        leaf("d", "一次办结率", Rule.positive(), target=D(80), actual=D(60)),
        leaf(
            "d2",
            "回访率",
            Rule.positive(),
            target=D(80),
            actual=D(60),
            evaluator_score=D(7),
        ),
        leaf("e", "工单数", Rule.proportional()),
        leaf("f", "知识库更新", Rule.positive(), actual=D(90)),
        leaf("g", "档案管理", Rule.judgment()),
        leaf("h", "资金使用", checklist, weight=D(3), satisfied_points=(0, 1)),
        leaf("i", "来电量", Rule.positive(), target=D(80), actual=D(104)),
        leaf(
            "j", "平均等待时长", Rule.reverse_template(), target=D(5), actual=D("3.84")
        ),
        leaf("k", "服务规范", qualitative, evaluator_score=D(9), reason="依据"),
        leaf(
            "l",
            "队伍建设",
            qualitative,
            tier="完成",
            evaluator_score=D(9),
            reason="依据",
        ),
        leaf(
            "m",
            "宣传推广",
            qualitative,
            tier="达成",
            evaluator_score=D(7),
            reason="依据",
        ),
        leaf(
            "n",
            "大额加分",
            Rule.judgment(),
            evaluator_score=D(120),
            weight=D(120),
            reason="核查",
        ),
    )
    roots = (NodeInput(key="A", name="产出指标", weight=D(110), children=leaves),)
    over = score_tree(roots, published_total=D("99.50"))
    rescaled = score_tree(
        (
            NodeInput(
                key="B",
                name="效益指标",
                weight=D(100),
                children=(
                    leaf(
                        "x",
                        "群众满意度",
                        Rule.judgment(),
                        weight=D(50),
                        evaluator_score=D(40),
                        reason="测评",
                    ),
                    leaf(
                        "y", "社会效益", Rule.judgment(), weight=D(50), applicable=False
                    ),
                ),
            ),
        )
    )
    return [*over.flags, *rescaled.flags]


def data_values(flag: Flag) -> list[str]:
    values: list[str] = []
    for value in flag.params.values():
        values.extend(value if isinstance(value, tuple) else [value])
    return sorted(values, key=len, reverse=True)


def test_the_inputs_make_the_engine_write_every_sentence() -> None:
    flags = every_flag()
    assert {f.code for f in flags} == set(FlagCode) == set(FLAG_TEXTS)


def test_in_chinese_each_flag_is_the_engines_own_sentence() -> None:
    flags = every_flag()
    with translation.override("zh-hans"):
        assert [flag_text(f) for f in flags] == [f.message for f in flags]
    # the sentence the issue names, word for word
    assert "「档案管理」尚未由评价人评分。" in [f.message for f in flags]


def test_in_english_a_flag_has_no_chinese_but_its_data_values() -> None:
    flags = every_flag()
    with translation.override("en"):
        texts = {f.code: flag_text(f) for f in flags}
        for flag in flags:
            text = flag_text(flag)
            for value in data_values(flag):
                text = text.replace(value, "")
            assert not CJK.search(text), (flag.code, flag_text(flag))
    assert texts[FlagCode.SCORE_MISSING] == (
        "“档案管理” has not been scored by the evaluator yet."
    )
    assert texts[FlagCode.ABOVE_WEIGHT_ENTERED] == (
        "“话务接通率”: the evaluator's score 12.00 is above the weight 10; "
        "the weight is counted."
    )
    assert texts[FlagCode.INVALID_TIER] == (
        "“队伍建设”: the degree of achievement “完成” is not one of the choices "
        "(达成, 部分达成, 未达成)."
    )
    assert texts[FlagCode.SCORE_OUTSIDE_TIER] == (
        "“宣传推广”: the score 7.00 is outside the band for “达成” "
        "([80%, 100%] of the weight)."
    )
    assert texts[FlagCode.OVER_ACHIEVEMENT_ABOVE] == (
        "“来电量”: the actual value 104 reaches 130% or more of the target 80; the "
        "target may be set too low. An explanation is required."
    )


def test_a_flag_without_a_code_is_shown_as_written() -> None:
    flag = Flag("a", FlagKind.SCORE_MISSING, "自行写的提示。")
    with translation.override("en"):
        assert flag_text(flag) == "自行写的提示。"


def page_flags(client: Client, language: str) -> tuple[list[Flag], list[str]]:
    with translation.override(language):
        response = client.get(reverse("evaluations:detail", args=["tianjin-2020"]))
    assert response.status_code == 200
    texts = re.findall(
        r'<li class="flag[^"]*" data-kind="[^"]+">(.*?)(?: <strong class="must">|</li>)',
        response.content.decode(),
    )
    return list(response.context["scored"].result.flags), [
        html.unescape(t) for t in texts
    ]


@pytest.mark.django_db
def test_the_scoring_page_says_the_flags_in_the_readers_language(
    client: Client,
) -> None:
    evaluator = log_in_as("tj-eval", "tj-evaluator", Role.EVALUATOR, client=client)
    answered = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="坐席电话接听率"
    )
    unscored = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="平台影响力"
    )
    # a score above the weight cannot be stored (a check constraint): the page's flags
    # are a leaf not yet scored, a score differing from the computed one without a
    # reason, and the source report's total no longer matching
    EvaluationIndicator.objects.filter(pk=answered.pk).update(
        final_score=D(4), reason=""
    )
    EvaluationIndicator.objects.filter(pk=unscored.pk).update(final_score=None)

    flags, chinese = page_flags(evaluator, "zh-hans")
    codes = [f.code for f in flags]
    assert codes == [
        FlagCode.REASON_MISSING_DIFFERS,
        FlagCode.SCORE_MISSING,
        FlagCode.PUBLISHED_TOTAL_MISMATCH,
    ]
    assert chinese == [f.message for f in flags]
    assert chinese[1] == "「平台影响力」尚未由评价人评分。"

    flags, english = page_flags(evaluator, "en")
    assert [f.code for f in flags] == codes
    for flag, text in zip(flags, english, strict=True):
        rest = text
        for value in data_values(flag):
            rest = rest.replace(value, "")
        assert not CJK.search(rest), text
    assert english[1] == "“平台影响力” has not been scored by the evaluator yet."
    assert english[0].startswith(
        "“坐席电话接听率”: the evaluator's score 4.00 differs from the computed score "
    )
    assert english[2].startswith("The published (entered) total ")
