from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline_perf.settings.prod")
application = get_wsgi_application()

# A web server started without scripts/serve still refuses a bad production configuration
# (core/checks.py: no or weak secret key, not PostgreSQL, media root not writable).
from core.checks import refuse_misconfigured_production  # noqa: E402

refuse_misconfigured_production()
