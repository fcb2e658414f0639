from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Hotline budget performance management")
admin.site.site_title = _("Hotline budget performance management")

urlpatterns: list[URLPattern | URLResolver] = [
    # /healthz, for the load balancer and monitoring: public, no language prefix
    # (core/health.py).
    path("", include("core.urls")),
    # The JSON API and its schema (api/): no language prefix; errors in the request's
    # language, Chinese by default.
    path("api/v1/", include("api.urls")),
]
urlpatterns += i18n_patterns(
    # The language switcher posts from the page's own language (/en/i18n/setlang/ on an
    # English page), so set_language resolves the page's address in that language and
    # sends the user to the same page in the other one.
    path("i18n/", include("django.conf.urls.i18n")),
    # The home page says what is waiting for the user's role (evaluations.views.home):
    # / in Chinese, /en/ in English.
    path("", include("evaluations.urls_home")),
    path("admin/", admin.site.urls),
    path("api/tokens/", include("api.urls_pages")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("budgets/", include("budgets.urls")),
    path("comparisons/", include("comparisons.urls")),
    path("dashboards/", include("operations.urls_dashboards")),
    path("documents/", include("documents.urls")),
    # 信息公开: the reviewer's pages (login) and the public index under public/ (none)
    path("disclosure/", include("disclosure.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("operations/", include("operations.urls")),
    path("overview/", include("overview.urls")),
    path("records/", include("records.urls")),
    path("rectifications/", include("rectifications.urls")),
    path("results/", include("results_use.urls")),
    path("reviews/", include("evaluations.urls_reviews")),
    path("targets/", include("targets.urls")),
    prefix_default_language=False,
)
