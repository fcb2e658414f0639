"""The standard catalogue of hotline operating metrics (热线运行指标目录).

Pure Python: the definitions every centre shares. They are copied into the ``Metric`` table by
the data migration ``0002_standard_metrics`` (a test checks that the table and this module
agree); a centre's own extra metrics are rows of the same table flagged ``is_custom``.

Counts, not percentages: a centre enters *counts* (呼入量, 接听量, 办结量 …), amounts
(人工费用) and durations (平均接通时长). Every rate is *derived* from its numerator and
denominator (``Formula``), by the functions of ``kernel.metrics``, so it is
rounded once, half-up, like every printed figure.

Units: ``unit`` is the unit the template offers first; a centre may also enter the 万-unit of
the same base (接听量 in 次 or 万次, 人工费用 in 元 or 万元). The unit entered is stored with
the value (``units``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Kind(StrEnum):
    COUNT = "count"  # entered: a whole number of calls, cases, people, lines …
    AMOUNT = "amount"  # entered: money, 元 or 万元
    DURATION = "duration"  # entered: seconds
    RATE = "rate"  # derived: numerator / denominator in percent
    RATIO = "ratio"  # derived: numerator / denominator in the metric's unit
    SUM = "sum"  # derived: the sum of its parts

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def is_entered(self) -> bool:
        return self in (Kind.COUNT, Kind.AMOUNT, Kind.DURATION)


KIND_LABELS: Final = {
    Kind.COUNT: "计数",
    Kind.AMOUNT: "金额",
    Kind.DURATION: "时长",
    Kind.RATE: "比率（计算）",
    Kind.RATIO: "比值（计算）",
    Kind.SUM: "合计（计算）",
}


class Aggregation(StrEnum):
    """How a year's value follows from monthly values when no annual row was entered."""

    SUM = "sum"  # flows: the months add up (呼入量)
    LATEST = "latest"  # stocks: the latest month (坐席数, 年末人数)
    MEAN = "mean"  # averages of a stock (月均人数)
    NONE = "none"  # annual only (平均接通时长: a mean of means would mislead)

    @property
    def label(self) -> str:
        return AGGREGATION_LABELS[self]


AGGREGATION_LABELS: Final = {
    Aggregation.SUM: "月度相加",
    Aggregation.LATEST: "取最近月份",
    Aggregation.MEAN: "月度平均",
    Aggregation.NONE: "仅全年",
}


class Formula(StrEnum):
    """How a derived metric is computed; each maps to one function of
    ``kernel.metrics`` (see ``operations.derived``)."""

    PERCENT = "percent"  # metrics.rate: numerator / denominator × 100, same base unit
    LABOUR_COST_PER_10K_CALLS = "labour_cost_per_10k_calls"  # 万元 / 万次
    UNIT_LABOUR_COST = "unit_labour_cost"  # 万元 / 人
    MONTHLY_TURNOVER_RATE = "monthly_turnover_rate"  # (leavers ÷ 12) / 月均人数
    SUM = "sum"


@dataclass(frozen=True, slots=True)
class MetricSpec:
    code: str
    name: str
    kind: Kind
    unit: str
    group: str
    aggregation: Aggregation = Aggregation.SUM
    aliases: tuple[str, ...] = ()
    library_codes: tuple[str, ...] = ()
    formula: Formula | None = None
    numerator: str = ""
    denominator: str = ""
    parts: tuple[str, ...] = ()
    bounded: bool = False
    """For a rate: its numerator can never exceed its denominator (接听量 ≤ 呼入量)."""
    fractional: bool = False
    """An entered count that may have decimals (月均人数 is a mean)."""
    description: str = ""


@dataclass(frozen=True, slots=True)
class NotGreater:
    """A consistency rule: the sum of ``parts`` cannot exceed ``whole`` in one period."""

    parts: tuple[str, ...]
    whole: str


C, A, D = Kind.COUNT, Kind.AMOUNT, Kind.DURATION
LATEST, MEAN, NONE = Aggregation.LATEST, Aggregation.MEAN, Aggregation.NONE

GROUPS: Final = (
    "话务",
    "受理",
    "办理",
    "回访与评价",
    "坐席与人员",
    "成本",
    "培训",
    "线路",
    "其他",
)

