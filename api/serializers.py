"""The API's shapes: what each endpoint answers (and so the OpenAPI schema), and the
shape of each write's body. The domain checks of a write are the owning app's forms and
services (``api.writes``); these only say what a well-formed request looks like.

Money, rates and scores are strings of the Decimal as stored or as the kernel rounded
it ("11092.40", "99.86"): JSON numbers would become binary floats in most clients."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from budgets.models import Organisation, Project
from kernel.rates import Rate
from targets.models import TargetFormStatus


class Exact(serializers.DecimalField):
    """A Decimal printed as it is (no rounding of its own: the kernel rounds once)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=None, decimal_places=None, **kwargs)


class RateSerializer(serializers.Serializer[Rate]):
    """A rate with its numerator and denominator; ``percent`` is null when the
    denominator is 0 (a rate without a base is not 0 %)."""

    numerator = Exact()
    denominator = Exact()
    percent = Exact(allow_null=True)


def rate(value: Rate | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "numerator": value.numerator,
        "denominator": value.denominator,
        "percent": value.percent,
    }


# --------------------------------------------------------------------------- errors


class FieldErrorSerializer(serializers.Serializer[dict[str, str]]):
    field = serializers.CharField(
        help_text="出错的字段（如 values[2].value）；整体错误为空"
    )
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer[dict[str, Any]]):
    detail = serializers.CharField(help_text="错误说明（中文）")
    code = serializers.CharField()
    errors = FieldErrorSerializer(many=True)  # type: ignore[assignment]


# --------------------------------------------------------------------------- filters


class ListFilters(serializers.Serializer[dict[str, Any]]):
    """The query parameters every list takes (each list says which it reads)."""

    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="年度"
    )
    organisation = serializers.SlugField(
        required=False, help_text="组织代码（主管部门、实施单位或部门整体的组织）"
    )
    updated_since = serializers.DateTimeField(
        required=False,
        help_text="只列出此时刻（ISO 8601，含时区）之后有改动的对象，用于增量同步",
    )


class TargetFormFilters(ListFilters):
    status = serializers.ChoiceField(
        choices=TargetFormStatus.choices, required=False, help_text="目标表状态"
    )


class EvaluationFilters(ListFilters):
    status = serializers.ChoiceField(
        choices=[("draft", _("Draft")), ("submitted", _("Submitted"))],
        required=False,
        help_text="评价状态",
    )
    kind = serializers.ChoiceField(
        choices=["third_party", "department", "self"],
        required=False,
        help_text="评价类型：第三方重点评价、部门评价、自评",
    )


class OperatingValueFilters(ListFilters):
    metric = serializers.SlugField(required=False, help_text="指标代码")


class MonitoringFilters(serializers.Serializer[dict[str, Any]]):
    as_of = serializers.DateField(
        required=False, help_text="按哪一天计算时间进度（默认今天）"
    )


class OrganisationFilters(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(
        choices=Organisation.Kind.choices, required=False, help_text="组织类型"
    )


# --------------------------------------------------------------------------- reads


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    parent: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )  # type: ignore[assignment]

    class Meta:
        model = Organisation
        fields = ["code", "name", "kind", "region", "city", "parent"]


class ProjectSerializer(serializers.ModelSerializer[Project]):
    department: serializers.SlugRelatedField[Organisation] = (
        serializers.SlugRelatedField(slug_field="code", read_only=True)
    )
    unit: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    total_budget = Exact(allow_null=True)

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "department",
            "unit",
            "project_type",
            "fund_use",
            "start_date",
            "end_date",
            "period_text",
            "total_budget",
            "total_budget_unit",
        ]


class BudgetLineSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    category = serializers.CharField(help_text="支出经济分类")
    budget = Exact()
    received = Exact(allow_null=True)
    expenditure = Exact(allow_null=True)
    execution_rate = RateSerializer(allow_null=True, help_text="该类别预算执行率")
    overspend = Exact(help_text="超预算金额（未超为 0）")


class LinesTotalSerializer(serializers.Serializer[dict[str, Any]]):
    budget = Exact()
    received = Exact()
    expenditure = Exact()
    execution_rate = RateSerializer()


class DisagreementSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField()
    header = Exact()
    lines = Exact()
    difference = Exact()


