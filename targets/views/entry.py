"""Target entry: the list of forms, a new form, and the form page in its official grid where
indicators are added, edited, removed and reordered at every level, chosen from the
indicator library or typed, with the 指标值 parsed inline. Each change re-renders the grid
and the reasonableness flags on the server and returns them as a fragment."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.concurrency import EditConflict, allocate
from core.lists import list_page, name_contains
from core.people import person_name
from targets.forms import (
    CarryForwardForm,
    IndicatorAddForm,
    IndicatorEditForm,
    IndicatorFields,
    MoveForm,
    TargetFormCreateForm,
)
from targets.library_links import library_link_after_rename, library_match
from targets.models import (
    ALLOWED_PARENTS,
    FormLayout,
    IndicatorLevel,
    LibraryIndicator,
    ReviewComment,
    TargetForm,
    TargetFormStatus,
    TargetIndicator,
)
from targets.monitoring_data import monitored_indicators
from targets.reasonableness import flags_by_indicator, review
from targets.review_data import form_indicators, review_input
from targets.scoping import (
    can_prepare_target_form,
    can_review_target_form,
    projects_to_prepare,
    target_forms_for,
)
from targets.selectors import library_search as library_search_results
from targets.services import (
    next_form_code,
    target_form_carry_forward,
    target_form_create,
    target_indicator_add,
    target_indicator_move,
    target_indicator_remove,
    target_indicator_update,
)
from targets.snapshots import target_form_snapshot_notes
from targets.views.access import (
    get_form_for_user,
    get_form_to_prepare,
    get_indicator,
    is_fragment,
)
from targets.views.grid import (
    PreviousYear,
    child_level,
    columns,
    describe,
    grid_rows,
)
from targets.views.review_panel import review_context

PAGE_SIZE = 25
SORTS = {  # the first is the default
    "-year": ("-year", "code"),
    "year": ("year", "code"),
    "project": ("project__name", "-year"),
    "status": ("status", "-year"),
}


@login_required
@require_GET
def form_list(request: HttpRequest) -> HttpResponse:
    context = form_list_context(request)
    context["can_create"] = projects_to_prepare(request.user).exists()
    return render(request, "targets/form_list.html", context)


def form_list_context(request: HttpRequest) -> dict[str, object]:
    """The user's target forms filtered (year, status, project or unit name), sorted and
    one page of them, with what the filter form and the pager show: the lists of forms
    (this one, and 运行监控's) share it."""
    forms = target_forms_for(request.user).select_related(
        "project", "project__unit", "organisation"
    )
    return {
        **list_page(
            request,
            forms,
            sorts=SORTS,
            per_page=PAGE_SIZE,
            search=lambda query: (
                name_contains("project__name", query)
                | name_contains("organisation__name", query)
            ),
            choices={"status": TargetFormStatus.values},
        ),
        "statuses": TargetFormStatus.choices,
    }


@login_required
def form_create(request: HttpRequest) -> HttpResponse:
    projects = projects_to_prepare(request.user)
    if not projects.exists():
        raise PermissionDenied
    form = TargetFormCreateForm(request.POST or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # the code is the first free one, read then inserted: a form created at
            # the same moment may take it (refused by its uniqueness), then retried;
            # the same project-year twice is refused with its own message
            created = allocate(
                lambda attempt: target_form_create(
                    code=next_form_code(data["project"].code, data["year"]),
                    layout=data["layout"],
                    year=data["year"],
                    project=data["project"],
                    title="项目支出绩效目标表"
                    if data["layout"] == FormLayout.PROJECT
                    else "财政支出项目绩效目标申报表",
                    has_half_year=data["has_half_year"],
                    funds_total=data["funds_total"],
                    funds_fiscal=data["funds_fiscal"],
                    overall_goal=data["overall_goal"],
                ),
                field="code",
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The target form has been created."))
            return redirect("targets:detail", code=created.code)
    return render(
        request,
        "targets/form_create.html",
        {"form": form, "carry_forward": carry_forward_sources(request.user)},
        status=400 if form.errors else 200,
    )


def carry_forward_sources(user: AbstractBaseUser | AnonymousUser) -> list[TargetForm]:
    """The approved project forms of the user's projects whose next year has no form yet:
    what "从上年复制" offers (one query)."""
    return list(
        TargetForm.objects.filter(
            project__in=projects_to_prepare(user), status=TargetFormStatus.APPROVED
        )
        .exclude(
            Exists(
                TargetForm.objects.filter(
                    project=OuterRef("project"), year=OuterRef("year") + 1
                )
            )
        )
        .select_related("project")
        .order_by("project__name", "-year")
    )


@login_required
def form_carry_forward(request: HttpRequest, code: str) -> HttpResponse:
    """从上年复制: next year's form from this approved one (``target_form_carry_forward``)."""
    source = get_form_to_prepare(request, code)
    carry = CarryForwardForm(
        request.POST if request.method == "POST" else None,
        source=source,
        initial={
            "funds_total": source.funds_total,
            "funds_fiscal": source.funds_fiscal,
            "overall_goal": source.overall_goal,
        },
    )
    if request.method == "POST" and carry.is_valid():
        data = carry.cleaned_data
        subject = source.project or source.organisation
        try:
            created = allocate(
                lambda attempt: target_form_carry_forward(
                    source=source,
                    code=next_form_code(
                        subject.code if subject is not None else "", source.year + 1
                    ),
                    funds_total=data["funds_total"],
                    funds_fiscal=data["funds_fiscal"],
                    overall_goal=data["overall_goal"],
                ),
                field="code",
            )
        except ValidationError as exc:
            carry.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "The %(year)s form was copied from the approved %(previous)s form: "
                    "check each target value; last year's target and actual are shown "
                    "beside it."
                )
                % {"year": created.year, "previous": source.year},
            )
            return redirect("targets:detail", code=created.code)
    return render(
        request,
        "targets/carry_forward.html",
        {"source": source, "form": carry, "year": source.year + 1},
        status=400 if carry.errors else 200,
    )


def editor_context(
    request: HttpRequest,
    form: TargetForm,
    add_form: IndicatorAddForm | None = None,
    errors: dict[int, IndicatorFields] | None = None,
) -> dict[str, object]:
    """What the grid, the flags and the review panel show (a fixed number of queries)."""
    indicators = form_indicators(form)
    flags = review(review_input(form, indicators))
    comments: dict[int, list[object]] = {}
    general: list[ReviewComment] = []
    for comment in (
        ReviewComment.objects.filter(form=form)
        .select_related("author")
        .order_by("-round", "created_at")
    ):
        if comment.indicator_id is None:
            general.append(comment)
        else:
            comments.setdefault(comment.indicator_id, []).append(comment)
    preparer = can_prepare_target_form(request.user, form)
    editable = preparer and form.is_editable
    by_id = {i.pk: i for i in indicators}
    add_form = add_form or IndicatorAddForm(target_form=form)
    chosen_parent = str(add_form["parent"].value() or "")
    parent_choices = []
    for indicator in indicators:
        level = child_level(form, indicator.level)
        if not level:
            continue
        path, node = [indicator.name], indicator
        while node.parent_id is not None and node.parent_id in by_id:
            node = by_id[node.parent_id]
            path.insert(0, node.name)
        parent_choices.append(
            {
                "pk": indicator.pk,
                "label": " / ".join(path),
                "child_level": level,
                "selected": str(indicator.pk) == chosen_parent,
            }
        )
    layout_levels = ALLOWED_PARENTS[form.layout]
    rows = grid_rows(form, indicators, flags_by_indicator(flags), comments)
    previous = previous_year(indicators)
    for row in rows:
        fields = (errors or {}).get(row.leaf.pk) if row.leaf else None
        if isinstance(fields, IndicatorEditForm):
            row.entered = fields.typed()
        if row.leaf is not None and row.leaf.carried_from_id is not None:
            row.previous = previous.get(row.leaf.carried_from_id)
    return {
        "form": form,
        "rows": rows,
        "columns": columns(form, indicators),
        "leaves": [i for i in indicators if i.level == IndicatorLevel.LEVEL3],
        "parent_choices": parent_choices,
        "level_choices": [
            (value, label)
            for value, label in IndicatorLevel.choices
            if value in layout_levels
        ],
        "add_level": str(add_form["level"].value() or IndicatorLevel.LEVEL1),
        "flags": flags,
        "general_comments": general,
        "editable": editable,
        "preparer": preparer,
        "reviewer": can_review_target_form(request.user, form),
        "add_form": add_form,
        "errors": errors or {},
        "library": _library_options(add_form) if editable else [],
        "levels": IndicatorLevel,
        "previous_year": next(iter(previous.values())).year if previous else None,
    }


def previous_year(indicators: Sequence[TargetIndicator]) -> dict[int, PreviousYear]:
    """Last year's target and actual of each indicator carried forward (从上年复制), by
    the id of the indicator it was copied from: what the grid shows beside the value for
    reference. Nothing is read for a form with no carried indicator."""
    carried = {
        i.carried_from_id
        for i in indicators
        if i.level == IndicatorLevel.LEVEL3 and i.carried_from_id is not None
    }
    if not carried:
        return {}
    sources = list(
        TargetIndicator.objects.filter(pk__in=carried).select_related(
            "library_indicator", "form", "form__project", "form__organisation"
        )
    )
    found: dict[int, PreviousYear] = {}
    for form_id in {source.form_id for source in sources}:
        of_form = [source for source in sources if source.form_id == form_id]
        for monitored in monitored_indicators(of_form[0].form, of_form):
            found[monitored.indicator.pk] = PreviousYear(
                year=monitored.indicator.form.year,
                target=monitored.indicator.value_text,
                actual=monitored.full.text,
                source=monitored.full.source,
            )
    return found


def _library_options(add_form: IndicatorAddForm) -> list[tuple[int, str, bool]]:
    """The add form's library choices as (pk, name, selected), in the library's order."""
    chosen = str(add_form["library_indicator"].value() or "")
    return [
        (pk, name, str(pk) == chosen)
        for pk, name in LibraryIndicator.objects.order_by(
            "category__parent__position", "category__position", "code"
        ).values_list("pk", "name")
    ]


def _editor_response(
    request: HttpRequest,
    form: TargetForm,
    *,
    status: int = 200,
    add_form: IndicatorAddForm | None = None,
    errors: dict[int, IndicatorFields] | None = None,
) -> HttpResponse:
    context = editor_context(request, form, add_form, errors)
    if is_fragment(request):
        return render(request, "targets/_editor.html", context, status=status)
    if status != 200:
        return render(request, "targets/form_detail.html", context, status=status)
    return redirect("targets:detail", code=form.code)


@login_required
@require_GET
def form_detail(request: HttpRequest, code: str) -> HttpResponse:
    form = get_form_for_user(request, code)
    return render(
        request,
        "targets/form_detail.html",
        {
            **editor_context(request, form),
            **review_context(request, form),
            "notes": target_form_snapshot_notes(form),
        },
    )


def _check_editable(request: HttpRequest, form: TargetForm) -> None:
    """A form submitted or approved since the page was drawn (another tab, another
    person) refuses the change with who did it and when: the grid keeps what was typed
    and shows this reason (``targets.js``)."""
    if form.is_editable:
        return
    if form.status == TargetFormStatus.SUBMITTED and form.submitted_at is not None:
        raise PermissionDenied(
            _(
                "This form was submitted for review by %(person)s at %(time)s and can "
                "no longer be edited."
            )
            % {
                "person": person_name(form.submitted_by),
                "time": localtime(form.submitted_at).strftime("%Y-%m-%d %H:%M"),
            }
        )
    raise PermissionDenied(
        _("This form is %(status)s and can no longer be edited.")
        % {"status": form.get_status_display()}
    )


@login_required
@require_POST
def indicator_add(request: HttpRequest, code: str) -> HttpResponse:
    form = get_form_to_prepare(request, code)
    _check_editable(request, form)
    add_form = IndicatorAddForm(request.POST, target_form=form)
    if not add_form.is_valid():
        return _editor_response(request, form, status=400, add_form=add_form)
    data = add_form.cleaned_data
    try:
        target_indicator_add(
            form=form,
            level=data["level"],
            name=data["name"],
            parent=data["parent"],
            value=data["value"],
            half_year_value=data["half_year_value"],
            library_indicator=library_match(
                data["library_indicator"], data["level"], data["name"], data["parent"]
            ),
        )
    except ValidationError as exc:
        add_form.add_error(None, exc)
        return _editor_response(request, form, status=400, add_form=add_form)
    return _editor_response(request, form)


@login_required
@require_POST
def indicator_update(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    form = get_form_to_prepare(request, code)
    _check_editable(request, form)
    indicator = get_indicator(form, pk)
    fields = IndicatorEditForm(request.POST, target_form=form, level=indicator.level)
    if not fields.is_valid():
        return _editor_response(
            request, form, status=400, errors={indicator.pk: fields}
        )
    data = fields.cleaned_data
    # a rename away from the library entry drops or changes the link, and says so
    relink = library_link_after_rename(
        indicator=indicator,
        name=data["name"],
        chosen=data["library_indicator"],
        level2=indicator.parent.name if indicator.parent is not None else "",
    )
    try:
        target_indicator_update(
            indicator=indicator,
            name=data["name"],
            value=data["value"],
            half_year_value=data["half_year_value"],
            library_indicator=library_match(
                relink.library_indicator,
                indicator.level,
                data["name"],
                indicator.parent,
            ),
            version=data["version"],
        )
    except EditConflict as conflict:
        # the row is drawn again with what was typed, the other person's save named
        fields.add_error(None, conflict)
        return _editor_response(
            request, form, status=409, errors={indicator.pk: fields}
        )
    except ValidationError as exc:
        fields.add_error(None, exc)
        return _editor_response(
            request, form, status=400, errors={indicator.pk: fields}
        )
    if relink.notice:
        messages.warning(request, relink.notice)
    return _editor_response(request, form)


@login_required
@require_POST
def indicator_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    form = get_form_to_prepare(request, code)
    _check_editable(request, form)
    target_indicator_remove(indicator=get_indicator(form, pk))
    return _editor_response(request, form)


@login_required
@require_POST
def indicator_move(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    form = get_form_to_prepare(request, code)
    _check_editable(request, form)
    move = MoveForm(request.POST)
    if not move.is_valid():
        return HttpResponseBadRequest(
            _("Choose whether to move the indicator up or down.")
        )
    target_indicator_move(indicator=get_indicator(form, pk), offset=move.offset)
    return _editor_response(request, form)


@login_required
@require_GET
def library_search(request: HttpRequest) -> HttpResponse:
    """Library indicators whose name or alias contains ``q`` (at most 20), exact and
    prefix matches first (``targets.selectors.library_search``), as a fragment."""
    query = request.GET.get("q", "").strip()
    results = library_search_results(query)
    return render(
        request, "targets/_library_results.html", {"results": results, "query": query}
    )


@login_required
@require_GET
def value_parse(request: HttpRequest) -> HttpResponse:
    """How a 指标值 is read (comparator, number, unit), as a fragment beside the input."""
    text = request.GET.get("text", "")[:500]
    return render(
        request, "targets/_parse.html", {"text": text, "reading": describe(text)}
    )
