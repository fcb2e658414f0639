"""One confirmation of an upload, as a browser sends it, in a process of its own:
``python confirm_race.py <upload pk> <username> <directory>``.

Django is set up from the environment (``DATABASE_URL``: the test's copy of the database).
The process writes ``<directory>/ready-<pid>`` once it is logged in, waits for
``<directory>/go`` so that two of them post at the same moment, and prints the response's
status and messages as one JSON line (``test_upload_confirm_race``)."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline_perf.settings.test")

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.contrib.messages import get_messages  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402


def main(pk: str, username: str, directory: Path) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    url = reverse("operations:upload_confirm", args=[int(pk)])
    (directory / f"ready-{os.getpid()}").touch()
    deadline = time.monotonic() + 60
    while not (directory / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.002)
    response = client.post(url)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    print(json.dumps({"status": response.status_code, "messages": messages}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], Path(sys.argv[3]))
