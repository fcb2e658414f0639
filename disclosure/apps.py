from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    # Its layer (docs: architecture): 信息公开: the 公开版 of every printable document with
    # personal data removed, and the public index; above documents.
    layer = 7.5
    verbose_name = _("Disclosure")
