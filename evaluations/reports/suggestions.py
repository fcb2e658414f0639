"""The generated sentences and data blocks a section's page offers: what fits the section's
topic (``ReportSection.topic``). Nothing here is ever printed unless the evaluator accepts it
(``report_section_append``); an accepted sentence keeps its ``{{figures}}``, so it goes on
following the data."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from evaluations.models import EvaluationIndicator, ReportSection
from evaluations.reports.context import ReportContext
from evaluations.reports.figures import filled
from evaluations.reports.sentences import (
    budget_sentence,
    budget_tables,
    conclusion_sentence,
    cost_sentence,
    grade_band_sentence,
    indicator_system_sentences,
    indicator_values_sentence,
    organisation_sentence,
    score_sentence,
    task_sentence,
    total_weight,
)
from evaluations.reports.text import printable


@dataclass(frozen=True)
class Suggestion:
    label: str  # where it comes from, for the evaluator
    text: str  # as inserted: {{figures}} and [[blocks]] kept
    preview: str  # as it would print now

    @property
    def key(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()[:16]


def _lines(value: str) -> str:
    return "\n".join(line.strip() for line in value.splitlines() if line.strip())


def _make(context: ReportContext, label: str, text: str) -> Suggestion:
    text = printable(_lines(text))
    preview, _missing = filled(text, context.values)
    return Suggestion(label, text, preview)


def suggestions_for(context: ReportContext, section: ReportSection) -> list[Suggestion]:
    """What the page offers for ``section``, without what its text already holds."""
    found: list[Suggestion] = []
    seen: set[str] = set()
    present = {line.strip() for line in section.body.splitlines()}
    for label, text in _offers(context, section.topic):
        item = _make(context, label, text)
        if item.text and item.key not in seen and item.text not in present:
            seen.add(item.key)
            found.append(item)
    return found


def _offers(context: ReportContext, topic: str) -> Iterator[tuple[str, str]]:
    data = context.data
    evaluation = data.evaluation
    project = evaluation.project
    scored = data.scored
    generated = _("Generated sentence")
    kind, _sep, name = topic.partition(":")
    if kind == "opening":
        yield generated, score_sentence()
    elif kind == "overview" and project is not None:
        yield (
            _("Project application: overview (written before the year: revise it)"),
            project.overview,
        )
        if project.period_text:
            yield generated, f"项目实施期限：{project.period_text}。"
    elif kind == "basis" and project is not None:
        yield _("Project application: basis"), project.basis
    elif kind == "tasks":
        for number, task in enumerate(data.tasks, start=1):
            yield _("Project application: tasks"), task_sentence(number, task)
    elif kind == "organisation" and project is not None:
        yield generated, organisation_sentence(project)
    elif kind == "budget" and context.budget is not None:
        yield generated, budget_sentence(context.budget)
        for table in budget_tables(context.budget):
            yield _("Table from the data"), f"[[{table}]]"
    elif kind == "goal":
        yield _("The evaluation's performance goal"), evaluation.annual_goal
    elif kind == "basis-list":
        items = [str(b).strip() for b in evaluation.basis if str(b).strip()]
        yield (
            _("The evaluation's basis"),
            "\n".join(
                f"{n}、{item}{'。' if n == len(items) else '；'}"
                for n, item in enumerate(items, start=1)
            ),
        )
    elif kind in ("purpose", "scope", "principles", "methods", "process"):
        yield _("The evaluation's record"), getattr(evaluation, kind)
    elif kind == "grades":
        yield (
            generated,
            grade_band_sentence(evaluation.grade_bands, total_weight(scored)),
        )
    elif kind == "system":
        yield generated, "\n".join(indicator_system_sentences(scored))
    elif kind == "conclusion":
        yield generated, conclusion_sentence(scored)
        yield _("Table from the data"), "[[表2]]"
        yield _("Chart from the data"), "[[图1]]"
    elif kind == "indicator":
        yield from _indicator_offers(context, name)
    elif kind in ("findings", "finding"):
        for finding in data.findings:
            yield _("Finding"), finding.text
    elif kind in ("recommendations", "recommendation"):
        for item in data.recommendations:
            yield _("Recommendation"), item.text
    elif kind == "signature":
        if evaluation.evaluator is not None:
            yield _("Evaluating organisation"), evaluation.evaluator.name
        if evaluation.report_date is not None:
            day = evaluation.report_date
            yield _("Report date"), f"{day.year}年{day.month}月{day.day}日"


def _indicator_offers(context: ReportContext, name: str) -> Iterator[tuple[str, str]]:
    scored = context.data.scored
    node = next((i for i in scored.indicators if i.name == name), None)
    if node is None:
        return
    leaves = _leaves(node, scored.children)
    for leaf in leaves:
        yield (
            _("Indicator paragraph: %(name)s") % {"name": leaf.name},
            (f"[[指标：{leaf.name}]]"),
        )
        yield (
            _("Scoring explanation: %(name)s") % {"name": leaf.name},
            (_leaf_sentence(leaf)),
        )
    costs = context.costs
    if costs is not None and node.level == 2 and "成本" in node.name:
        yield (
            _("Generated sentence"),
            cost_sentence(costs.current_year, costs.base_years),
        )
        yield _("Table from the data"), "[[表3]]"
        yield _("Chart from the data"), "[[图2]]"


def _leaf_sentence(leaf: EvaluationIndicator) -> str:
    """The indicator's own 指标值 and 实际完成值, its reason, and its score placed from the
    data."""
    parts = [indicator_values_sentence(leaf), *_lines(leaf.reason).splitlines()]
    text = "".join(part for part in parts if part)
    if text and text[-1] not in "。！？":
        text += "。"
    return f"{text}依据评分细则，得{{{{{leaf.name}得分}}}}分。"


def _leaves(
    node: EvaluationIndicator,
    children: Mapping[int | None, list[EvaluationIndicator]],
) -> list[EvaluationIndicator]:
    kids = children.get(node.pk, [])
    if not kids:
        return [node]
    return [leaf for kid in kids for leaf in _leaves(kid, children)]
