"""The personal API token page (in the site's languages, like every page)."""

from __future__ import annotations

from django.urls import path

from api.views import tokens

app_name = "api_tokens"

urlpatterns = [
    path("", tokens.token_list, name="list"),
    path("revoke/", tokens.token_revoke, name="revoke"),
]
