"""Background tasks (Django's tasks framework): rendering runs off the request path."""

from __future__ import annotations

from django.tasks import task

from documents.services import render_job_run


@task
def render_document(job_id: str) -> str:
    """Render the file of a ``RenderJob``; progress and outcome are kept on the job.

    Takes the job's id (a string, so the database backend can store the arguments as JSON)
    and returns the stored file name.
    """
    return render_job_run(job_id=job_id).file.name or ""
