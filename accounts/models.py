"""Who a user works for and in which role; every page scopes its data by this."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from budgets.models import Organisation


class Role(models.TextChoices):
    FINANCE = "finance", _("Finance bureau staff")
    DEPARTMENT = "department", _("Supervising department")
    UNIT = "unit", _("Implementing unit / hotline centre")
    EVALUATOR = "evaluator", _("Third-party evaluator")
    EXPERT = "expert", _("Expert reviewer")
    ADMINISTRATOR = "administrator", _("Administrator")


class Membership(models.Model):
    """A user's organisation and role. One per user: a person acts for one organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="membership_valid_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"