class BudgetYearSummarySerializer(serializers.Serializer[dict[str, Any]]):
    project = serializers.CharField(help_text="项目代码")
    year = serializers.IntegerField()
    unit = serializers.CharField(help_text="金额单位（元 或 万元）")
    initial = Exact(help_text="年初预算")
    addition = Exact(help_text="追加")
    reduction = Exact(help_text="调减")
    adjusted = Exact(help_text="调整后预算 = 年初预算 + 追加 − 调减")
    received = Exact(allow_null=True, help_text="到位金额")
    expenditure = Exact(allow_null=True, help_text="支出金额")
    receipt_rate = RateSerializer(allow_null=True, help_text="资金到位率")
    execution_rate = RateSerializer(allow_null=True, help_text="预算执行率")
    version = serializers.IntegerField(help_text="写入时带回，防止覆盖他人的保存")
    url = serializers.CharField()


class BudgetYearSerializer(BudgetYearSummarySerializer):
    lines = BudgetLineSerializer(many=True)
    lines_total = LinesTotalSerializer()
    disagreements = DisagreementSerializer(many=True)
    editable = serializers.ListField(
        child=serializers.CharField(), help_text="当前用户可写的数字"
    )


class ParsedValueSerializer(serializers.Serializer[dict[str, Any]]):
    text = serializers.CharField(help_text="指标值原文")
    comparator = serializers.CharField(help_text="比较符：≥ ≤ = > < 或 定性")
    number = Exact(allow_null=True)
    unit = serializers.CharField()


@extend_schema_field(
    {"type": "array", "items": {"$ref": "#/components/schemas/TargetIndicator"}}
)
class TargetIndicatorChildren(serializers.ListField):
    """A node's children, each through ``TargetIndicatorSerializer`` (recursive)."""

    def to_representation(self, data: Any) -> list[Any]:
        return [TargetIndicatorSerializer(item).data for item in data]


class TargetIndicatorSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    level = serializers.CharField(help_text="level1 / level2 / key_task / level3")
    position = serializers.IntegerField()
    name = serializers.CharField()
    library_indicator = serializers.CharField(allow_null=True)
    value = ParsedValueSerializer(allow_null=True, help_text="全年指标值（仅三级）")
    half_year_value = ParsedValueSerializer(allow_null=True, help_text="半年指标值")
    actual = serializers.CharField(help_text="全年实际完成值（原文）")
    version = serializers.IntegerField()
    children = TargetIndicatorChildren()


class TargetFormSummarySerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField()
    title = serializers.CharField()
    layout = serializers.CharField()
    year = serializers.IntegerField()
    status = serializers.CharField()
    project = serializers.CharField(allow_null=True)
    organisation = serializers.CharField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField()


class TargetFormSerializer(TargetFormSummarySerializer):
    has_half_year = serializers.BooleanField()
    funds_unit = serializers.CharField()
    funds_total = Exact(allow_null=True)
    funds_fiscal = Exact(allow_null=True)
    funds_other = Exact(allow_null=True)
    overall_goal = serializers.CharField()
    annual_goal = serializers.CharField()
    long_term_goal = serializers.CharField()
    editable = serializers.BooleanField(
        help_text="当前用户能否修改（草稿或退回，且为编制单位）"
    )
    indicators = TargetIndicatorSerializer(many=True)
    documents = serializers.CharField()


class OperatingValueSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    organisation = serializers.CharField()
    metric = serializers.CharField(help_text="指标代码")
    metric_name = serializers.CharField()
    year = serializers.IntegerField()
    month = serializers.IntegerField(allow_null=True, help_text="月份；全年为 null")
    value = Exact()
    unit = serializers.CharField()
    note = serializers.CharField()
    source = serializers.CharField(help_text="来源上传（文件、时间、人）")  # type: ignore[assignment]
    updated_at = serializers.DateTimeField()


class FigureSerializer(serializers.Serializer[dict[str, Any]]):
    value = Exact()
    unit = serializers.CharField()
    numerator = Exact(allow_null=True)
    numerator_unit = serializers.CharField()
    denominator = Exact(allow_null=True)
    denominator_unit = serializers.CharField()
    months = serializers.ListField(child=serializers.IntegerField())
    sources = serializers.ListField(child=serializers.CharField())