STANDARD_METRICS: Final[tuple[MetricSpec, ...]] = (
    # ------------------------------------------------------------------ 话务
    MetricSpec(
        "calls-offered",
        "呼入量",
        C,
        "次",
        "话务",
        aliases=("呼入电话量", "来电量", "呼入总量"),
        description="进入人工服务队列的来电次数，接通率的分母",
    ),
    MetricSpec(
        "calls-answered",
        "接听量",
        C,
        "次",
        "话务",
        aliases=("人工接听量", "接通量", "电话接听量"),
        library_codes=("answered-calls",),
        description="人工接听的来电次数",
    ),
    MetricSpec(
        "calls-answered-15s",
        "15秒内接听量",
        C,
        "次",
        "话务",
        aliases=("15秒内接通量", "15秒接听量"),
        description="15 秒内接听的来电次数",
    ),
    MetricSpec(
        "average-answer-seconds",
        "平均接通时长",
        D,
        "秒",
        "话务",
        aggregation=NONE,
        aliases=("平均应答时长", "平均接听时长"),
        library_codes=("average-answer-time",),
        description="来电从进入人工队列到被接听的平均秒数（仅填全年）",
    ),
    # ------------------------------------------------------------------ 受理
    MetricSpec(
        "cases-accepted",
        "受理量",
        C,
        "件",
        "受理",
        aliases=("诉求受理量", "受理总量", "全年受理量"),
        library_codes=("accepted-volume",),
        description="各渠道受理的诉求件数合计",
    ),
    MetricSpec(
        "cases-help",
        "求助类受理量",
        C,
        "件",
        "受理",
        aliases=("受理量（求助）", "求助类信息受理量"),
        description="按类型：求助",
    ),
    MetricSpec(
        "cases-dispatch",
        "派单类受理量",
        C,
        "件",
        "受理",
        aliases=("受理量（派单）", "派单量", "派单类信息受理量"),
        description="按类型：派单（转承办单位办理），退单率的分母",
    ),
    MetricSpec(
        "cases-consultation",
        "咨询类受理量",
        C,
        "件",
        "受理",
        aliases=("受理量（咨询）",),
        description="按类型：咨询",
    ),
    MetricSpec(
        "cases-complaint",
        "投诉类受理量",
        C,
        "件",
        "受理",
        aliases=("受理量（投诉）",),
        description="按类型：投诉",
    ),
    MetricSpec(
        "cases-suggestion",
        "建议类受理量",
        C,
        "件",
        "受理",
        aliases=("受理量（建议）",),
        description="按类型：建议",
    ),
    MetricSpec(
        "cases-phone",
        "电话渠道受理量",
        C,
        "件",
        "受理",
        aliases=("受理量（电话）",),
        description="按渠道：电话",
    ),
    MetricSpec(
        "cases-web",
        "网站渠道受理量",
        C,
        "件",
        "受理",
        aliases=("受理量（网站）",),
        description="按渠道：网站",
    ),
    MetricSpec(
        "cases-mobile",
        "移动端渠道受理量",
        C,
        "件",
        "受理",
        aliases=("受理量（移动端）", "移动应用渠道受理量"),
        description="按渠道：移动端（App、小程序、公众号）",
    ),
    MetricSpec(
        "business-environment-cases",
        "营商环境类受理量",
        C,
        "件",
        "受理",
        aliases=("营商环境类问题受理量", "涉企诉求受理量"),
        library_codes=("business-environment-cases",),
        description="营商环境专席解答、派单的涉企问题件数",
    ),
    # ------------------------------------------------------------------ 办理
    MetricSpec(
        "cases-completed",
        "办结量",
        C,
        "件",
        "办理",
        aliases=("办结数", "办结工单量"),
        description="已办结的诉求件数",
    ),
    MetricSpec(
        "cases-completed-on-time",
        "按时办结量",
        C,
        "件",
        "办理",
        aliases=("按期办结量", "按时办结工单量"),
        description="在规定时限内办结的件数",
    ),
    MetricSpec(
        "cases-resolved-directly",
        "直接办复量",
        C,
        "件",
        "办理",
        aliases=("坐席直接解答办结量", "直接答复量", "一次性解答量"),
        description="坐席当场解答、无需派单即办结的件数",
    ),
    MetricSpec(
        "cases-returned",
        "退单量",
        C,
        "件",
        "办理",
        aliases=("退单数",),
        description="承办单位退回的工单件数",
    ),
    MetricSpec(
        "complaints-liable",
        "有责投诉量",
        C,
        "件",
        "办理",
        aliases=("有责投诉数", "话务员有责投诉量"),
        description="经核实属话务员责任的投诉件数",
    ),
    # ------------------------------------------------------------------ 回访与评价
    MetricSpec(
        "callbacks",
        "回访量",
        C,
        "件",
        "回访与评价",
        aliases=("回访数", "回访件数"),
        description="对办结工单开展回访的件数，满意率的分母",
    ),
    MetricSpec(
        "callbacks-satisfied",
        "回访满意量",
        C,
        "件",
        "回访与评价",
        aliases=("满意数", "回访满意数", "满意量"),
        description="回访中表示满意的件数",
    ),
    MetricSpec(
        "callbacks-basically-satisfied",
        "回访基本满意量",
        C,
        "件",
        "回访与评价",
        aliases=("基本满意数", "基本满意量"),
        description="回访中表示基本满意的件数",
    ),
    MetricSpec(
        "callbacks-dissatisfied",
        "回访不满意量",
        C,
        "件",
        "回访与评价",
        aliases=("不满意数", "不满意量"),
        description="回访中表示不满意的件数",
    ),
    MetricSpec(
        "ratings",
        "参评量",
        C,
        "件",
        "回访与评价",
        aliases=("参评数", "评价量"),
        description="来电人对话务服务作出评价的件数，好评率的分母",
    ),
    MetricSpec(
        "ratings-positive",
        "好评量",
        C,
        "件",
        "回访与评价",
        aliases=("好评数",),
        description="来电人给出好评的件数",
    ),
    # ------------------------------------------------------------------ 坐席与人员
    MetricSpec(
        "seats",
        "坐席数",
        C,
        "个",
        "坐席与人员",
        aggregation=LATEST,
        aliases=("座席数", "坐席数量", "设置坐席数"),
        library_codes=("seat-count",),
        description="年末（或月末）实际投入使用的坐席数",
    ),
    MetricSpec(
        "seats-business-environment",
        "营商环境专席数",
        C,
        "个",
        "坐席与人员",
        aggregation=LATEST,
        aliases=("营商环境专席",),
        description="坐席数中的营商环境专席",
    ),
    MetricSpec(
        "staff-year-end",
        "年末人数",
        C,
        "人",
        "坐席与人员",
        aggregation=LATEST,
        aliases=("年末在岗人数", "在职工作人员数量", "期末人数"),
        library_codes=("contract-staff-count", "platform-staff-count"),
        description="年末（月报为月末）在岗人数",
    ),
    MetricSpec(
        "staff-monthly-average",
        "月均人数",
        C,
        "人",
        "坐席与人员",
        aggregation=MEAN,
        aliases=("月均人员数量", "月均在岗人数"),
        fractional=True,
        description="全年各月在岗人数的平均数，可有两位小数",
    ),
    MetricSpec(
        "staff-leavers",
        "流失人数",
        C,
        "人",
        "坐席与人员",
        aliases=("离职人数", "全年累计流失人数"),
        description="期间内累计流失（离职）人数；月均流失人数 = 全年流失人数 ÷ 12",
    ),
    # ------------------------------------------------------------------ 成本
    MetricSpec(
        "labour-cost",
        "人工费用",
        A,
        "万元",
        "成本",
        aliases=("人工成本", "人员费用"),
        description="话务及管理人员的工资福利支出",
    ),
    # ------------------------------------------------------------------ 培训
    MetricSpec(
        "training-online",
        "线上培训人次",
        C,
        "人次",
        "培训",
        aliases=("线上培训",),
        description="线上培训累计人次",
    ),
    MetricSpec(
        "training-onsite",
        "现场培训人次",
        C,
        "人次",
        "培训",
        aliases=("现场培训", "线下培训人次"),
        description="现场培训累计人次",
    ),
    # ------------------------------------------------------------------ 线路
    MetricSpec(
        "trunk-lines-leased",
        "中继线租赁数",
        C,
        "条",
        "线路",
        aggregation=LATEST,
        aliases=("租赁中继线数",),
        description="租赁的中继线条数",
    ),
    MetricSpec(
        "dedicated-lines-leased",
        "专线租赁数",
        C,
        "条",
        "线路",
        aggregation=LATEST,
        aliases=("租赁专线数", "专线链路租赁数"),
        description="租赁的专线链路条数",
    ),
    MetricSpec(
        "trunk-lines-opened",
        "中继线开通数",
        C,
        "条",
        "线路",
        aggregation=LATEST,
        aliases=("已开通中继线数",),
        description="已验收开通的中继线条数",
    ),
    MetricSpec(
        "dedicated-lines-opened",
        "专线开通数",
        C,
        "条",
        "线路",
        aggregation=LATEST,
        aliases=("已开通专线数", "专线链路开通数"),
        description="已验收开通的专线链路条数",
    ),
    # ------------------------------------------------------------------ 其他
    MetricSpec(
        "public-opinion-reports",
        "舆情专报期数",
        C,
        "期",
        "其他",
        aliases=("《舆情专报》期数", "舆情专报报送期数"),
        library_codes=("public-opinion-report-issues",),
        description="向党委政府报送《舆情专报》等分析材料的期数",
    ),
    MetricSpec(
        "integrated-hotlines",
        "整合热线数",
        C,
        "条",
        "其他",
        aggregation=LATEST,
        aliases=("已整合热线数", "整合热线号码数"),
        description="已整合进本热线的政务服务热线号码数（累计）",
    ),
    # ------------------------------------------------------------------ derived
    MetricSpec(
        "training-attendance",
        "培训人次",
        Kind.SUM,
        "人次",
        "培训",
        formula=Formula.SUM,
        parts=("training-online", "training-onsite"),
        library_codes=("training-attendance",),
        description="线上培训人次 + 现场培训人次",
    ),
    MetricSpec(
        "lines-leased",
        "中继线及专线租赁数",
        Kind.SUM,
        "条",
        "线路",
        aggregation=LATEST,
        formula=Formula.SUM,
        parts=("trunk-lines-leased", "dedicated-lines-leased"),
        library_codes=("trunk-line-count",),
        description="中继线租赁数 + 专线租赁数",
    ),
    MetricSpec(
        "lines-opened",
        "中继线及专线开通数",
        Kind.SUM,
        "条",
        "线路",
        aggregation=LATEST,
        formula=Formula.SUM,
        parts=("trunk-lines-opened", "dedicated-lines-opened"),
        description="中继线开通数 + 专线开通数",
    ),
    MetricSpec(
        "answer-rate",
        "接通率",
        Kind.RATE,
        "%",
        "话务",
        formula=Formula.PERCENT,
        numerator="calls-answered",
        denominator="calls-offered",
        bounded=True,
        library_codes=("call-answer-rate",),
        description="接听量 ÷ 呼入量",
    ),
    MetricSpec(
        "answer-15s-rate",
        "15秒接通率",
        Kind.RATE,
        "%",
        "话务",
        formula=Formula.PERCENT,
        numerator="calls-answered-15s",
        denominator="calls-answered",
        bounded=True,
        library_codes=("answer-within-15s-rate",),
        description="15秒内接听量 ÷ 接听量",
    ),
    MetricSpec(
        "completion-rate",
        "办结率",
        Kind.RATE,
        "%",
        "办理",
        formula=Formula.PERCENT,
        numerator="cases-completed",
        denominator="cases-accepted",
        bounded=True,
        library_codes=("completion-rate",),
        description="办结量 ÷ 受理量",
    ),
    MetricSpec(
        "on-time-completion-rate",
        "按时办结率",
        Kind.RATE,
        "%",
        "办理",
        formula=Formula.PERCENT,
        numerator="cases-completed-on-time",
        denominator="cases-completed",
        bounded=True,
        library_codes=("on-time-completion-rate",),
        description="按时办结量 ÷ 办结量",
    ),
    MetricSpec(
        "direct-resolution-rate",
        "直接办复率",
        Kind.RATE,
        "%",
        "办理",
        formula=Formula.PERCENT,
        numerator="cases-resolved-directly",
        denominator="cases-accepted",
        bounded=True,
        library_codes=("direct-resolution-rate",),
        description="直接办复量 ÷ 受理量",
    ),
    MetricSpec(
        "return-rate",
        "退单率",
        Kind.RATE,
        "%",
        "办理",
        formula=Formula.PERCENT,
        numerator="cases-returned",
        denominator="cases-dispatch",
        bounded=True,
        library_codes=("return-rate",),
        description="退单量 ÷ 派单类受理量",
    ),
    MetricSpec(
        "liable-complaint-rate",
        "有责投诉率",
        Kind.RATE,
        "%",
        "办理",
        formula=Formula.PERCENT,
        numerator="complaints-liable",
        denominator="calls-answered",
        bounded=True,
        library_codes=("liable-complaint-rate",),
        description="有责投诉量 ÷ 接听量",
    ),
    MetricSpec(
        "callback-rate",
        "回访率",
        Kind.RATE,
        "%",
        "回访与评价",
        formula=Formula.PERCENT,
        numerator="callbacks",
        denominator="cases-completed",
        bounded=True,
        library_codes=("callback-rate",),
        description="回访量 ÷ 办结量",
    ),
    MetricSpec(
        "satisfaction-rate",
        "满意率",
        Kind.RATE,
        "%",
        "回访与评价",
        formula=Formula.PERCENT,
        numerator="callbacks-satisfied",
        denominator="callbacks",
        bounded=True,
        library_codes=("satisfaction-rate",),
        description="回访满意量 ÷ 回访量",
    ),
    MetricSpec(
        "positive-rating-rate",
        "好评率",
        Kind.RATE,
        "%",
        "回访与评价",
        formula=Formula.PERCENT,
        numerator="ratings-positive",
        denominator="ratings",
        bounded=True,
        library_codes=("positive-rating-rate",),
        description="好评量 ÷ 参评量",
    ),
    MetricSpec(
        "line-activation-rate",
        "中继线开通率",
        Kind.RATE,
        "%",
        "线路",
        formula=Formula.PERCENT,
        numerator="lines-opened",
        denominator="lines-leased",
        bounded=True,
        library_codes=("trunk-line-activation-rate",),
        description="中继线及专线开通数 ÷ 租赁数",
    ),
    MetricSpec(
        "labour-cost-per-10k-calls",
        "每万接听量人工成本",
        Kind.RATIO,
        "万元",
        "成本",
        formula=Formula.LABOUR_COST_PER_10K_CALLS,
        numerator="labour-cost",
        denominator="calls-answered",
        library_codes=("labour-cost-per-10k-answered",),
        description="人工费用（万元）÷ 接听量（万次）",
    ),
    MetricSpec(
        "unit-labour-cost",
        "单位人工成本",
        Kind.RATIO,
        "万元",
        "成本",
        formula=Formula.UNIT_LABOUR_COST,
        numerator="labour-cost",
        denominator="staff-monthly-average",
        library_codes=("unit-labour-cost",),
        description="人工费用（万元）÷ 月均人数",
    ),
    MetricSpec(
        "monthly-attrition-rate",
        "月均人员流失率",
        Kind.RATE,
        "%",
        "坐席与人员",
        formula=Formula.MONTHLY_TURNOVER_RATE,
        numerator="staff-leavers",
        denominator="staff-monthly-average",
        library_codes=("monthly-attrition-rate",),
        description="月均流失人数（全年流失人数 ÷ 12）÷ 月均人数",
    ),
)

