"""Writes to target forms and the indicator library. Each write is validated
(``full_clean()``) before it is saved, so bad input raises ``ValidationError`` and changes
nothing."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from budgets.models import AmountUnit, Organisation, Project
from core.adjustments import adjustment_decide
from core.concurrency import allocate, bump, claim, model_field_label
from core.models import AdjustmentStatus
from kernel.indicator_values import parse_indicator_value
from targets.models import (
    IndicatorCategory,
    LibraryIndicator,
    ReviewComment,
    TargetAdjustment,
    TargetForm,
    TargetFormSnapshot,
    TargetFormStatus,
    TargetIndicator,
)
from targets.resubmission import target_form_return_take
from targets.snapshots import live_figures, snapshot_data
from targets.workbooks_io import GOAL, ImportedHeader, WorkbookError


class ImportedNodeLike(Protocol):
    """An indicator read from a workbook (``targets.workbooks_io.ImportedNode``)."""

    level: str
    name: str
    value: str
    half_year_value: str

    @property
    def children(self) -> Sequence[ImportedNodeLike]: ...


def target_form_create(
    *,
    code: str,
    layout: str,
    year: int,
    project: Project | None = None,
    organisation: Organisation | None = None,
    title: str = "",
    has_half_year: bool = False,
    funds_unit: str = AmountUnit.WAN_YUAN,
    funds_total: Decimal | None = None,
    funds_fiscal: Decimal | None = None,
    funds_other: Decimal | None = None,
    overall_goal: str = "",
    annual_goal: str = "",
    long_term_goal: str = "",
    main_functions: str = "",
    staffing: str = "",
    source_notes: str = "",
) -> TargetForm:
    """Create an empty target form; indicators are added with ``target_indicator_add``."""
    form = TargetForm(
        code=code,
        layout=layout,
        year=year,
        project=project,
        organisation=organisation,
        title=title,
        has_half_year=has_half_year,
        funds_unit=funds_unit,
        funds_total=funds_total,
        funds_fiscal=funds_fiscal,
        funds_other=funds_other,
        overall_goal=overall_goal,
        annual_goal=annual_goal,
        long_term_goal=long_term_goal,
        main_functions=main_functions,
        staffing=staffing,
        source_notes=source_notes,
    )
    form.full_clean()
    form.save()
    return form


_YEAR_SUFFIX = re.compile(r"-(?:19|20)[0-9]{2}$")


def next_form_code(subject_code: str, year: int) -> str:
    """A form's code reads ``<project>-<year>``: the project's (or organisation's) code
    without a year it may end in, then the form's year — ``tianjin-2020`` → ``tianjin-2021``
    (not ``tianjin-2020-2021``). A code taken already gets ``-2``, ``-3``, … (the first
    free one, read then inserted: callers retry through ``allocate``)."""
    base = slugify(f"{_YEAR_SUFFIX.sub('', subject_code) or subject_code}-{year}")
    base = base[:60] or f"form-{year}"
    code, number = base, 1
    while TargetForm.objects.filter(code=code).exists():
        number += 1
        code = f"{base}-{number}"
    return code


@transaction.atomic
def target_form_carry_forward(
    *,
    source: TargetForm,
    code: str,
    funds_total: Decimal | None = None,
    funds_fiscal: Decimal | None = None,
    overall_goal: str = "",
) -> TargetForm:
    """从上年复制: next year's draft form from ``source``, an approved form — its layout,
    title, half-year setting, goals and unit texts, and every indicator at its place with
    its library link and 指标值 (to be edited), each remembering the indicator it was
    copied from (``carried_from``), whose target and actual the grid shows beside it.
    Actuals, review comments and adjustments stay with last year's form. The new year's
    funds and overall goal are the caller's (typed on the page, last year's offered)."""
    if source.status != TargetFormStatus.APPROVED:
        raise ValidationError(
            _(
                "Only an approved form is carried forward: the %(year)s form is "
                "%(status)s."
            )
            % {"year": source.year, "status": source.get_status_display()}
        )
    form = target_form_create(
        code=code,
        layout=source.layout,
        year=source.year + 1,
        project=source.project,
        organisation=source.organisation,
        title=source.title,
        has_half_year=source.has_half_year,
        funds_unit=source.funds_unit,
        funds_total=funds_total,
        funds_fiscal=funds_fiscal,
        overall_goal=overall_goal,
        annual_goal=source.annual_goal,
        long_term_goal=source.long_term_goal,
        main_functions=source.main_functions,
        staffing=source.staffing,
    )
    indicators = list(source.indicators.order_by("position", "id"))
    children: dict[int | None, list[TargetIndicator]] = {}
    for indicator in indicators:
        children.setdefault(indicator.parent_id, []).append(indicator)

    def copy(parent_id: int | None, parent: TargetIndicator | None) -> None:
        # parents first, whatever the positions (a moved node keeps its children's)
        for indicator in children.get(parent_id, []):
            twin = TargetIndicator(
                form=form,
                parent=parent,
                level=indicator.level,
                position=indicator.position,
                name=indicator.name,
                source_text=indicator.source_text,
                library_indicator_id=indicator.library_indicator_id,
                carried_from=indicator,
            )
            twin.set_values(
                full_year=indicator.value_text, half_year=indicator.half_year_text
            )
            twin.full_clean()
            twin.save()
            copy(indicator.pk, twin)

    copy(None, None)
    return form


def target_indicator_add(
    *,
    form: TargetForm,
    level: str,
    name: str,
    parent: TargetIndicator | None = None,
    value: str = "",
    half_year_value: str = "",
    source_text: str = "",
    library_indicator: LibraryIndicator | None = None,
    position: int | None = None,
) -> TargetIndicator:
    """Add an indicator to ``form`` under ``parent``; the 指标值 texts are kept exactly and
    parsed into comparator, number and unit. Appended last unless ``position`` is given.

    "Last" is the form's highest position + 1, read then inserted: a simultaneous addition
    may take it first, which the unique position refuses, and the next one is taken."""
    _check_editable(form)

    def add(attempt: int) -> TargetIndicator:
        taken = position
        if taken is None:
            last = (
                form.indicators.order_by("-position")
                .values_list("position", flat=True)
                .first()
            )
            taken = (last or 0) + 1
        indicator = TargetIndicator(
            form=form,
            parent=parent,
            level=level,
            name=name,
            source_text=source_text,
            library_indicator=library_indicator,
            position=taken,
        )
        indicator.set_values(full_year=value, half_year=half_year_value)
        # a position taken meanwhile is the database's to refuse (and ours to retry)
        indicator.full_clean(exclude=None if position else ["position"])
        indicator.save()
        return indicator

    if position is not None:
        return add(0)
    return allocate(add, field="position")


@transaction.atomic
def indicator_category_create_tree(
    *, layout: str, level1: str, level2: Sequence[str], position: int
) -> IndicatorCategory:
    """Create an official 一级 category with its 二级 categories, in order."""
    root = IndicatorCategory(layout=layout, name=level1, position=position)
    root.full_clean()
    root.save()
    for child_position, name in enumerate(level2, start=1):
        child = IndicatorCategory(
            layout=layout, parent=root, name=name, position=child_position
        )
        child.full_clean()
        child.save()
    return root


def library_indicator_create(
    *,
    code: str,
    name: str,
    direction: str,
    aliases: Sequence[str] = (),
    level2_aliases: Sequence[str] = (),
    category: IndicatorCategory | None = None,
    unit: str = "",
    comparator: str = "",
    numerator: str = "",
    denominator: str = "",
    definition: str = "",
    standard_text: str = "",
    standard_comparator: str = "",
    standard_value: Decimal | None = None,
    recommended_for_hotline: bool = False,
) -> LibraryIndicator:
    indicator = LibraryIndicator(
        code=code,
        name=name,
        aliases=list(aliases),
        level2_aliases=list(level2_aliases),
        direction=direction,
        category=category,
        unit=unit,
        comparator=comparator,
        numerator=numerator,
        denominator=denominator,
        definition=definition,
        standard_text=standard_text,
        standard_comparator=standard_comparator,
        standard_value=standard_value,
        recommended_for_hotline=recommended_for_hotline,
    )
    indicator.full_clean()
    indicator.save()
    return indicator


# --------------------------------------------------------------------------- editing


def _check_editable(form: TargetForm) -> None:
    if not form.is_editable:
        raise ValidationError(
            _(
                "This form is %(status)s and cannot be edited; after approval, request "
                "a target adjustment."
            )
            % {"status": form.get_status_display()}
        )


@transaction.atomic
def target_indicator_update(
    *,
    indicator: TargetIndicator,
    name: str,
    value: str = "",
    half_year_value: str = "",
    library_indicator: LibraryIndicator | None = None,
    version: int | None = None,
) -> TargetIndicator:
    """Rename an indicator and set its 指标值 (kept as written, parsed alongside).

    ``version`` is the one the grid row was drawn from: when someone saved the row since,
    ``EditConflict`` refuses the save and names what they saved (nothing is written)."""
    _check_editable(indicator.form)
    claim(
        indicator,
        version=version,
        what=_("the indicator “%(name)s”") % {"name": indicator.name},
        typed=_grid_values(name, value, half_year_value, library_indicator),
        saved=lambda stored: _grid_values(
            stored.name,
            stored.value_text,
            stored.half_year_text,
            stored.library_indicator,
        ),
    )
    indicator.name = name
    indicator.library_indicator = library_indicator
    indicator.set_values(full_year=value, half_year=half_year_value)
    indicator.full_clean()
    indicator.save()
    return indicator


def _count(nodes: Sequence[ImportedNodeLike]) -> int:
    return sum(1 + _count(node.children) for node in nodes)


def _grid_values(
    name: str, value: str, half_year: str, library: LibraryIndicator | None
) -> dict[str, object]:
    """What a grid row edits, by the labels the conflict message shows."""
    return {
        model_field_label(TargetIndicator, "name"): name,
        model_field_label(TargetIndicator, "value_text"): value,
        model_field_label(TargetIndicator, "half_year_text"): half_year,
        model_field_label(TargetIndicator, "library_indicator"): library.name
        if library is not None
        else "",
    }


def target_indicator_remove(*, indicator: TargetIndicator) -> None:
    """Remove an indicator and everything below it."""
    _check_editable(indicator.form)
    indicator.delete()


@transaction.atomic
def target_indicator_move(*, indicator: TargetIndicator, offset: int) -> None:
    """Swap an indicator with its previous (``offset`` −1) or next (+1) sibling."""
    _check_editable(indicator.form)
    siblings = list(
        TargetIndicator.objects.filter(
            form_id=indicator.form_id, parent_id=indicator.parent_id
        ).order_by("position", "id")
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == indicator.pk)
    other_index = index + offset
    if not 0 <= other_index < len(siblings):
        return
    other = siblings[other_index]
    mine, theirs = indicator.position, other.position
    # positions are unique per form: one of the two steps aside (to 0, which no
    # indicator keeps) while the other takes its place
    indicator.position = 0
    indicator.save(update_fields=["position"])
    other.position = mine
    other.save(update_fields=["position"])
    indicator.position = theirs
    indicator.save(update_fields=["position"])


def target_indicator_record_actual(
    *, indicator: TargetIndicator, half_year_actual: str, actual: str
) -> TargetIndicator:
    """运行监控 / year end: what was achieved, as written, with its parsed number. Allowed
    at any status: actuals are facts, not targets."""
    if indicator.level != "level3":
        raise ValidationError(_("Only level-3 indicators carry values."))
    half, full = parse_indicator_value(half_year_actual), parse_indicator_value(actual)
    indicator.half_year_actual_text = half_year_actual.strip()
    indicator.half_year_actual_number = half.number
    indicator.actual_text = actual.strip()
    indicator.actual_number = full.number
    indicator.full_clean()
    indicator.save()
    return indicator


# --------------------------------------------------------------------------- review


def _set_status(
    form: TargetForm, allowed: Sequence[str], status: str, *fields: str
) -> None:
    if form.status not in allowed:
        raise ValidationError(
            _("This action is not possible while the form is %(status)s.")
            % {"status": form.get_status_display()}
        )
    form.status = status
    form.full_clean()
    form.save(update_fields=["status", *fields])


@transaction.atomic
def target_form_submit(*, form: TargetForm, user: User) -> TargetForm:
    """目标申报: a draft or returned form goes to the finance bureau for review."""
    if not form.indicators.filter(level="level3").exists():
        raise ValidationError(
            _("Add at least one level-3 indicator before submitting.")
        )
    form.submissions = F("submissions") + 1
    form.submitted_at = timezone.now()
    form.submitted_by = user
    form.save(update_fields=["submissions", "submitted_at", "submitted_by"])
    form.refresh_from_db(fields=["submissions"])
    _set_status(
        form,
        (TargetFormStatus.DRAFT, TargetFormStatus.RETURNED),
        TargetFormStatus.SUBMITTED,
    )
    return form


@dataclass(frozen=True)
class CommentData:
    text: str
    indicator: TargetIndicator | None = None


def review_comment_add(
    *,
    form: TargetForm,
    user: User,
    text: str,
    indicator: TargetIndicator | None = None,
) -> ReviewComment:
    if indicator is not None and indicator.form_id != form.pk:
        raise ValidationError(_("The indicator belongs to another form."))
    comment = ReviewComment(
        form=form,
        indicator=indicator,
        indicator_name=indicator.name if indicator is not None else "",
        round=form.submissions,
        text=text.strip(),
        author=user,
    )
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def target_form_return(
    *, form: TargetForm, user: User, comments: Sequence[CommentData]
) -> TargetForm:
    """目标审核: send a submitted form back with at least one comment (on an indicator or
    on the whole form); the unit fixes it and submits it again."""
    comments = [c for c in comments if c.text.strip()]
    if not comments:
        raise ValidationError(_("Write at least one comment saying what to change."))
    for comment in comments:
        review_comment_add(
            form=form, user=user, text=comment.text, indicator=comment.indicator
        )
    form.decided_at = timezone.now()
    form.decided_by = user
    _set_status(
        form,
        (TargetFormStatus.SUBMITTED,),
        TargetFormStatus.RETURNED,
        "decided_at",
        "decided_by",
    )
    # kept so that the resubmission shows what changed since (targets.resubmission)
    target_form_return_take(form=form)
    return form


@transaction.atomic
def target_form_approve(*, form: TargetForm, user: User) -> TargetForm:
    """目标审核: approve a submitted form; its values are locked from now on."""
    form.decided_at = timezone.now()
    form.decided_by = user
    _set_status(
        form,
        (TargetFormStatus.SUBMITTED,),
        TargetFormStatus.APPROVED,
        "decided_at",
        "decided_by",
    )
    target_form_snapshot_take(form=form)
    return form


def target_form_snapshot_take(*, form: TargetForm) -> TargetFormSnapshot:
    """Keep the budget figures ``form`` prints as they are now (``targets.snapshots``),
    replacing an earlier snapshot: on approval and on each approved target adjustment,
    in their transaction."""
    snapshot, _created = TargetFormSnapshot.objects.update_or_create(
        form=form,
        defaults={
            "taken_at": timezone.now(),
            "data": snapshot_data(live_figures(form)),
        },
    )
    return snapshot


def target_form_snapshots_take_missing() -> list[str]:
    """Snapshot every approved target form that has none (approved before snapshots
    existed, or loaded as approved by the seeds), from the budget as it is now; returns
    their codes."""
    codes = []
    missing = TargetForm.objects.filter(
        status=TargetFormStatus.APPROVED, snapshot__isnull=True
    ).select_related("project", "organisation")
    for form in missing.order_by("code"):
        target_form_snapshot_take(form=form)
        codes.append(form.code)
    return codes


def target_adjustment_request(
    *,
    indicator: TargetIndicator,
    user: User,
    value: str,
    reason: str,
    half_year_value: str = "",
) -> TargetAdjustment:
    """目标调整: ask to change an approved indicator's values, with a reason."""
    form = indicator.form
    if form.status != TargetFormStatus.APPROVED:
        raise ValidationError(
            _("Only an approved form is adjusted; edit the form directly instead.")
        )
    if indicator.level != "level3":
        raise ValidationError(_("Only level-3 indicators carry values."))
    if form.adjustments.filter(
        indicator=indicator, status=AdjustmentStatus.PENDING
    ).exists():
        raise ValidationError(
            _("An adjustment of this indicator is already awaiting review.")
        )
    if half_year_value and not form.has_half_year:
        raise ValidationError(_("This form has no half-year values."))
    adjustment = TargetAdjustment(
        form=form,
        indicator=indicator,
        old_value_text=indicator.value_text,
        old_half_year_text=indicator.half_year_text,
        value_text=value.strip(),
        half_year_text=half_year_value.strip(),
        reason=reason.strip(),
        requested_by=user,
    )
    adjustment.full_clean()
    adjustment.save()
    return adjustment


