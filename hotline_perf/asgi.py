from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline_perf.settings.prod")
django_application = get_asgi_application()

from core.request_limits import BodyLimitASGI  # noqa: E402 (after setup)

# Django's ASGI handler reads a whole body before any middleware runs: count it here.
application = BodyLimitASGI(django_application)
