"""The reviewer's redaction form and the public index's filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import Form
from disclosure.services import Review, addition_errors


class RedactionForm(Form):
    """The reviewer's decisions on a redaction list: which listed items to keep in the
    公开版, which texts to remove besides, and whether to preview or publish.

    ``fingerprint`` is the version of the document the page listed; publishing a list made
    from another version is refused by the service (the document changed meanwhile)."""

    PREVIEW, PUBLISH = "preview", "publish"

    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    keep = forms.MultipleChoiceField(
        label=gettext_lazy("Keep in the public version"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    additions = forms.CharField(
        label=gettext_lazy("Also remove"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One item per line, exactly as printed (a name, a number)."
        ),
    )
    action = forms.ChoiceField(
        choices=[
            (PREVIEW, gettext_lazy("Update the list")),
            (PUBLISH, gettext_lazy("Publish the public version")),
        ]
    )

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.review = review
        keep = self.fields["keep"]
        assert isinstance(keep, forms.MultipleChoiceField)
        keep.choices = [(item.key, item.text) for item in review.items]

    def clean_additions(self) -> list[str]:
        lines = [
            line.strip()
            for line in str(self.cleaned_data.get("additions") or "").splitlines()
        ]
        additions = list(dict.fromkeys(line for line in lines if line))
        if errors := addition_errors(self.review, additions):
            raise forms.ValidationError(errors)
        return additions

    def clean_fingerprint(self) -> str:
        fingerprint = str(self.cleaned_data["fingerprint"])
        if fingerprint != self.review.fingerprint:
            raise forms.ValidationError(
                _(
                    "The document has changed since this list was made: nothing was "
                    "published. Check the list again below, then publish."
                ),
                code="stale",
            )
        return fingerprint

    @property
    def publishing(self) -> bool:
        return bool(self.cleaned_data.get("action") == self.PUBLISH)


class IndexFilterForm(Form):
    """The public index's filter: a year and an organisation (a bad value is ignored)."""

    year = forms.IntegerField(
        label=gettext_lazy("Year"), required=False, min_value=1990, max_value=2999
    )
    organisation = forms.SlugField(
        label=gettext_lazy("Organisation"), required=False, max_length=64
    )

    def value(self, name: str) -> Any:
        if not self.is_valid():
            return self.cleaned_data.get(name) if name not in self.errors else None
        return self.cleaned_data.get(name)
