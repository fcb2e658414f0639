"""Forms of the accounts pages: they validate and normalise; services write.

The experts a form accepts are the ones the view passes in, which it reached through
``accounts.scoping.experts_for``: a posted id outside them is refused, whoever it names.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy


class ExpertAssignForm(forms.Form):
    expert = forms.ModelChoiceField(
        label=gettext_lazy("expert"),
        queryset=User.objects.none(),
        error_messages={
            "required": gettext_lazy("Choose an expert reviewer."),
            # One message for a non-expert, an expert of an organisation the user does not
            # see and an id that does not exist: the answer tells nothing about other users.
            "invalid_choice": gettext_lazy(
                "That user is not an expert reviewer you can assign."
            ),
        },
    )

    def __init__(self, *args: Any, experts: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["expert"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = experts
