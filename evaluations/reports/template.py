"""The structure a new evaluation's report starts from: the outline of the framework
(财预〔2020〕10号's 基本情况 / 评价工作 / 结论及分析 with the evaluation's own indicator tree /
问题 / 建议), the data blocks placed where they belong, and only the evaluator's own stored
texts filled in. Generated sentences are not put in: the page offers them as suggestions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from evaluations.models import EvaluationIndicator, ReportSection
from evaluations.reports.context import ReportContext
from evaluations.reports.sentences import budget_tables, chinese_number


@dataclass(frozen=True)
class SectionDraft:
    level: int
    heading: str
    body: str = ""
    topic: str = ""
    kind: str = ReportSection.Kind.TEXT


def _numbered(level: int, count: int) -> str:
    return [
        f"{chinese_number(count)}、",
        f"（{chinese_number(count)}）",
        f"{count}.",
        f"（{count}）",
    ][level - 1]


class _Outline:
    def __init__(self) -> None:
        self.sections: list[SectionDraft] = []
        self.counters = [0, 0, 0, 0]

    def add(self, level: int, title: str, body: str = "", topic: str = "") -> None:
        self.counters[level - 1] += 1
        for deeper in range(level, 4):
            self.counters[deeper] = 0
        heading = _numbered(level, self.counters[level - 1]) + title
        self.sections.append(SectionDraft(level, heading, body, topic))


def _weight(indicator: EvaluationIndicator) -> str:
    return f"（{{{{{indicator.name}分值}}}}分）"


def report_template(context: ReportContext) -> list[SectionDraft]:
    data = context.data
    evaluation = data.evaluation
    project = evaluation.project
    scored = data.scored
    outline = _Outline()
    outline.sections.append(SectionDraft(0, "", evaluation.opening.strip(), "opening"))

    outline.add(1, "项目基本情况", topic="basic")
    if project is not None:
        outline.add(2, "项目概况", topic="overview")
        outline.add(3, "立项依据", topic="basis")
        outline.add(3, "主要内容", topic="tasks")
        outline.add(3, "项目组织管理", topic="organisation")
        if context.budget is not None:
            blocks = "\n".join(f"[[{t}]]" for t in budget_tables(context.budget))
            outline.add(3, "资金投入和使用情况", blocks, topic="budget")
    outline.add(2, "项目绩效目标", evaluation.annual_goal.strip(), topic="goal")

    outline.add(1, "绩效评价工作开展情况", topic="work")
    basis = [str(b).strip() for b in evaluation.basis if str(b).strip()]
    for title, text, topic in [
        ("评价目的", evaluation.purpose, "purpose"),
        ("评价对象与范围", evaluation.scope, "scope"),
        (
            "评价依据",
            "\n".join(
                f"{n}、{item}{'。' if n == len(basis) else '；'}"
                for n, item in enumerate(basis, start=1)
            ),
            "basis-list",
        ),
        ("评价原则", evaluation.principles, "principles"),
        ("评价方法", evaluation.methods, "methods"),
        ("评价结果等级划分", "", "grades"),
        ("评价指标体系", "", "system"),
        ("评价工作过程", evaluation.process, "process"),
    ]:
        outline.add(2, title, text.strip(), topic=topic)

    outline.add(1, "评价结论及分析", topic="analysis")
    conclusion = [evaluation.conclusion.strip(), "[[表2]]", "[[图1]]"]
    outline.add(
        2, "综合评价结论", "\n".join(c for c in conclusion if c), topic="conclusion"
    )
    cost_group = _cost_group(scored.children) if context.costs is not None else None
    children = scored.children
    for root in children.get(None, []):
        kids = children.get(root.pk, [])
        own = [f"[[指标：{k.name}]]" for k in kids if not children.get(k.pk)]
        outline.add(
            2, root.name + _weight(root), "\n".join(own), topic=f"indicator:{root.name}"
        )
        for kid in (k for k in kids if children.get(k.pk)):
            lines = [f"[[指标：{leaf.name}]]" for leaf in _all_leaves(kid, children)]
            if kid.pk == cost_group:
                lines += ["[[表3]]", "[[图2]]"]
            outline.add(
                3,
                kid.name + _weight(kid),
                "\n".join(lines),
                topic=f"indicator:{kid.name}",
            )
    if data.findings:
        outline.add(1, "存在的主要问题", topic="findings")
        for finding in data.findings:
            outline.add(2, finding.title, finding.text.strip(), topic="finding")
    if data.recommendations:
        outline.add(1, "相关建议", topic="recommendations")
        for item in data.recommendations:
            outline.add(2, item.title, item.text.strip(), topic="recommendation")
    signature = "\n".join(
        line
        for line in (
            evaluation.evaluator.name if evaluation.evaluator is not None else "",
            (
                f"{evaluation.report_date.year}年{evaluation.report_date.month}月"
                f"{evaluation.report_date.day}日"
                if evaluation.report_date
                else ""
            ),
        )
        if line
    )
    outline.sections.append(
        SectionDraft(0, "", signature, "signature", ReportSection.Kind.SIGNATURE)
    )
    return outline.sections


def _all_leaves(
    node: EvaluationIndicator, children: Mapping[int | None, list[EvaluationIndicator]]
) -> list[EvaluationIndicator]:
    kids = children.get(node.pk, [])
    if not kids:
        return [node]
    return [leaf for kid in kids for leaf in _all_leaves(kid, children)]


def _cost_group(children: Mapping[int | None, list[EvaluationIndicator]]) -> int | None:
    """The group the cost table belongs to: the first 二级 indicator about cost (产出成本)."""
    for indicators in children.values():
        for indicator in indicators:
            if indicator.level == 2 and "成本" in indicator.name:
                return indicator.pk
    return None


def report_sections(context: ReportContext) -> list[ReportSection]:
    """The evaluation's stored sections in order; before the evaluator starts, the
    template's (unsaved)."""
    evaluation = context.evaluation
    stored = list(evaluation.report_sections.order_by("position"))
    if stored:
        return stored
    return [
        ReportSection(
            evaluation=evaluation,
            position=position,
            level=draft.level,
            heading=draft.heading,
            body=draft.body,
            kind=draft.kind,
            topic=draft.topic,
        )
        for position, draft in enumerate(report_template(context), start=1)
    ]
