"""What a user may see and do with rectification items: accounts' answer applied to them
(the role × action table: ``docs/rights.md``).

- reading: the finance bureau, department and unit who see the item's project, and the
  responsible organisation's own staff; evaluators and experts reach no item;
- creating an item from a finding or a red light: the finance bureau that sees it;
- reporting progress, status and evidence: the responsible organisation's staff, until
  the item is verified;
- verifying (销号) or sending back: the finance bureau that sees the item.

Administrators may do everything.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from accounts.scoping import (
    is_administrator,
    membership_of,
    organisations_for,
    role_of,
)
from budgets.scoping import projects_for
from core.access import Role
from rectifications.models import FINISHED_STATUSES, RectificationItem

User = AbstractBaseUser | AnonymousUser

READING_ROLES = (Role.FINANCE, Role.DEPARTMENT, Role.UNIT)


def reads_items(user: User) -> bool:
    """Whether ``user``'s role follows rectification at all."""
    return is_administrator(user) or role_of(user) in READING_ROLES


def items_for(user: User) -> QuerySet[RectificationItem]:
    """The rectification items ``user`` may read."""
    if is_administrator(user):
        return RectificationItem.objects.all()
    if not reads_items(user):
        return RectificationItem.objects.none()
    return RectificationItem.objects.filter(
        Q(project__in=projects_for(user))
        | Q(responsible__in=organisations_for(user).order_by().values("pk"))
    )


def can_create_items(user: User) -> bool:
    """The finance bureau assigns rectification (on what it already sees)."""
    return is_administrator(user) or role_of(user) == Role.FINANCE


def can_report(user: User, item: RectificationItem) -> bool:
    """The responsible organisation's staff report measures, status and evidence until
    the item is verified."""
    if item.is_verified:
        return False
    if is_administrator(user):
        return True
    membership = membership_of(user)
    return (
        membership is not None
        and membership.role in (Role.UNIT, Role.DEPARTMENT)
        and membership.organisation_id == item.responsible_id
    )


def can_verify(user: User, item: RectificationItem) -> bool:
    """The finance bureau verifies (销号) a finished item, or sends it back."""
    if item.is_verified or item.status not in FINISHED_STATUSES:
        return False
    return is_administrator(user) or role_of(user) == Role.FINANCE


def responsible_choices(user: User) -> QuerySet[Any]:
    """The organisations an item can be given to: those the user sees, not evaluators or
    contractors."""
    return organisations_for(user).filter(kind__in=["unit", "department"])
