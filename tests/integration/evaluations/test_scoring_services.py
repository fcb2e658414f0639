"""The evaluator's writes: scores within the weight, reasons, submission locks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from evaluations.models import Evaluation, EvaluationIndicator, Framework
from evaluations.scoring import FlagKind
from evaluations.selectors import evaluation_score
from evaluations.services import (
    evaluation_create,
    evaluation_indicator_score,
    evaluation_submit,
    expand_from_target_form,
    framework_tree,
)
from targets.models import TargetForm

pytestmark = pytest.mark.django_db

D = Decimal


def _leaf(code: str, name: str) -> EvaluationIndicator:
    return EvaluationIndicator.objects.get(evaluation__code=code, name=name)


def test_a_score_above_the_weight_is_refused_and_nothing_changes() -> None:
    leaf = _leaf("panjin-2023", "话务接通率")
    with pytest.raises(ValidationError) as error:
        evaluation_indicator_score(indicator=leaf, final_score=D("11"), reason="超额")
    assert error.value.message_dict == {
        "final_score": ["得分须在 0 至分值 10.00 之间。"]
    }
    leaf.refresh_from_db()
    assert leaf.final_score == D("10")


def test_a_score_other_than_the_rules_needs_a_reason() -> None:
    leaf = _leaf("panjin-2023", "话务接通率")
    with pytest.raises(ValidationError) as error:
        evaluation_indicator_score(indicator=leaf, final_score=D("8"), reason="  ")
    assert error.value.message_dict == {
        "reason": ["得分与评分规则计算的 10.00 不同，请说明理由。"]
    }
    evaluation_indicator_score(
        indicator=leaf, final_score=D("8"), reason="抽查发现高峰时段接通率偏低"
    )
    scored = evaluation_score(leaf.evaluation)
    assert scored.result.total == D("98.00")
    assert scored.result.grade == "优"


def test_the_database_refuses_a_score_above_the_weight() -> None:
    leaf = _leaf("panjin-2023", "话务接通率")
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationIndicator.objects.filter(pk=leaf.pk).update(final_score=D("10.01"))


def test_not_applicable_points_are_redistributed_not_dropped() -> None:
    leaf = _leaf("panjin-2023", "话务好评率")
    evaluation_indicator_score(
        indicator=leaf,
        final_score=None,
        reason="本年度未开展好评率统计",
        applicable=False,
    )
    scored = evaluation_score(leaf.evaluation)
    assert scored.result.total == D("100.00")  # 90 of 90 applicable points, re-scaled
    kinds = [f.kind for f in scored.result.flags]
    assert FlagKind.NOT_APPLICABLE in kinds


def test_submit_locks_the_evaluation() -> None:
    evaluation = Evaluation.objects.get(code="panjin-2023")
    user = User.objects.create_user("evaluator")
    evaluation_submit(evaluation=evaluation, user=user)
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.SUBMITTED
    assert evaluation.submitted_by == user
    leaf = _leaf("panjin-2023", "话务接通率")
    with pytest.raises(ValidationError) as error:
        evaluation_indicator_score(indicator=leaf, final_score=D("9"), reason="改分")
    assert error.value.messages == ["该评价已提交，不能再修改。"]


def test_submit_is_refused_while_a_blocking_flag_remains() -> None:
    leaf = _leaf("tianjin-2020", "年度受理咨询数量")
    EvaluationIndicator.objects.filter(pk=leaf.pk).update(reason="")
    evaluation = leaf.evaluation
    with pytest.raises(ValidationError) as error:
        evaluation_submit(evaluation=evaluation, user=User.objects.create_user("e2"))
    assert len(error.value.messages) == 1
    assert error.value.messages == [
        "「年度受理咨询数量」实际完成值 1036.39 达到目标值 750 的 130% 及以上，"
        "目标可能设置偏低，须填写说明。"
    ]
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT


def test_frameworks_ship_as_data_with_weights_that_add_up() -> None:
    codes = sorted(Framework.objects.values_list("code", flat=True))
    assert codes == [
        "cai-yu-2020-10",
        "local-execution-20",
        "national-self-evaluation",
        "panjin-2023",
        "tianjin-2020",
    ]
    national = Framework.objects.get(code="national-self-evaluation")
    assert [(n.name, n.weight) for n in framework_tree(national)] == [
        ("预算执行率", D("10")),
        ("产出指标", D("50")),
        ("效益指标", D("30")),
        ("满意度指标", D("10")),
    ]


def test_a_self_evaluation_takes_its_indicators_from_the_target_form() -> None:
    framework = Framework.objects.get(code="national-self-evaluation")
    form = TargetForm.objects.get(code="tianjin-2020")
    tree = expand_from_target_form(framework_tree(framework), form)
    output = tree[1]
    assert (output.name, output.weight) == ("产出指标", D("50"))
    assert [g.name for g in output.children] == [
        "数量指标",
        "质量指标",
        "时效指标",
        "成本指标",
    ]
    leaves = [leaf for group in output.children for leaf in group.children]
    assert len(leaves) == 13
    assert sum((leaf.weight for leaf in leaves), D(0)) == D("50")
    assert leaves[0].weight == D("3.85")
    evaluation = evaluation_create(
        code="tianjin-2020-self",
        kind="self",
        year=2020,
        title="自评",
        project=form.project,
        framework=framework,
        target_form=form,
        indicators=tree,
    )
    answer_rate = evaluation.indicators.get(name="接通率")
    assert answer_rate.target_indicator is not None
    assert (answer_rate.rule_kind, answer_rate.target_number) == ("positive", D("90"))


def test_weights_that_do_not_add_up_and_an_unsupported_total_are_flagged() -> None:
    evaluation = Evaluation.objects.get(code="panjin-2023")
    EvaluationIndicator.objects.filter(evaluation=evaluation, name="话务接通率").update(
        weight=D("12"), final_score=D("12")
    )
    Evaluation.objects.filter(pk=evaluation.pk).update(source_total=D("99"))
    evaluation.refresh_from_db()
    scored = evaluation_score(evaluation)
    kinds = sorted({str(f.kind) for f in scored.result.flags})
    assert kinds == ["above_weight", "published_total_mismatch", "weights_mismatch"]
    assert scored.result.total == D("102.00")
    with pytest.raises(ValidationError):
        evaluation_submit(evaluation=evaluation, user=User.objects.create_user("e3"))
