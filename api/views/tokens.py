"""The personal API token page: a user lists, creates and revokes their own tokens. A
new token's key is shown once, on the page that answers its creation, and never again
(only its hash is kept). Each token carries exactly its user's scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from api.forms import ApiTokenCreateForm, ApiTokenRevokeForm
from api.models import ApiToken
from api.services import api_token_create, api_token_revoke


def _page(
    request: HttpRequest,
    form: ApiTokenCreateForm,
    *,
    key: str = "",
    status: int = 200,
) -> HttpResponse:
    assert isinstance(request.user, User)
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": ApiToken.objects.filter(user=request.user),
            "new_key": key,
            "schema_url": "/api/v1/schema/",
        },
        status=status,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, ApiTokenCreateForm())
    form = ApiTokenCreateForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    assert isinstance(request.user, User)
    created = api_token_create(
        user=request.user,
        name=form.cleaned_data["name"],
        expires_at=form.expires_at(),
    )
    # the key is in this answer only: not in a redirect, a message or the session
    return _page(request, ApiTokenCreateForm(), key=created.key)


@login_required
@require_POST
def token_revoke(request: HttpRequest) -> HttpResponse:
    form = ApiTokenRevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a token to revoke."))
        return redirect("api_tokens:list")
    token = get_object_or_404(
        ApiToken, pk=form.cleaned_data["token"], user=request.user
    )
    api_token_revoke(token=token)
    messages.success(
        request, _("The token “%(name)s” has been revoked.") % {"name": token.name}
    )
    return redirect("api_tokens:list")
