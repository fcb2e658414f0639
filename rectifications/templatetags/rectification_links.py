"""The way from an evaluation's page to its findings' rectification, for those who
follow rectification (the evaluations' template loads it: evaluations imports nothing
of this app)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from rectifications.scoping import reads_items

register = template.Library()


@register.simple_tag(takes_context=True)
def rectification_link(context: Any, evaluation: Any) -> SafeString | str:
    request = context.get("request")
    if request is None or evaluation.project_id is None:
        return ""
    if not reads_items(request.user):
        return ""
    return format_html(
        '· <a href="{}" id="rectification-link">{}</a>',
        reverse("rectifications:evaluation", args=[evaluation.code]),
        _("Rectification of the findings"),
    )


@register.simple_tag(takes_context=True)
def monitoring_rectification_link(context: Any, report: Any) -> SafeString | str:
    """From a monitoring report's page to its red lights' rectification."""
    request = context.get("request")
    if request is None or not reads_items(request.user):
        return ""
    return format_html(
        '<a href="{}" id="rectification-link">{}</a>',
        reverse("rectifications:monitoring", args=[report.code]),
        _("Rectification of the red lights"),
    )
