"""``{{ user|person }}``: a user as ``core.people.person_name`` names them."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AbstractBaseUser

from core.people import person_name

register = template.Library()


@register.filter
def person(user: AbstractBaseUser | None) -> str:
    return person_name(user)