class MetricYearSerializer(serializers.Serializer[dict[str, Any]]):
    metric = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text="count / rate / ratio …")
    entered = serializers.BooleanField(help_text="填报值（否则由填报的计数推算）")
    year = FigureSerializer(allow_null=True)
    months = serializers.DictField(
        child=FigureSerializer(), help_text="按月（键为月份）"
    )


class OperatingYearSerializer(serializers.Serializer[dict[str, Any]]):
    organisation = serializers.CharField()
    year = serializers.IntegerField()
    metrics = MetricYearSerializer(many=True)


class EvaluationSummarySerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    year = serializers.IntegerField()
    status = serializers.CharField()
    project = serializers.CharField(allow_null=True)
    organisation = serializers.CharField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    published_total = Exact(allow_null=True)
    published_grade = serializers.CharField()
    review_stage = serializers.CharField(
        help_text="自评的审核环节：'' / department / finance / returned / accepted"
    )
    url = serializers.CharField()


@extend_schema_field(
    {"type": "array", "items": {"$ref": "#/components/schemas/ScoredNode"}}
)
class ScoredChildren(serializers.ListField):
    pass


class ScoredNodeSerializer(serializers.Serializer[dict[str, Any]]):
    """A node of the scored tree, as ``manage.py evaluate --json`` prints it: a group
    has ``children``; a leaf has the target, actual, rule and computed score."""

    name = serializers.CharField()
    weight = serializers.CharField(allow_null=True)
    score = serializers.CharField(allow_null=True)
    rate = serializers.CharField(allow_null=True)
    reconstructed = serializers.BooleanField()
    children = ScoredChildren(required=False)
    target = serializers.CharField(allow_null=True, required=False)
    actual = serializers.CharField(allow_null=True, required=False)
    actual_source = serializers.CharField(allow_null=True, required=False)
    computed_score = serializers.CharField(allow_null=True, required=False)
    rule = serializers.CharField(allow_null=True, required=False)
    applicable = serializers.BooleanField(required=False)
    reason = serializers.CharField(allow_null=True, required=False)


class FlagSerializer(serializers.Serializer[dict[str, Any]]):
    indicator = serializers.CharField()
    kind = serializers.CharField()
    message = serializers.CharField()


class ScoredEvaluationSerializer(serializers.Serializer[dict[str, Any]]):
    """``manage.py evaluate <code> --json``, exactly."""

    code = serializers.CharField()
    title = serializers.CharField()
    total = serializers.CharField(allow_null=True)
    grade = serializers.CharField(allow_null=True)
    tree = ScoredNodeSerializer(many=True)
    flags = FlagSerializer(many=True)


class ExecutionSerializer(serializers.Serializer[dict[str, Any]]):
    label = serializers.CharField()  # type: ignore[assignment]
    budget = Exact()
    expenditure = Exact(allow_null=True)
    execution_percent = Exact(allow_null=True)
    elapsed_percent = Exact()
    ratio = Exact(allow_null=True, help_text="执行率 ÷ 时间进度（%）")
    light = serializers.ChoiceField(choices=["green", "yellow", "red", "none"])


class MonitoredIndicatorSerializer(serializers.Serializer[dict[str, Any]]):
    indicator = serializers.IntegerField()
    name = serializers.CharField()
    target = serializers.CharField()
    actual = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    judgement = serializers.CharField(
        help_text="met / not_met / no_data / not_comparable / qualitative / unmatched"
    )
    half_year_target = serializers.CharField(allow_null=True)
    half_year_actual = serializers.CharField(allow_null=True)
    half_year_judgement = serializers.CharField(allow_null=True)


class OverspendSerializer(serializers.Serializer[dict[str, Any]]):
    category = serializers.CharField()
    budget = Exact()
    expenditure = Exact()
    approved_adjustments = Exact()
    uncovered = Exact()
    message = serializers.CharField()


class MonitoringSerializer(serializers.Serializer[dict[str, Any]]):
    form = serializers.CharField()
    year = serializers.IntegerField()
    as_of = serializers.DateField()
    elapsed_percent = Exact()
    budget = ExecutionSerializer(allow_null=True)
    lines = ExecutionSerializer(many=True)
    overspends = OverspendSerializer(many=True)
    indicators = MonitoredIndicatorSerializer(many=True)
    summary = serializers.DictField(child=serializers.IntegerField())


