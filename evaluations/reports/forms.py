"""The forms of the report pages: a section's heading and text, and accepting a suggestion."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.concurrency import version_field
from core.forms import Form
from evaluations.reports.suggestions import Suggestion
from evaluations.reports.text import TextError, lines_of


class SectionForm(Form):
    # the report's own words are Chinese whatever the page's language
    heading = forms.CharField(
        label=gettext_lazy("heading"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"lang": "zh-Hans"}),
    )
    body = forms.CharField(
        label=gettext_lazy("text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "lang": "zh-Hans"}),
    )
    version = version_field()

    def clean_body(self) -> str:
        # a browser sends a textarea's lines with CRLF: stored with LF, one per paragraph
        body = "\n".join(str(self.cleaned_data["body"]).splitlines())
        try:
            lines_of(body)
        except TextError as error:
            raise ValidationError(
                _(
                    "%(line)s names no table, figure or indicator: write [[表1-1]], "
                    "[[表1-2]], [[表1-3]], [[表2]], [[表3]], [[图1]], [[图2]] or "
                    "[[指标：name]]."
                )
                % {"line": error}
            ) from error
        return body

    def clean(self) -> dict[str, Any]:
        # An absent field is not an empty one: a post without the text never wipes it.
        missing = [name for name in ("heading", "body") if name not in self.data]
        if missing:
            raise ValidationError(
                _("The form arrived incomplete: reload the page and save again.")
            )
        return super().clean() or {}


class AcceptForm(Form):
    """The suggestion the evaluator accepts, by its key: the text inserted is the one the
    server offers now, never text sent by the browser."""

    key = forms.CharField(max_length=16)
    version = version_field()

    def __init__(
        self, *args: Any, suggestions: Sequence[Suggestion], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.suggestions = {s.key: s for s in suggestions}

    def clean_key(self) -> str:
        key: str = self.cleaned_data["key"]
        if key not in self.suggestions:
            raise ValidationError(
                _(
                    "This suggestion is no longer offered (the data it was made from "
                    "has changed): choose again from the list below."
                )
            )
        return key

    @property
    def suggestion(self) -> Suggestion:
        return self.suggestions[self.cleaned_data["key"]]


class StartForm(Form):
    """Starting the report from the framework's outline (no fields: the button)."""
