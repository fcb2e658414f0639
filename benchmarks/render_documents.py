"""Benchmark (not a test): the three seed target forms and the two seed evaluation reports,
from the database to file bytes.

For each form it times the whole pipeline (read the form and its budget from the database,
lay out the grid, render the template, WeasyPrint to PDF bytes, laying a form out again where
a page starts inside a merged label: ``document_render``) against WeasyPrint alone
rendering the same HTML string in the same process (the typeset HTML with its groups
joined, as ``documents.pdf`` gives it to WeasyPrint; same URL fetcher, so the one stylesheet
is read from disk in both), and reports the ratio, the PDF size and page count, the xlsx time
and size, and what the cache check costs (read + fingerprint, the work of a request whose
file is already stored). "read" (database to grid) and "template" (grid to HTML) are the
pipeline's own work, measured apart: on a busy machine they are the steadier figures of the
overhead. Medians of ``--runs`` runs after one warm-up run (fontconfig).

    .venv/bin/python benchmarks/render_documents.py [--runs 7]

It builds its own in-memory SQLite database with the seeds unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline_perf.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

import django

django.setup()

import weasyprint  # noqa: E402
from django.core.management import call_command  # noqa: E402
from weasyprint import HTML  # noqa: E402
from weasyprint.text.ffi import harfbuzz_subset  # noqa: E402

from core.seeding import seeds_load  # noqa: E402
from documents.kinds import Document, document_type  # noqa: E402
from documents.models import DocumentFormat, DocumentKind  # noqa: E402
from documents.pdf import BASE_URL, StaticFilesURLFetcher  # noqa: E402
from documents.rendering import (  # noqa: E402
    document_fingerprint,
    document_html,
    document_render,
)
from documents.typesetting import joined  # noqa: E402

CODES = ["tianjin-2020", "shanghai-2019", "suzhou-2023"]
REPORT_CODES = ["tianjin-2020", "panjin-2023"]  # evaluation reports


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        # the garbage of what ran before (the forms' workbooks leave much) is collected
        # now, not inside the timed run: without it the Panjin report's pipeline measured
        # 0.57 s alone and 0.75 s after the forms, WeasyPrint alone unchanged
        gc.collect()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs

    if os.environ["DATABASE_URL"] == "sqlite://:memory:":
        call_command("migrate", verbosity=0)
        seeds_load()
    doctype = document_type(DocumentKind.TARGET_FORM)
    assert doctype is not None

    print(
        f"WeasyPrint {weasyprint.__version__}, HarfBuzz subsetter "
        f"{'present' if harfbuzz_subset is not None else 'MISSING (fontTools fallback)'}, "
        f"median of {runs} runs"
    )
    header = (
        f"{'form':<14} {'pages':>5} {'pipeline':>9} {'WeasyPrint':>10} {'ratio':>6} "
        f"{'read':>8} {'template':>9} "
        f"{'PDF':>8} {'xlsx':>7} {'xlsx size':>9} {'cache check':>11}"
    )
    print(header)
    print("-" * len(header))
    for code in CODES:
        document = doctype.build(code)
        html = joined(document_html(document))  # what the pipeline gives WeasyPrint

        def pipeline(code: str = code) -> bytes:
            return document_render(doctype, doctype.build(code), DocumentFormat.PDF)

        def weasyprint_alone(html: str = html) -> bytes:
            return bytes(
                HTML(
                    string=html, base_url=BASE_URL, url_fetcher=StaticFilesURLFetcher()
                ).write_pdf()
            )

        def workbook(code: str = code) -> bytes:
            return document_render(doctype, doctype.build(code), DocumentFormat.XLSX)

        def cache_check(code: str = code) -> str:
            return document_fingerprint(doctype.build(code), DocumentFormat.PDF)

        def read(code: str = code) -> object:
            return doctype.build(code)

        def template(document: Document = document) -> str:
            return document_html(document)

        pdf = pipeline()  # warm-up: fontconfig and font files
        weasyprint_alone()
        xlsx = workbook()
        pages = len(
            HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesURLFetcher())
            .render()
            .pages
        )
        pipeline_times, weasy_times = [], []
        for _ in range(runs):  # interleaved, so both see the same machine load
            pipeline_times.append(median_seconds(pipeline, 1))
            weasy_times.append(median_seconds(weasyprint_alone, 1))
        t_pipeline = statistics.median(pipeline_times)
        t_weasy = statistics.median(weasy_times)
        t_xlsx = median_seconds(workbook, runs)
        t_check = median_seconds(cache_check, runs)
        t_read = median_seconds(read, runs)
        t_template = median_seconds(template, runs)
        print(
            f"{code:<14} {pages:>5} {t_pipeline:>8.3f}s {t_weasy:>9.3f}s "
            f"{t_pipeline / t_weasy:>5.2f}× {t_read * 1000:>6.0f}ms "
            f"{t_template * 1000:>7.0f}ms {len(pdf) / 1024:>6.0f}KB "
            f"{t_xlsx * 1000:>5.0f}ms {len(xlsx) / 1024:>7.1f}KB {t_check * 1000:>9.1f}ms"
        )
    print()
    evaluation_reports(runs)


# Goals of the evaluation report (issue 4), for the Tianjin report.
REPORT_GOALS = {"seconds": 1.0, "ratio": 1.2, "kilobytes": 600}


def evaluation_reports(runs: int) -> None:
    """The two seed evaluation reports, measured the same way as the forms: the pipeline
    (``doctype.build`` reads the evaluation, scores it with the engine, reads the budget
    year and the operating data's cost table and draws the charts; the template; WeasyPrint)
    against WeasyPrint alone on the same HTML string. The goals apply to Tianjin's."""
    doctype = document_type(DocumentKind.EVALUATION_REPORT)
    assert doctype is not None
    header = (
        f"{'report':<14} {'pages':>5} {'pipeline':>9} {'WeasyPrint':>10} {'ratio':>6} "
        f"{'read':>8} {'template':>9} {'PDF':>8} {'cache check':>11}"
    )
    print(header)
    print("-" * len(header))
    for code in REPORT_CODES:
        document = doctype.build(code)
        html = joined(document_html(document))  # what the pipeline gives WeasyPrint

        def pipeline(code: str = code) -> bytes:
            return document_render(doctype, doctype.build(code), DocumentFormat.PDF)

        def weasyprint_alone(html: str = html) -> bytes:
            return bytes(
                HTML(
                    string=html, base_url=BASE_URL, url_fetcher=StaticFilesURLFetcher()
                ).write_pdf()
            )

        def cache_check(code: str = code) -> str:
            return document_fingerprint(doctype.build(code), DocumentFormat.PDF)

        def read(code: str = code) -> object:
            return doctype.build(code)

        def template(document: Document = document) -> str:
            return document_html(document)

        pdf = pipeline()  # warm-up
        weasyprint_alone()
        pages = len(
            HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesURLFetcher())
            .render()
            .pages
        )
        pipeline_times, weasy_times = [], []
        for _ in range(runs):  # interleaved, so both see the same machine load
            pipeline_times.append(median_seconds(pipeline, 1))
            weasy_times.append(median_seconds(weasyprint_alone, 1))
        t_pipeline = statistics.median(pipeline_times)
        t_weasy = statistics.median(weasy_times)
        t_check = median_seconds(cache_check, runs)
        t_read = median_seconds(read, runs)
        t_template = median_seconds(template, runs)
        print(
            f"{code:<14} {pages:>5} {t_pipeline:>8.3f}s {t_weasy:>9.3f}s "
            f"{t_pipeline / t_weasy:>5.2f}× {t_read * 1000:>6.0f}ms "
            f"{t_template * 1000:>7.0f}ms {len(pdf) / 1024:>6.0f}KB "
            f"{t_check * 1000:>9.1f}ms"
        )
        if code == "tianjin-2020":
            checks = [
                (
                    f"≤ {REPORT_GOALS['seconds']:g} s",
                    t_pipeline <= REPORT_GOALS["seconds"],
                ),
                (
                    f"≤ {REPORT_GOALS['ratio']:g}×",
                    t_pipeline / t_weasy <= REPORT_GOALS["ratio"],
                ),
                (
                    f"≤ {REPORT_GOALS['kilobytes']:g} KB",
                    len(pdf) / 1024 <= REPORT_GOALS["kilobytes"],
                ),
            ]
            print(
                "  goals: "
                + ", ".join(
                    f"{goal} {'met' if ok else 'NOT met'}" for goal, ok in checks
                )
            )


if __name__ == "__main__":
    main()
