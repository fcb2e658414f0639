"""The home page: what is waiting for the user (待办, gathered from every app through
``core.inbox``), and for their role the target forms to review, returned or in draft, and
the evaluations they may see. It lives with the evaluations, the highest of
the apps whose work it counts (targets lie below)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.scoping import role_of
from core.access import Role
from core.inbox import inbox
from evaluations.scoping import evaluations_for
from targets.models import TargetFormStatus
from targets.scoping import target_forms_for


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    counts = target_forms_for(request.user).aggregate(
        awaiting_review=Count("pk", filter=Q(status=TargetFormStatus.SUBMITTED)),
        returned=Count("pk", filter=Q(status=TargetFormStatus.RETURNED)),
        drafts=Count("pk", filter=Q(status=TargetFormStatus.DRAFT)),
    )
    todo = inbox(request.user)
    request.inbox_lists = todo  # type: ignore[attr-defined]  # the navigation's count
    context = {
        "role": role,
        "roles": Role,
        **counts,
        "evaluations": evaluations_for(request.user).count(),
        "todo": todo,
        "organisation": getattr(
            getattr(request.user, "membership", None), "organisation", None
        ),
    }
    return render(request, "dashboards/home.html", context)
