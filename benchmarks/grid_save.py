"""Benchmark (not a test): the target grid's row save — the page's script posting one row
and receiving the re-rendered grid with its reasonableness flags — on the seed Tianjin
2020 form (19 三级 rows) and on its 2021 copy made by 从上年复制, whose grid also shows
each row's 2020 target and actual.

    .venv/bin/python benchmarks/grid_save.py [--runs 60]

Prints the median and 95th percentile in milliseconds and the queries of one save. It
builds its own in-memory SQLite database (migrations, the seeds) unless DATABASE_URL is
set. The copy is made only where the code has ``target_form_carry_forward`` (so the same
script measures a commit from before it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline_perf.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Membership  # noqa: E402
from budgets.models import Organisation  # noqa: E402
from core.access import Role  # noqa: E402
from core.seeding import seeds_load  # noqa: E402
from targets import services  # noqa: E402
from targets.models import TargetForm  # noqa: E402

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def save(client: Client, form: TargetForm, value: str) -> int:
    """One row save as the page's script posts it; returns the status."""
    leaf = form.indicators.get(name="接通率")
    response = client.post(
        f"/targets/{form.code}/indicators/{leaf.pk}/",
        {
            "name": leaf.name,
            "value": value,
            "library_indicator": leaf.library_indicator_id or "",
            "version": leaf.version,
        },
        **FETCH,
    )
    return response.status_code


def measure(client: Client, form: TargetForm, runs: int) -> tuple[float, float, int]:
    for warm in range(2):
        save(client, form, f"≥9{warm}%")
    times = []
    for run in range(runs):
        started = time.perf_counter()
        status = save(client, form, f"≥{90 + run % 9}%")
        times.append((time.perf_counter() - started) * 1000)
        assert status == 200, status
    with CaptureQueriesContext(connection) as queries:
        save(client, form, "≥95%")
    p95 = statistics.quantiles(times, n=20)[-1]
    return statistics.median(times), p95, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    seeds_load()
    user = User.objects.create_user("bench-unit")
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(code="tj-8890"), role=Role.UNIT
    )
    client = Client()
    client.force_login(user)
    tianjin = TargetForm.objects.get(code="tianjin-2020")
    forms = [("Tianjin 2020 (draft)", tianjin)]
    carry = getattr(services, "target_form_carry_forward", None)
    if carry is not None:
        services.target_form_submit(form=tianjin, user=user)
        services.target_form_approve(form=tianjin, user=user)
        forms = [("Tianjin 2021, carried forward", carry(source=tianjin, code="tj-21"))]
        fresh = TargetForm.objects.get(code="tianjin-2020")
        fresh.status = "draft"  # back to editable, to measure the same form as before
        fresh.save(update_fields=["status"])
        forms.insert(0, ("Tianjin 2020 (draft)", fresh))
    print(f"grid row save, {args.runs} runs each (ms; queries of one save)")
    for label, form in forms:
        median, p95, queries = measure(client, form, args.runs)
        print(f"  {label:34} median {median:6.1f}  p95 {p95:6.1f}  queries {queries}")


if __name__ == "__main__":
    main()
