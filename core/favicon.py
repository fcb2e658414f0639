"""The site's icon: pages link it (templates/base.html); ``/favicon.ico``, which browsers
ask for on pages without the link (a PDF, the standalone error page), redirects to it
instead of answering 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_GET

ICON = "img/favicon.svg"


@require_GET
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(static(ICON))
