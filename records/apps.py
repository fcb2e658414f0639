from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    # Its layer (docs: architecture): above operations (it reads the catalogue and the
    # reported operating values), below evaluations and documents (which show its
    # verdicts). It has no seeds; load_seeds orders apps by this number.
    layer = 5.5
    verbose_name = _("Hotline records")

    def ready(self) -> None:
        from operations import verification
        from records import selectors

        # The operating-data year page shows the reconciliation (operations sits below
        # records and is handed the reader: operations/verification.py).
        verification.provide(selectors.year_verification)