FROM_RECORDS: Final[dict[str, str]] = {
    # 话单 (a call belongs to the month of its 到达时间)
    "calls-offered": "话单数（进入人工服务队列的来电）",
    "calls-answered": "接听时间不为空的话单数",
    "calls-answered-15s": "接听时间 − 到达时间 ≤ 15 秒的话单数（GB/T 33358-2016）",
    "average-answer-seconds": "已接听话单的（接听时间 − 到达时间）秒数之和 ÷ 接听量",
    "answer-rate": "接听量 ÷ 呼入量，两者均由话单计数",
    "answer-15s-rate": "15秒内接听量 ÷ 接听量，两者均由话单计数",
    # 工单 (a work order belongs to the month of its 受理时间)
    "cases-accepted": "工单数",
    "cases-help": "类型为“求助”的工单数",
    "cases-dispatch": "类型为“派单”的工单数",
    "cases-consultation": "类型为“咨询”的工单数",
    "cases-complaint": "类型为“投诉”的工单数",
    "cases-suggestion": "类型为“建议”的工单数",
    "cases-phone": "渠道为“电话”的工单数",
    "cases-web": "渠道为“网站”的工单数",
    "cases-mobile": "渠道为“移动端”的工单数",
    "business-environment-cases": "营商环境类标记为“是”的工单数",
    "cases-completed": "办结时间不为空的工单数",
    "cases-completed-on-time": "已办结且办结时间不晚于办理时限（无时限的视为按时）的工单数",
    "cases-resolved-directly": "直接办复标记为“是”的工单数",
    "cases-returned": "退单标记为“是”的工单数",
    "complaints-liable": "有责投诉标记为“是”的工单数",
    "callbacks": "回访时间不为空的工单数",
    "callbacks-satisfied": "回访结果为“满意”的工单数",
    "callbacks-basically-satisfied": "回访结果为“基本满意”的工单数",
    "callbacks-dissatisfied": "回访结果为“不满意”的工单数",
    "completion-rate": "办结量 ÷ 受理量，两者均由工单计数",
    "on-time-completion-rate": "按时办结量 ÷ 办结量，两者均由工单计数",
    "direct-resolution-rate": "直接办复量 ÷ 受理量，两者均由工单计数",
    "callback-rate": "回访量 ÷ 办结量，两者均由工单计数",
    "satisfaction-rate": "回访满意量 ÷ 回访量，两者均由工单计数",
    "return-rate": "退单量 ÷ 派单类受理量，两者均由工单计数",
    "liable-complaint-rate": "有责投诉量（工单）÷ 接听量（话单）",
}
"""How each metric above is recomputed from raw records (话单 call records and 工单 work
orders, the column contract of ``records.columns``) to verify a reported figure: the
definitions themselves are the Ibis expressions of ``records.kpis`` (one per count; a rate
keeps the numerator and denominator named here), which run on DuckDB and Spark; a test
holds the two together. Metrics not listed (坐席数, 人工费用, 培训人次 …) cannot be
recomputed from records."""

