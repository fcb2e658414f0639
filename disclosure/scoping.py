"""Who may publish a document's 公开版, and whose publications a user sees.

Publishing is a reviewer's act: the finance bureau or the supervising department that sees
the document (its kind's ``visible``, checked first by the views: a 404 otherwise), or an
administrator. The implementing unit, evaluators and experts read documents but do not
publish them (403). The public index needs no scope: it lists only what was published.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from accounts.scoping import is_administrator, role_of, visible_organisation_ids
from core.access import Role
from disclosure.models import Publication

PUBLISHING_ROLES = (Role.FINANCE, Role.DEPARTMENT)


def can_publish(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether ``user`` may publish a document they see (call after ``visible``)."""
    return is_administrator(user) or role_of(user) in PUBLISHING_ROLES


def publications_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Publication]:
    """The publication records ``user`` may read, redaction lists included: those of the
    organisations they see, for the roles that read documents by organisation."""
    if is_administrator(user):
        return Publication.objects.all()
    if role_of(user) not in (Role.FINANCE, Role.DEPARTMENT, Role.UNIT):
        return Publication.objects.none()
    return Publication.objects.filter(organisation__in=visible_organisation_ids(user))
