"""How a person is named on the pages and in the documents."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def person_name(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """Family name then given name, with no space between them, as Chinese names are
    written (王建国; Django's ``get_full_name`` gives "建国 王"); the login name when the
    account has no name; "" for nobody."""
    if user is None or not user.is_authenticated:
        return ""
    name = f"{getattr(user, 'last_name', '')}{getattr(user, 'first_name', '')}".strip()
    return name or user.get_username()