class DocumentFileSerializer(serializers.Serializer[dict[str, Any]]):
    format = serializers.CharField()
    current = serializers.BooleanField(help_text="已按当前数据生成")
    url = serializers.CharField(allow_null=True, help_text="下载地址（未生成为 null）")
    render_url = serializers.CharField(help_text="生成页面（浏览器）")


class DocumentSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.CharField()
    code = serializers.CharField()
    title = serializers.CharField()
    page_url = serializers.CharField()
    files = DocumentFileSerializer(many=True)


# --------------------------------------------------------------------------- writes


class Text(serializers.CharField):
    """A JSON string, and only a string (DRF would take 0 for "0")."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class Whole(serializers.IntegerField):
    """A JSON integer, and only an integer (not "5", 5.0 or true)."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class Flag(serializers.BooleanField):
    """A JSON true or false, and only that (not "yes" or 1)."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class Amount(serializers.DecimalField):
    """An amount as a decimal string ("11076.79"), as every amount is read."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class OperatingValueInput(serializers.Serializer[dict[str, Any]]):
    """One row of the upload template (填报单位 is the organisation of the batch)."""

    metric = Text(max_length=100, help_text="指标（名称、别名或代码）")
    period = Text(max_length=20, help_text="期间：2020（全年）或 2020-06（月份）")
    value = Text(max_length=40, help_text="数值（十进制字符串）")
    unit = Text(max_length=10, required=False, allow_blank=True, default="")
    note = Text(max_length=200, required=False, allow_blank=True, default="")


class OperatingValueBatchInput(serializers.Serializer[dict[str, Any]]):
    organisation = serializers.SlugField(help_text="热线中心（填报单位）的组织代码")
    values = OperatingValueInput(many=True, allow_empty=False, max_length=20000)  # type: ignore[call-arg]


class OperatingValueBatchResult(serializers.Serializer[dict[str, Any]]):
    organisation = Text()
    upload = Whole(help_text="记录这次写入的上传")
    created = Whole()
    updated = Whole()
    unchanged = Whole()
    years = serializers.ListField(child=Whole())


class BudgetLineInput(serializers.Serializer[dict[str, Any]]):
    id = Whole(help_text="行的 id（读取预算年度时给出）")
    budget = Amount(
        max_digits=16, decimal_places=2, required=False, min_value=Decimal(0)
    )
    received = Amount(max_digits=16, decimal_places=2, required=False, allow_null=True)
    expenditure = Amount(
        max_digits=16, decimal_places=2, required=False, allow_null=True
    )


class BudgetYearInput(serializers.Serializer[dict[str, Any]]):
    """The figures to change; a figure left out stays as stored. 预算数 (年初预算, 追加,
    调减, each line's 预算) are the finance bureau's; 到位 and 支出 also the unit's."""

    version = Whole(help_text="读取时的 version")
    initial = Amount(max_digits=16, decimal_places=2, required=False)
    addition = Amount(max_digits=16, decimal_places=2, required=False)
    reduction = Amount(max_digits=16, decimal_places=2, required=False)
    received = Amount(max_digits=16, decimal_places=2, required=False, allow_null=True)
    expenditure = Amount(
        max_digits=16, decimal_places=2, required=False, allow_null=True
    )
    lines = BudgetLineInput(many=True, required=False)


class IndicatorAddInput(serializers.Serializer[dict[str, Any]]):
    level = Text(max_length=10, help_text="level1 / level2 / key_task / level3")
    parent = Whole(required=False, allow_null=True)  # type: ignore[assignment]
    name = Text(max_length=500, required=False, allow_blank=True)
    library_indicator = Whole(required=False, allow_null=True)
    value = Text(max_length=500, required=False, allow_blank=True)
    half_year_value = Text(max_length=500, required=False, allow_blank=True)


class IndicatorUpdateInput(serializers.Serializer[dict[str, Any]]):
    version = Whole()
    name = Text(max_length=500, allow_blank=True)
    library_indicator = Whole(required=False, allow_null=True)
    value = Text(max_length=500, required=False, allow_blank=True)
    half_year_value = Text(max_length=500, required=False, allow_blank=True)