@transaction.atomic
def target_adjustment_decide(
    *,
    adjustment: TargetAdjustment,
    user: User,
    approve: bool,
    comment: str = "",
) -> TargetAdjustment:
    """Approve (the new values replace the old, recorded in the history) or reject.

    Two reviewers deciding at once take turns: the second finds it decided."""
    adjustment_decide(adjustment, user=user, approve=approve)
    adjustment.decision_comment = comment.strip()
    adjustment.full_clean()
    adjustment.save()
    if approve:
        indicator = adjustment.indicator
        indicator.set_values(
            full_year=adjustment.value_text, half_year=adjustment.half_year_text
        )
        bump(indicator)
        indicator.full_clean()
        indicator.save()
        target_form_snapshot_take(form=adjustment.form)
    return adjustment


@transaction.atomic
def target_form_merge_indicators(
    *, form: TargetForm, roots: Sequence[ImportedNodeLike]
) -> int:
    """Make a draft or returned form's indicators those of an imported tree (all or
    nothing, within the caller's transaction). An indicator found at the same place — the
    same level and name under the same parent — is kept and only its 指标值 and position
    are updated, so a reviewer's comments on it, its recorded actuals, its library link and
    its source text survive a corrected workbook; new rows are added (三级 matched to the
    indicator library by name within their 二级) and rows the workbook no longer has are
    removed. Returns the number of nodes in the tree."""
    from targets.selectors import library_index

    _check_editable(form)
    library = library_index()
    existing = list(form.indicators.order_by("position", "id"))
    # positions are unique per form and renumbered one row at a time: the existing rows
    # step past every new position first (a queryset update: no history), and those whose
    # position does not change step back at the end
    aside = max([i.position for i in existing] + [_count(roots)]) + 1
    form.indicators.update(position=F("position") + aside)
    unused: dict[tuple[int | None, str, str], list[TargetIndicator]] = {}
    for indicator in existing:
        key = (indicator.parent_id, indicator.level, indicator.name)
        unused.setdefault(key, []).append(indicator)
    kept: set[int] = set()
    position = 0

    def place(
        node: ImportedNodeLike, parent: TargetIndicator | None, level2: str
    ) -> None:
        nonlocal position
        position += 1
        parent_id = parent.pk if parent is not None else None
        same_place = unused.get((parent_id, node.level, node.name))
        if same_place:
            indicator = same_place.pop(0)
            before = (
                indicator.value_text,
                indicator.half_year_text,
                indicator.position,
            )
            indicator.set_values(full_year=node.value, half_year=node.half_year_value)
            indicator.position = position
            if (indicator.value_text, indicator.half_year_text, indicator.position) != (
                before
            ):
                if (
                    indicator.value_text != before[0]
                    or indicator.half_year_text != (before[1])
                ):
                    bump(indicator)  # a grid row drawn before the import is stale
                indicator.full_clean()
                indicator.save()
            kept.add(indicator.pk)
        else:
            indicator = target_indicator_add(
                form=form,
                level=node.level,
                name=node.name,
                parent=parent,
                value=node.value,
                half_year_value=node.half_year_value,
                library_indicator=library.match(node.name, level2)
                if node.level == "level3"
                else None,
                position=position,
            )
        for child in node.children:
            place(child, indicator, node.name if node.level == "level2" else level2)

    for root in roots:
        place(root, None, "")
    gone = [i.pk for i in existing if i.pk not in kept]
    # deleting a removed parent removes its subtree; its kept descendants cannot exist,
    # since a node is kept only under a kept parent
    TargetIndicator.objects.filter(pk__in=gone).delete()
    form.indicators.filter(position__gt=aside).update(position=F("position") - aside)
    return position


