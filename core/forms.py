"""What every form of the project shares: text a user types holds no control character.

Every form derives from ``Form`` (or mixes in ``ControlCharacterRule``); a test walks every
form class of the project (``tests/integration/forms/test_form_text_rule.py``). Each text
field gets the rule of ``kernel.text`` as a validator, with a Chinese message naming the
field, so a name or remark holding ``\\x01`` never reaches the database (where it broke every
later xlsx export) and a NUL never reaches PostgreSQL (a ``DataError``, i.e. a 500).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.text import describe_control, first_control


class NoControlCharacters:
    """Refuses text holding a control character (``kernel.text``), naming the field."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __call__(self, value: object) -> None:
        if isinstance(value, str) and (char := first_control(value)):
            raise ValidationError(
                _(
                    "“%(field)s” contains an invisible control character (%(char)s), "
                    "usually brought in by copying from another program: delete it "
                    "and submit again."
                )
                % {"field": self.label, "char": describe_control(char)},
                code="control_character",
            )


class ControlCharacterRule:
    """Gives every text field of the form ``NoControlCharacters`` (in place of Django's
    NUL check, which it includes), fields added in ``__init__`` too."""

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and not any(
                isinstance(v, NoControlCharacters) for v in field.validators
            ):
                field.validators = [
                    v
                    for v in field.validators
                    if not isinstance(v, ProhibitNullCharactersValidator)
                ]
                field.validators.append(NoControlCharacters(str(field.label or name)))
        super().full_clean()  # type: ignore[misc]


class Form(ControlCharacterRule, forms.Form):
    """The project's form: Django's, with the control-character rule."""


class DecisionForm(Form):
    """Approve or reject a request (预算调整, 目标调整): the button the reviewer pressed.
    A request without a decision is refused, never read as a rejection."""

    decision = forms.ChoiceField(
        choices=[
            ("approve", gettext_lazy("Approve")),
            ("reject", gettext_lazy("Reject")),
        ]
    )

    @property
    def approve(self) -> bool:
        return bool(self.cleaned_data["decision"] == "approve")
