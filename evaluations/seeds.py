"""The evaluations part of the seeds (core/seeding.py): the evaluation frameworks
(``fixtures/frameworks``) and the seed evaluations (``fixtures/seeds/evaluations``), through
the services."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from budgets.models import Organisation, Project
from core.seeding import FIXTURES_DIR, LoadReport, SeedDocument, read
from evaluations.models import Evaluation, Framework
from evaluations.services import (
    IndicatorData,
    SectionData,
    ValueData,
    evaluation_actuals_from_operating_data,
    evaluation_create,
    evaluation_snapshots_take_missing,
    finding_add,
    framework_create,
    recommendation_add,
    report_sections_replace,
)
from targets.models import TargetForm

Doc = Mapping[str, Any]
FRAMEWORK_FILES = ("cai-yu-2020-10", "national-self-evaluation", "local-execution-20")
EVALUATION_FILES = ("tianjin-2020", "panjin-2023")


def _dec(value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float):
        raise ValueError(f"浮点数 {value!r} 须加引号")
    return Decimal(str(value))


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _value(doc: Doc | None) -> ValueData | None:
    if not doc:
        return None
    return ValueData(
        text=_text(doc.get("text")),
        number=_dec(doc.get("number")),
        unit=_text(doc.get("unit")),
        comparator=_text(doc.get("comparator")),
        source=_text(doc.get("source")),
        numerator=_dec(doc.get("numerator")),
        denominator=_dec(doc.get("denominator")),
    )


def indicator_data(doc: Doc, *, with_results: bool) -> IndicatorData:
    """A YAML indicator node as creation data; ``with_results`` keeps targets, actuals and
    scores (evaluations) or drops them (frameworks derived from an evaluation)."""
    rule = doc.get("rule") or {}
    children = [
        indicator_data(c, with_results=with_results) for c in doc.get("children") or ()
    ]
    score = _dec(doc.get("score")) if with_results and not children else None
    return IndicatorData(
        level=int(doc["level"]),
        name=_text(doc["name"]),
        weight=_dec(doc["weight"]) or Decimal(0),
        weight_reconstructed=bool(doc.get("reconstructed")),
        explanation=_text(doc.get("explanation")),
        rule_kind=_text(rule.get("kind")),
        rule_params=rule.get("params") or {},
        target=_value(doc.get("target")) if with_results else None,
        actual=_value(doc.get("actual")) if with_results else None,
        final_score=score,
        score_reconstructed=with_results and bool(doc.get("reconstructed_score")),
        published_score=_dec(doc.get("published_score")) if with_results else None,
        reason=_text(doc.get("reason")) if with_results else "",
        expand_from_target_form=_text(doc.get("expand_from_target_form")),
        target_indicator=_text(doc.get("target_indicator")) if with_results else "",
        children=children,
    )


def seeds_delete(documents: Sequence[SeedDocument]) -> None:
    Evaluation.objects.all().delete()
    Framework.objects.all().delete()


def seeds_load(documents: Sequence[SeedDocument], report: LoadReport) -> None:
    load_frameworks(FIXTURES_DIR / "frameworks")
    for code in EVALUATION_FILES:
        doc = read(FIXTURES_DIR / "seeds" / "evaluations" / f"{code}.yaml")
        evaluation = load_evaluation(
            doc, notes=[_text(n) for n in doc.get("notes") or ()]
        )
        load_report_text(
            evaluation, read(FIXTURES_DIR / "seeds" / "reports" / f"{code}.yaml")
        )
    report.parts += [
        f"{Framework.objects.count()} 个评价指标体系",
        f"{len(EVALUATION_FILES)} 项绩效评价",
    ]


def seeds_finish(report: LoadReport) -> None:
    # a seed loaded as submitted or approved prints, from then on, what it holds now
    evaluation_snapshots_take_missing()


def load_frameworks(directory: Path) -> list[Framework]:
    frameworks = []
    for name in FRAMEWORK_FILES:
        doc = read(directory / f"{name}.yaml")
        frameworks.append(
            framework_create(
                code=doc["code"],
                name=doc["name"],
                description=_text(doc.get("description")),
                grade_bands=doc.get("grade_bands"),
                indicators=[
                    indicator_data(i, with_results=False) for i in doc["indicators"]
                ],
            )
        )
    return frameworks


def load_evaluation(doc: Doc, *, notes: Sequence[str]) -> Evaluation:
    """One seed evaluation, and the framework of the same code derived from its tree."""
    data = doc["evaluation"]
    tree = [indicator_data(i, with_results=True) for i in data["indicators"]]
    framework = Framework.objects.filter(code=data.get("framework")).first()
    if framework is None and data.get("framework"):
        framework = framework_create(
            code=data["framework"],
            name=f"{_text(data['title'])} 评价指标体系",
            description="由评价报告的指标体系整理；报告未公布的分值标注为重构。",
            grade_bands=data.get("grade_bands"),
            indicators=[
                indicator_data(i, with_results=False) for i in data["indicators"]
            ],
        )
    project = Project.objects.get(code=data["project"]) if data.get("project") else None
    form = (
        TargetForm.objects.filter(project=project, year=data["year"]).first()
        if project
        else None
    )

    def org(code: object) -> Organisation | None:
        return Organisation.objects.get(code=code) if code else None

    evaluation = evaluation_create(
        code=data["code"],
        kind=data["kind"],
        year=int(data["year"]),
        title=_text(data["title"]),
        project=project,
        framework=framework,
        target_form=form,
        indicators=tree,
        commissioned_by=org(data.get("commissioned_by")),
        evaluator=org(data.get("evaluator")),
        evaluator_name=_text(data.get("evaluator_name")),
        period_text=_text(data.get("period_text")),
        period_start=data.get("period_start"),
        period_end=data.get("period_end"),
        report_date=data.get("report_date"),
        opening=_text(data.get("opening")),
        purpose=_text(data.get("purpose")),
        scope=_text(data.get("scope")),
        basis=[_text(b) for b in data.get("basis") or ()],
        principles=_text(data.get("principles")),
        methods=_text(data.get("methods")),
        process=_text(data.get("process")),
        conclusion=_text(data.get("conclusion")),
        annual_goal=_text(data.get("annual_goal")),
        grade_bands=[dict(b) for b in data.get("grade_bands") or ()],
        source_total=_dec(data.get("published_total")),  # as the report printed it
        source_grade=_text(data.get("published_grade")),
        source_notes="\n".join(notes),
    )
    evaluation_actuals_from_operating_data(evaluation=evaluation)
    findings = {}
    for item in data.get("findings") or ():
        findings[item["title"]] = finding_add(
            evaluation=evaluation,
            title=_text(item["title"]),
            text=_text(item["text"]),
            indicator_names=item.get("indicators") or (),
        )
    for item in data.get("recommendations") or ():
        recommendation_add(
            evaluation=evaluation,
            title=_text(item["title"]),
            text=_text(item["text"]),
            finding=findings.get(item.get("finding") or ""),
        )
    return evaluation


def load_report_text(evaluation: Evaluation, doc: Doc) -> None:
    """The report's sections (``fixtures/seeds/reports``): the seed report's own text."""
    if _text(doc.get("title")) != evaluation.title:
        raise ValueError(
            f"报告正文的标题“{_text(doc.get('title'))}”与评价“{evaluation.title}”不符"
        )
    report_sections_replace(
        evaluation=evaluation,
        sections=[
            SectionData(
                level=int(item["level"]),
                heading=_text(item.get("heading")),
                body=_text(item.get("body")),
                kind=_text(item.get("kind")) or "text",
                topic=_text(item.get("topic")),
            )
            for item in doc["sections"]
        ],
    )