@dataclass(frozen=True)
class HeaderChange:
    """A field of the form an import changed, under the label the workbook prints it."""

    field: str
    label: str
    before: Decimal | str | None
    after: Decimal | str | None


@dataclass(frozen=True)
class FormImport:
    indicators: int  # the 三级 indicators now on the form (the rows of its table)
    changes: tuple[HeaderChange, ...]
    header_read: bool  # False: the workbook had no header block, only indicators


@transaction.atomic
def target_form_import(
    *,
    form: TargetForm,
    header: ImportedHeader,
    roots: Sequence[ImportedNodeLike],
) -> FormImport:
    """Import a workbook (``targets.workbooks_io.read_target_form``) into a draft or
    returned form, all or nothing: the header's fields of the form, then the indicator
    tree, merged into the form's (``target_form_merge_indicators``). A workbook of another layout, year, project or
    organisation is refused before anything is written. Only the header fields that
    differ are saved, so an unchanged header leaves no history record."""
    _check_editable(form)
    if form.project is not None:
        subject = form.project.name
    else:
        subject = form.organisation.name if form.organisation is not None else ""
    try:
        header.check_identity(layout=form.layout, year=form.year, subject=subject)
    except WorkbookError as exc:
        raise ValidationError(str(exc)) from exc
    changes = _header_changes(form, header)
    if changes:
        for change in changes:
            setattr(form, change.field, change.after)
        form.full_clean()
        form.save(update_fields=[change.field for change in changes])
    target_form_merge_indicators(form=form, roots=roots)
    return FormImport(
        indicators=form.indicators.filter(level="level3").count(),
        changes=tuple(changes),
        header_read=bool(header.layout),
    )


def _header_changes(form: TargetForm, header: ImportedHeader) -> list[HeaderChange]:
    changes = []
    if header.funds_unit is not None and header.funds_unit.value != form.funds_unit:
        changes.append(
            HeaderChange(
                "funds_unit",
                header.funds_unit.label,
                form.funds_unit,
                header.funds_unit.value,
            )
        )
    for name, read in header.fields.items():
        if (
            name == GOAL
        ):  # printed from the annual goal only when there is no overall one
            name = (
                "annual_goal"
                if form.annual_goal and not form.overall_goal
                else "overall_goal"
            )
        before = getattr(form, name)
        if isinstance(before, str):
            unchanged = _same_text(before, str(read.value or ""))
        else:
            unchanged = before == read.value
        if not unchanged:
            changes.append(HeaderChange(name, read.label, before, read.value))
    return changes


def _same_text(stored: str, read: str) -> bool:
    """Texts differing only in line ends or surrounding blanks (what Excel changes)."""

    def plain(text: str) -> str:
        return text.replace("\r\n", "\n").replace("\r", "\n").strip()

    return plain(stored) == plain(read)
