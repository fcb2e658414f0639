"""Render jobs: one record per request to turn a document into a file.

A job is created by the page (``services.render_job_request``), run by a task
(``tasks.render_document``) and read by the page's progress fragment. The finished file is
stored under ``MEDIA_ROOT`` (outside the web root) and served only through the scoped
download view. ``fingerprint`` is the hash of the data the file was rendered from, so a
job whose fingerprint matches the current data can be served again without rendering.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """What is rendered; each kind is registered in ``documents.kinds``."""

    TARGET_FORM = "target_form", _("Performance target form")
    EVALUATION_REPORT = "evaluation_report", _("Evaluation report")
    PROJECT_INFO = "project_info", _("Project information sheet")
    # issue 15: one migration for the three kinds its parts add (T, M, R)
    SELF_EVALUATION_TABLE = "self_evaluation_table", _("Self-evaluation table")
    MONITORING_TABLE = "monitoring_table", _("Performance monitoring table")
    RECTIFICATION_REPORT = "rectification_report", _("Rectification report")


class DocumentFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", _("Excel workbook")


CONTENT_TYPES = {
    DocumentFormat.PDF: "application/pdf",
    DocumentFormat.XLSX: (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
}


class RenderJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Failure(models.TextChoices):
        NONE = "", _("None")
        ERROR = "error", _("Rendering error")
        WORKER_LOST = "worker_lost", _("Worker stopped")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    object_code = models.SlugField(_("object code"), max_length=64)
    format = models.CharField(_("format"), max_length=8, choices=DocumentFormat.choices)
    fingerprint = models.CharField(
        _("data fingerprint"),
        max_length=64,
        help_text=_("SHA-256 of the data and layout the file is rendered from."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(
        _("file"), upload_to="documents/", max_length=255, blank=True
    )
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    failure = models.CharField(
        _("failure"), max_length=12, choices=Failure.choices, blank=True, default=""
    )
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    # The lease (documents.leases): the worker running the job beats ``heartbeat_at``; a
    # running job whose beat is older than the lease is lost and queued again, at most
    # ``retries`` times.
    worker_id = models.CharField(_("worker"), max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    retries = models.PositiveSmallIntegerField(
        _("times queued again after its worker stopped"), default=0
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("render job")
        verbose_name_plural = _("render jobs")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["kind", "object_code", "format", "fingerprint"],
                name="render_job_lookup_idx",
            ),
            models.Index(
                fields=["status", "heartbeat_at"], name="render_job_lease_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="render_job_progress_at_most_100",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="render_job_valid_status",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(file="") & Q(progress=100)),
                name="render_job_done_has_file",
                violation_error_message=_("A finished job has its file."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.object_code}.{self.format} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def filename(self) -> str:
        """The name the browser saves the file under."""
        return f"{self.object_code}.{self.format}"


class WorkerHeartbeat(models.Model):
    """A task worker process (``manage.py run_worker``) that is, or was lately, alive.

    The worker beats ``beat_at`` every few seconds from a thread of its own, so the beat goes
    on while a task runs; a row whose beat is older than the lease is a dead worker
    (``documents.selectors.workers_alive`` for the health check). A worker that exits
    cleanly deletes its row; ``manage.py prune`` deletes the rows of dead ones.
    """

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)
    tasks_run = models.PositiveIntegerField(_("tasks run"), default=0)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.worker_id})"
