"""Who is mailed when a target form or a 目标调整 moves (``core.notifications``, off unless
configured): the finance bureau that reviews it when it is submitted or an adjustment is
requested; the unit (or the department, for its own form) when it is returned or
approved; the requester when an adjustment is decided. Each recipient is someone who sees
the form (``targets.scoping``): a finance bureau sees the organisations of its city, or of
its region when it has no city (``accounts.scoping.organisations_for``)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import Membership
from budgets.models import Organisation
from core.access import Role
from core.notifications import notify
from targets.models import TargetAdjustment, TargetForm


def _subject_organisation(form: TargetForm) -> Organisation | None:
    return form.project.unit if form.project is not None else form.organisation


def reviewers_of(form: TargetForm) -> QuerySet[User]:
    """The finance bureau staff who see ``form``."""
    organisation = _subject_organisation(form)
    if organisation is None:
        return User.objects.none()
    sees = Q(organisation__city="", organisation__region=organisation.region)
    if organisation.city:
        sees |= Q(organisation__city=organisation.city)
    memberships = Membership.objects.filter(sees, role=Role.FINANCE)
    return User.objects.filter(membership__in=memberships)


def preparers_of(form: TargetForm) -> QuerySet[User]:
    """The staff of the unit (or department) who prepare ``form``."""
    organisation = _subject_organisation(form)
    if organisation is None:
        return User.objects.none()
    role = Role.UNIT if form.project is not None else Role.DEPARTMENT
    return User.objects.filter(
        membership__organisation=organisation, membership__role=role
    )


def form_submitted(form: TargetForm, link: str) -> list[str]:
    return notify(
        recipients=reviewers_of(form),
        subject=_("Target form to review: %(form)s") % {"form": form},
        lines=[
            _("%(form)s has been submitted for review (submission %(round)s).")
            % {"form": form, "round": form.submissions},
            link,
        ],
    )


def form_returned(form: TargetForm, link: str) -> list[str]:
    return notify(
        recipients=preparers_of(form),
        subject=_("Target form returned: %(form)s") % {"form": form},
        lines=[
            _("%(form)s has been returned with comments: fix it and resubmit.")
            % {"form": form},
            link,
        ],
    )


def form_approved(form: TargetForm, link: str) -> list[str]:
    return notify(
        recipients=preparers_of(form),
        subject=_("Target form approved: %(form)s") % {"form": form},
        lines=[_("%(form)s has been approved.") % {"form": form}, link],
    )


def adjustment_requested(adjustment: TargetAdjustment, link: str) -> list[str]:
    form = adjustment.form
    return notify(
        recipients=reviewers_of(form),
        subject=_("Target adjustment to decide: %(form)s") % {"form": form},
        lines=[
            f"{adjustment.indicator.name}{pgettext('punctuation', ': ')}"
            f"{adjustment.old_value_text} → {adjustment.value_text}",
            adjustment.reason,
            link,
        ],
    )


def adjustment_decided(adjustment: TargetAdjustment, link: str) -> list[str]:
    return notify(
        recipients=[adjustment.requested_by],
        subject=_("Target adjustment %(status)s: %(form)s")
        % {"status": adjustment.get_status_display(), "form": adjustment.form},
        lines=[
            f"{adjustment.indicator.name}{pgettext('punctuation', ': ')}"
            f"{adjustment.old_value_text} → {adjustment.value_text}",
            adjustment.decision_comment,
            link,
        ],
    )