EXPLICIT_RULES: Final[tuple[NotGreater, ...]] = (
    NotGreater(("cases-help", "cases-dispatch"), "cases-accepted"),
    NotGreater(
        ("cases-consultation", "cases-complaint", "cases-suggestion"), "cases-accepted"
    ),
    NotGreater(("cases-phone", "cases-web", "cases-mobile"), "cases-accepted"),
    NotGreater(
        (
            "callbacks-satisfied",
            "callbacks-basically-satisfied",
            "callbacks-dissatisfied",
        ),
        "callbacks",
    ),
    NotGreater(("seats-business-environment",), "seats"),
    NotGreater(("trunk-lines-opened",), "trunk-lines-leased"),
    NotGreater(("dedicated-lines-opened",), "dedicated-lines-leased"),
)
"""Parts that cannot add up to more than their whole, besides the bounded rates."""


def consistency_rules(specs: Iterable[MetricSpec]) -> tuple[NotGreater, ...]:
    """Every rule checked on an upload, against each period's resulting values (stored +
    uploaded): a bounded rate's numerator ≤ its denominator (接听量 ≤ 呼入量, 按时办结量 ≤
    办结量 …), and ``EXPLICIT_RULES``."""
    bounded = tuple(
        NotGreater((spec.numerator,), spec.denominator)
        for spec in specs
        if spec.bounded and spec.numerator and spec.denominator
    )
    return (*bounded, *EXPLICIT_RULES)


BY_CODE: Final = {spec.code: spec for spec in STANDARD_METRICS}
