"""Who a user is and which organisations they see, as a plain answer every app can apply.

accounts gives the answer (``accounts.scoping.access_for``, handed to this module at
start-up by ``AccountsConfig.ready``); an app that must not import accounts — budgets, its
independent sibling — applies it to its own querysets through ``access_of(user)``. The roles
are here too, so that such an app can name them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FINANCE = "finance", _("Finance bureau staff")
    DEPARTMENT = "department", _("Supervising department")
    UNIT = "unit", _("Implementing unit / hotline centre")
    EVALUATOR = "evaluator", _("Third-party evaluator")
    EXPERT = "expert", _("Expert reviewer")
    ADMINISTRATOR = "administrator", _("Administrator")


@dataclass(frozen=True)
class Access:
    """What an app needs to know of a user to scope its data and decide its rights."""

    # An administrator or a superuser: sees and may do everything.
    administrator: bool
    # The role and organisation of the user's membership (None without one).
    membership_role: str | None
    organisation_id: int | None
    # The organisations whose data the user sees, built only when asked (a department's
    # are found level by level).
    visible: Callable[[], QuerySet[Any]]

    @property
    def role(self) -> str | None:
        """The user's role; administrators (superusers included) are ADMINISTRATOR."""
        return Role.ADMINISTRATOR if self.administrator else self.membership_role

    def own_organisation_id(self, role: str) -> int | None:
        """The user's organisation when their membership is in ``role``, else None."""
        return self.organisation_id if self.membership_role == role else None

    def organisation_ids(self) -> QuerySet[Any, int]:
        """The visible organisations' ids as a subquery, without the model's ordering."""
        return self.visible().order_by().values_list("pk", flat=True)


AccessOf = Callable[[AbstractBaseUser | AnonymousUser], Access]
_access_of: list[AccessOf] = []


def provide(access_of: AccessOf) -> None:
    """Called once at start-up by the app that knows the users (accounts)."""
    _access_of[:] = [access_of]


def access_of(user: AbstractBaseUser | AnonymousUser) -> Access:
    (answer,) = _access_of
    return answer(user)
