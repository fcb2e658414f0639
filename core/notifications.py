"""Optional e-mail notifications: a person is told by mail when something lands in their 待办
(``core.inbox``), through Django's mail settings (``MAILERS``; docs/production.md).

Off unless ``HOTLINE_PERF_EMAIL_NOTIFICATIONS`` is true: the 待办 on the home page and the
count in the navigation are the notification everyone has; mail is for a site that has
configured a mail server. Mail goes only to active users with an address, after the
transaction that made the change commits (nothing is mailed for a change rolled back),
and a mail server that refuses does not undo the change: the failure is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction

logger = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(getattr(settings, "HOTLINE_PERF_EMAIL_NOTIFICATIONS", False))


def addresses(recipients: Iterable[AbstractBaseUser]) -> list[str]:
    """The distinct addresses of the active recipients that have one, sorted."""
    found: set[str] = set()
    for user in recipients:
        email = str(getattr(user, "email", "") or "")
        if user.is_active and email:
            found.add(email)
    return sorted(found)


def notify(
    *, recipients: Iterable[AbstractBaseUser], subject: str, lines: Sequence[str]
) -> list[str]:
    """Mail ``subject`` and ``lines`` to ``recipients`` once the transaction commits;
    returns the addresses (none when notifications are off)."""
    if not enabled():
        return []
    to = addresses(recipients)
    if not to:
        return []
    body = "\n".join(lines)

    def send() -> None:
        try:
            send_mail(subject, body, None, to)
        except OSError:
            logger.exception("notification mail not sent: %s", subject)

    transaction.on_commit(send)
    return to
