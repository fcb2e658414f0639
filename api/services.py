"""Writes of the API's own data: personal API tokens (``api.models.ApiToken``).

The API's writes of domain data go through the owning apps' forms and services
(``api.writes``), never through anything here."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken

# What every key starts with, so that a key found in a log or a repository is known for
# what it is (secret scanners look for such prefixes).
KEY_MARK: Final = "hpk_"
PREFIX_LENGTH: Final = len(KEY_MARK) + 8


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just created and its key: the only time the key is known."""

    token: ApiToken
    key: str


def api_token_create(*, user: User, name: str, expires_at: datetime) -> NewToken:
    """Create a token for ``user``; the key is returned once and only its hash is kept."""
    if expires_at <= timezone.now():
        raise ValidationError(
            {"expires_at": _("The expiry date must be in the future.")}
        )
    key = KEY_MARK + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=key[:PREFIX_LENGTH],
        key_hash=key_hash(key),
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return NewToken(token=token, key=key)


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """End ``token`` now (a revoked token stays on the page, marked, and is refused)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_for_key(key: str) -> ApiToken | None:
    """The token whose key is ``key`` (active or not), or ``None``. Looked up by its
    hash: the key itself is never stored nor compared."""
    if not key.startswith(KEY_MARK):
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(key_hash=key_hash(key), prefix=key[:PREFIX_LENGTH])
        .first()
    )


def api_token_touch(*, token: ApiToken, now: datetime) -> None:
    """Record that ``token`` was used (at most once a minute: one write, not one a
    request)."""
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
