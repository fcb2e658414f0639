"""What the form page shows a reviewer below the grid and the flags (the page itself is
``entry.form_detail``): the approval with its confirmation, and for a resubmitted form
the changes since it was returned (``targets.resubmission``)."""

from __future__ import annotations

from django.http import HttpRequest

from targets.forms import ApproveForm
from targets.models import TargetForm, TargetFormStatus
from targets.resubmission import changes_since_return
from targets.scoping import can_review_target_form


def review_context(request: HttpRequest, form: TargetForm) -> dict[str, object]:
    """The reviewer's part of the form page (a fixed number of queries)."""
    if not can_review_target_form(request.user, form):
        return {}
    return {
        "approve_form": ApproveForm(
            initial={"round": form.submissions}, target_form=form
        ),
        "changes": changes_since_return(form)
        if form.status == TargetFormStatus.SUBMITTED and form.submissions > 1
        else None,
    }
