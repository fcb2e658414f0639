"""The token page's forms: they validate; ``api.services`` writes."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import Form

# How long a new token lasts at most: a forgotten key stops working by itself.
MAX_DAYS = 365
DEFAULT_DAYS = 90


class ApiTokenCreateForm(Form):
    name = forms.CharField(
        label=gettext_lazy("name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “budget system sync”."),
    )
    expires_on = forms.DateField(
        label=gettext_lazy("expires on"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=gettext_lazy("At most a year from today."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"expires_on": timezone.localdate() + timedelta(days=DEFAULT_DAYS)},
        )
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data.get("name") or "").split())
        if not name:
            raise forms.ValidationError(_("Name the token."))
        return name

    def clean_expires_on(self) -> Any:
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError(_("The expiry date must be in the future."))
        if day > today + timedelta(days=MAX_DAYS):
            raise forms.ValidationError(
                _("A token lasts at most %(days)s days.") % {"days": MAX_DAYS}
            )
        return day

    def expires_at(self) -> datetime:
        """The end of the chosen day, in the site's time zone."""
        day = self.cleaned_data["expires_on"]
        return timezone.make_aware(datetime.combine(day, time.max))


class ApiTokenRevokeForm(Form):
    """Revoking names the token by its id (among the user's own)."""

    token = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
