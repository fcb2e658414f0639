"""The targets part of the seeds (core/seeding.py): the indicator library
(``fixtures/indicator_library.yaml``) and the target forms of the seed files, through the
targets services."""

from __future__ import annotations

from collections.abc import Sequence

from budgets.models import Project
from budgets.seeds import seed_organisation
from core.seeding import (
    FIXTURES_DIR,
    SEED_FILES,
    Doc,
    LoadReport,
    SeedDocument,
    SeedError,
    dec,
    read,
    text,
)
from targets import services as target_services
from targets.models import (
    IndicatorCategory,
    LibraryIndicator,
    TargetForm,
    TargetFormStatus,
    TargetIndicator,
)
from targets.selectors import LibraryIndex, library_index

LEVELS = {1: "level1", 2: "level2", 3: "level3", "task": "key_task"}


def seeds_present() -> bool:
    return (
        TargetForm.objects.filter(code__in=SEED_FILES).exists()
        or LibraryIndicator.objects.exists()
    )


def seeds_delete(documents: Sequence[SeedDocument]) -> None:
    TargetForm.objects.filter(code__in=SEED_FILES).delete()
    LibraryIndicator.objects.all().delete()
    IndicatorCategory.objects.all().delete()


def seeds_load(documents: Sequence[SeedDocument], report: LoadReport) -> None:
    library_indicators = _load_library(read(FIXTURES_DIR / "indicator_library.yaml"))
    library = library_index()
    forms = indicators = 0
    for document in documents:
        for form in document.doc.get("target_forms") or ():
            indicators += _target_form(form, library, document.notes)
            forms += 1
    report.parts += [
        f"{forms} 张绩效目标表（{indicators} 个指标）",
        f"指标库 {library_indicators} 个指标",
    ]


def seeds_approve(documents: Sequence[SeedDocument], report: LoadReport) -> None:
    """Approve the seed target forms whose source says they were approved (their
    ``approved_by_source``: where the source says so, kept in the form's source notes),
    as submitted once and approved by no user."""
    approved = []
    for document in documents:
        for doc in document.doc.get("target_forms") or ():
            source = text(doc.get("approved_by_source"))
            if not source:
                continue
            form = TargetForm.objects.get(code=doc["code"])
            form.status = TargetFormStatus.APPROVED
            form.submissions = max(form.submissions, 1)
            form.source_notes = "\n".join(
                part
                for part in (form.source_notes, f"审核通过（据来源）：{source}")
                if part
            )
            form.full_clean()
            form.save()
            approved.append(form.code)
    if approved:
        report.parts.append(f"已审核通过的绩效目标表 {'、'.join(approved)}")


def seeds_finish(report: LoadReport) -> None:
    # a seed loaded as submitted or approved prints, from then on, what it holds now
    target_services.target_form_snapshots_take_missing()


def _load_library(doc: Doc) -> int:
    categories: dict[tuple[str, str, str], IndicatorCategory] = {}
    for position, entry in enumerate(doc.get("categories") or (), start=1):
        root = target_services.indicator_category_create_tree(
            layout=entry["layout"],
            level1=entry["level1"],
            level2=entry.get("level2") or (),
            position=position,
        )
        for child in root.children.all():
            categories[(entry["layout"], entry["level1"], child.name)] = child
    by_names = {(l1, l2): cat for (_layout, l1, l2), cat in categories.items()}
    loaded = 0
    for entry in doc.get("indicators") or ():
        standard = entry.get("standard") or {}
        target_services.library_indicator_create(
            code=entry["code"],
            name=entry["name"],
            aliases=entry.get("aliases") or (),
            level2_aliases=entry.get("level2_aliases") or (),
            category=by_names.get((entry.get("level1"), entry.get("level2"))),
            unit=text(entry.get("unit")),
            comparator=text(entry.get("comparator")),
            direction=entry["direction"],
            numerator=text(entry.get("numerator")),
            denominator=text(entry.get("denominator")),
            definition=text(entry.get("definition")),
            standard_text=text(standard.get("text")),
            standard_comparator=text(standard.get("comparator")),
            # a qualitative standard (定性, e.g. 7×24小时) is stated in its text only
            standard_value=(
                None
                if standard.get("comparator") == "定性"
                else dec(standard.get("value"))
            ),
            recommended_for_hotline="hotline" in (entry.get("recommended_for") or ()),
        )
        loaded += 1
    return loaded


def _target_form(doc: Doc, library: LibraryIndex, notes: str) -> int:
    """Create one seed target form; the number of its indicators."""
    funds = doc.get("funds") or {}
    project = Project.objects.get(code=doc["project"]) if doc.get("project") else None
    form = target_services.target_form_create(
        code=doc["code"],
        layout=doc["layout"],
        year=int(doc["year"]),
        project=project,
        organisation=seed_organisation(doc.get("organisation")),
        title=text(doc.get("title")),
        has_half_year=bool(doc.get("has_half_year")),
        funds_unit=funds.get("unit") or "万元",
        funds_total=dec(funds.get("total")),
        funds_fiscal=dec(funds.get("fiscal")),
        funds_other=dec(funds.get("other")),
        overall_goal=text(doc.get("overall_goal")),
        annual_goal=text(doc.get("annual_goal")),
        long_term_goal=text(doc.get("long_term_goal")),
        main_functions=text(doc.get("main_functions")),
        staffing=text(doc.get("staffing")),
        source_notes=notes,
    )
    return _indicators(form, None, doc.get("indicators") or (), library)


def _indicators(
    form: TargetForm,
    parent: TargetIndicator | None,
    nodes: Sequence[Doc],
    library: LibraryIndex,
) -> int:
    added = 0
    for node in nodes:
        try:
            level = LEVELS[node["level"]]
        except KeyError:
            raise SeedError(
                f"{form.code}: 未知指标层级 {node.get('level')!r}"
            ) from None
        name = text(node["name"])
        indicator = target_services.target_indicator_add(
            form=form,
            parent=parent,
            level=level,
            name=name,
            source_text=text(node.get("source_text")),
            value=_raw(node.get("value")),
            half_year_value=_raw(node.get("half_year_value")),
            library_indicator=(
                library.match(name, _level2_name(parent)) if level == "level3" else None
            ),
        )
        added += 1 + _indicators(form, indicator, node.get("children") or (), library)
    return added


def _level2_name(parent: TargetIndicator | None) -> str:
    """The 二级 a 三级 row sits under (through a 重点工作 on department forms)."""
    while parent is not None and parent.level != "level2":
        parent = parent.parent
    return parent.name if parent is not None else ""


def _raw(value: object) -> str:
    """A 指标值 exactly as written (no stripping: the text must round-trip)."""
    if value is None:
        return ""
    if isinstance(value, float):
        raise SeedError(f"指标值 {value!r} 须加引号")
    return str(value)