# --------------------------------------------------------------------------- monitoring reports


class MonitoringLineSerializer(serializers.Serializer[dict[str, Any]]):
    position = Whole()
    kind = Text(help_text="budget（预算执行）或 indicator（绩效指标）")
    indicator = Whole(allow_null=True)
    level1 = Text()
    level2 = Text()
    name = Text()
    period_target = Text(help_text="期间指标值（如半年）")
    year_target = Text(help_text="全年指标值")
    to_date = Text(help_text="截至目前执行情况")
    to_date_source = Text()
    expected = Text(help_text="预计全年完成情况")
    likelihood = Text()
    light = Text(help_text="green / yellow / red / none")
    cause = Text(help_text="偏差原因类别")
    cause_text = Text()
    measures = Text(help_text="纠偏措施")


class MonitoringReportSummarySerializer(serializers.Serializer[dict[str, Any]]):
    code = Text()
    form = Text(help_text="目标表代码")
    year = Whole()
    months = Whole(help_text="监控期间：1 月至该月")
    status = Text(help_text="draft / submitted / returned / accepted")
    submissions = Whole()
    budget_unit = Text()
    budget = Exact(allow_null=True)
    planned_to_date = Exact(allow_null=True)
    spent_to_date = Exact(allow_null=True)
    red_lines = Whole(help_text="红灯行数")
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    url = Text()


class MonitoringReportSerializer(MonitoringReportSummarySerializer):
    review_comment = Text()
    lines = MonitoringLineSerializer(many=True)


class MonitoringReportFilters(ListFilters):
    status = serializers.ChoiceField(
        choices=["draft", "submitted", "returned", "accepted"],
        required=False,
        help_text="监控报告状态",
    )


# --------------------------------------------------------------------------- comparisons


class ComparisonFilters(serializers.Serializer[dict[str, Any]]):
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="年度（默认最近一年）"
    )
    metric = serializers.SlugField(required=False, help_text="指标代码（默认全部）")


class StandardSerializer(serializers.Serializer[dict[str, Any]]):
    text = Text()
    comparator = Text()
    value = Text()


class SpreadSerializer(serializers.Serializer[dict[str, Any]]):
    count = Whole()
    min = Text()
    max = Text()
    median = Text()
    range = Text()
    below_standard = Whole(allow_null=True)


class CentreFigureSerializer(serializers.Serializer[dict[str, Any]]):
    organisation = Text()
    organisation_name = Text()
    region = Text()
    city = Text()
    value = Text()
    numerator = Text(allow_null=True)
    numerator_unit = Text()
    denominator = Text(allow_null=True)
    denominator_unit = Text()
    rank = Whole()
    of = Whole()
    meets_standard = Flag(allow_null=True)
    source = Text(help_text="published / uploaded / verified")  # type: ignore[assignment]
    source_label = Text()
    source_detail = Text()
    verification = Text(allow_null=True)
    reconstructed = Flag()
    counts_reconstructed = Flag()


class KpiComparisonSerializer(serializers.Serializer[dict[str, Any]]):
    metric = Text()
    name = Text()
    unit = Text()
    better = Text(help_text="higher / lower")
    standard = StandardSerializer(allow_null=True)
    standard_note = Text()
    spread = SpreadSerializer(allow_null=True)
    figures = CentreFigureSerializer(many=True)
    set_aside = serializers.ListField(child=Text())


class ComparisonSerializer(serializers.Serializer[dict[str, Any]]):
    year = Whole(allow_null=True)
    years = serializers.ListField(child=Whole())
    kpis = KpiComparisonSerializer(many=True)


class TargetFormCreateInput(serializers.Serializer[dict[str, Any]]):
    """A new draft target form of one of the unit's projects (as the new-form page)."""

    project = serializers.SlugField(help_text="项目代码")
    year = Whole(min_value=2000, max_value=2100)
    layout = serializers.ChoiceField(choices=["project", "application"])
    has_half_year = Flag(required=False, default=False)
    funds_total = Amount(
        max_digits=16, decimal_places=2, required=False, allow_null=True
    )
    funds_fiscal = Amount(
        max_digits=16, decimal_places=2, required=False, allow_null=True
    )
    overall_goal = Text(required=False, allow_blank=True, default="")
