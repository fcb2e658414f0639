from __future__ import annotations

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "operations"
    # Its layer (docs: architecture): it imports only from lower ones; load_seeds
    # calls the apps' seeds bottom first (core/seeding.py).
    layer = 5
    verbose_name = "热线运行数据"

    def ready(self) -> None:
        from operations import identity, inbox, selectors
        from targets import actuals

        # 运行监控 and the target reviews cite the uploaded operating data (targets sits
        # below operations and is handed the readers: targets/actuals.py).
        actuals.provide(
            actuals.ActualsSource(
                by_year=lambda organisation, years: selectors.actual_values_by_year(
                    organisation=organisation, years=years
                ),
                half_year=lambda organisation, year: selectors.half_year_actual_values(
                    organisation=organisation, year=year
                ),
                to_month=lambda organisation, year, month: (
                    selectors.actual_values_to_month(
                        organisation=organisation, year=year, month=month
                    )
                ),
                metric_codes=lambda organisation, names: (
                    identity.metric_codes_for_names(
                        organisation=organisation, names=names
                    )
                ),
            )
        )
        # 待办: uploads to confirm (core/inbox.py)
        inbox.register_sources()
