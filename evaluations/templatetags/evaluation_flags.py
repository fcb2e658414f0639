"""``{{ flag|flag_text }}``: a scoring flag's sentence in the reader's language."""

from __future__ import annotations

from django import template

from evaluations.flag_texts import flag_text as _flag_text
from evaluations.scoring import Flag

register = template.Library()


@register.filter
def flag_text(flag: Flag) -> str:
    """The sentence of ``flag`` through gettext (``evaluations.flag_texts``)."""
    return _flag_text(flag)
