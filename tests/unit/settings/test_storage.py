"""STORAGES["default"] from the environment: the local folder unless told otherwise."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from hotline_perf.settings.storage import default_storage_from_environment

LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


@pytest.mark.parametrize(
    "environ", [{}, {"HOTLINE_PERF_STORAGE": "local"}, {"HOTLINE_PERF_STORAGE": " "}]
)
def test_the_local_folder_is_the_default(environ: dict[str, str]) -> None:
    assert default_storage_from_environment(environ) == LOCAL


def test_s3_takes_its_bucket_endpoint_region_credentials_and_prefix() -> None:
    storage = default_storage_from_environment(
        {
            "HOTLINE_PERF_STORAGE": "S3",
            "AWS_STORAGE_BUCKET_NAME": "hotline-files",
            "AWS_S3_ENDPOINT_URL": "https://minio.internal:9000",
            "AWS_S3_REGION_NAME": "cn-north-1",
            "AWS_ACCESS_KEY_ID": "hotline",
            "AWS_SECRET_ACCESS_KEY": "secret",
            "AWS_LOCATION": "/prod/",
        }
    )
    assert storage == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "hotline-files",
            "location": "prod",
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "endpoint_url": "https://minio.internal:9000",
            "region_name": "cn-north-1",
            "access_key": "hotline",
            "secret_key": "secret",
        },
    }


def test_s3_without_credentials_leaves_them_to_boto3() -> None:
    storage = default_storage_from_environment(
        {"HOTLINE_PERF_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "b"}
    )
    assert storage["OPTIONS"] == {
        "bucket_name": "b",
        "location": "",
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"HOTLINE_PERF_STORAGE": "s3"},
            "HOTLINE_PERF_STORAGE=s3 需要 AWS_STORAGE_BUCKET_NAME（存放文件的桶名）。",
        ),
        (
            {"HOTLINE_PERF_STORAGE": "ftp"},
            "HOTLINE_PERF_STORAGE 只能是 local 或 s3，现在是“ftp”。",
        ),
    ],
)
def test_a_wrong_storage_stops_the_start_with_one_message(
    environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ImproperlyConfigured) as stopped:
        default_storage_from_environment(environ)
    assert str(stopped.value) == message
