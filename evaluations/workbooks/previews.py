"""An uploaded evaluation workbook kept on the server between its preview and its
confirmation, so that confirming posts back only a signed token, never the workbook.

The file is kept in the default storage (outside the web root: a local folder or a shared
S3 bucket) as ``evaluation_workbooks/<evaluation id>/<sha256>.xlsx``: a generated name,
the same content kept once. Confirming reads it back, checks its SHA-256 and reads it
again through the same safe reader, as the operating-data uploads do.
"""

from __future__ import annotations

import hashlib
import re
from typing import Final

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from evaluations.models import Evaluation

STORAGE_DIR: Final = "evaluation_workbooks"
_DIGEST: Final = re.compile(r"[0-9a-f]{64}")


def _name(evaluation: Evaluation, digest: str) -> str:
    return f"{STORAGE_DIR}/{evaluation.pk}/{digest}.xlsx"


def preview_keep(*, evaluation: Evaluation, content: bytes) -> str:
    """Keep ``content`` for a preview of ``evaluation``; returns its SHA-256."""
    digest = hashlib.sha256(content).hexdigest()
    name = _name(evaluation, digest)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(content))
    return digest


def preview_content(*, evaluation: Evaluation, digest: str) -> bytes | None:
    """The kept workbook of ``digest``, or None if it is gone or was altered."""
    if not _DIGEST.fullmatch(digest):
        return None
    name = _name(evaluation, digest)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as stream:
        content = stream.read()
    return content if hashlib.sha256(content).hexdigest() == digest else None
