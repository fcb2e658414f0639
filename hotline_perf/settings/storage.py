"""Where stored files live (``STORAGES["default"]``), chosen from the environment.

Every file the application keeps — operating-data originals, evidence, rendered documents —
goes through Django's storage API, so the same code runs on either:

- ``HOTLINE_PERF_STORAGE=local`` (the embedded default): a folder, ``MEDIA_ROOT``
  (``HOTLINE_PERF_MEDIA_ROOT``), on this machine;
- ``HOTLINE_PERF_STORAGE=s3``: a bucket on any S3-compatible service (django-storages'
  S3 backend through boto3), shared by every web and worker machine. ``AWS_STORAGE_BUCKET_NAME``
  is required; ``AWS_S3_ENDPOINT_URL`` (a non-AWS service such as MinIO or Ceph),
  ``AWS_S3_REGION_NAME``, ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` (else boto3's own
  chain: instance role, ``~/.aws``) and ``AWS_LOCATION`` (a key prefix) are optional.

Files are never public: objects are private (no ACL), served only through the scoped views,
and two uploads of the same name never overwrite each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

LOCAL = "local"
S3 = "s3"


def default_storage_from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """The ``STORAGES["default"]`` entry that ``environ`` asks for."""
    kind = environ.get("HOTLINE_PERF_STORAGE", LOCAL).strip().lower() or LOCAL
    if kind == LOCAL:
        # No location: FileSystemStorage follows MEDIA_ROOT (and tests that override it).
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != S3:
        raise ImproperlyConfigured(
            f"HOTLINE_PERF_STORAGE 只能是 {LOCAL} 或 {S3}，现在是“{kind}”。"
        )
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        raise ImproperlyConfigured(
            "HOTLINE_PERF_STORAGE=s3 需要 AWS_STORAGE_BUCKET_NAME（存放文件的桶名）。"
        )
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "location": environ.get("AWS_LOCATION", "").strip().strip("/"),
        "default_acl": None,
        "querystring_auth": True,
        # A second evidence file of the same name gets a new name, as on a local disk.
        "file_overwrite": False,
    }
    optional = {
        "endpoint_url": "AWS_S3_ENDPOINT_URL",
        "region_name": "AWS_S3_REGION_NAME",
        "access_key": "AWS_ACCESS_KEY_ID",
        "secret_key": "AWS_SECRET_ACCESS_KEY",
    }
    for option, variable in optional.items():
        value = environ.get(variable, "").strip()
        if value:
            options[option] = value
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
