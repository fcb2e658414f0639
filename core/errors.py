"""Error answers with a reason the user can act on, in the site's own error pages
(templates/400.html, 403.html, 404.html, 500.html, 403_csrf.html)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def not_found(request: HttpRequest, reason: str) -> HttpResponse:
    """A 404 in the site's layout that says why (Django's handler shows no message)."""
    return render(request, "404.html", {"reason": reason}, status=404)


def missing_file(request: HttpRequest) -> HttpResponse:
    """A stored file's row outlived the file (a database restored without its files)."""
    return not_found(
        request,
        _(
            "The stored file is missing: ask the system administrator to restore it "
            "from the backup."
        ),
    )
