"""Background tasks (Django's tasks framework): rendering runs off the request path."""

from __future__ import annotations

from django.tasks import TaskContext, task

from documents.rendering import render_job_run


@task(takes_context=True)
def render_document(context: TaskContext[[str], str], job_id: str) -> str:
    """Render the file of a ``RenderJob``; progress and outcome are kept on the job.

    Takes the job's id (a string, so the database backend can store the arguments as JSON)
    and returns the stored file name. The job is leased to the worker running the task
    (the last of the task's ``worker_ids``), whose heartbeat keeps the lease alive.
    """
    worker_ids = context.task_result.worker_ids
    worker_id = worker_ids[-1] if worker_ids else ""
    return render_job_run(job_id=job_id, worker_id=worker_id).file.name or ""
