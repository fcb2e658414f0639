"""Who reports a hotline centre's operating data: accounts' answer (``accounts.scoping``)
applied to operations. The whole role × action table is ``docs/rights.md``."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from accounts.scoping import membership_of, own_organisation_id
from budgets.models import Organisation
from core.access import Role


def operating_data_unit(user: AbstractBaseUser | AnonymousUser) -> Organisation | None:
    """The hotline centre whose operating data ``user`` uploads, confirms and discards
    and whose custom metrics they add: their own unit. ``None`` for every other role,
    administrators included (a centre's operating figures are its own to report)."""
    membership = membership_of(user)
    if membership is None or membership.role != Role.UNIT:
        return None
    return membership.organisation


def can_upload_operating_data(
    user: AbstractBaseUser | AnonymousUser, organisation: Organisation
) -> bool:
    """Whether ``user`` reports ``organisation``'s operating data (``operating_data_unit``)."""
    return own_organisation_id(user, Role.UNIT) == organisation.pk
