"""`manage.py check --deploy` under settings.prod with the documented production
environment (deploy/hotline-perf.env, docs/production.md's table): no warning at all; with a proxy
that redirects to HTTPS and sets HSTS itself, still none; a weak key is one error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.integration.deploy.environment import ROOT, production_environment


def check_deploy(tmp_path: Path, **overrides: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(tmp_path, **overrides),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_documented_production_environment_gives_no_warning(tmp_path: Path) -> None:
    runs = {
        "documented": check_deploy(tmp_path),
        "proxy redirects": check_deploy(
            tmp_path,
            DJANGO_SECURE_SSL_REDIRECT="false",
            DJANGO_SECURE_HSTS_SECONDS="0",
        ),
        "weak key": check_deploy(tmp_path, DJANGO_SECRET_KEY="x"),
    }
    results = {
        name: (run.wait(timeout=120), *run.communicate()) for name, run in runs.items()
    }

    code, out, err = results["documented"]
    assert (code, out.strip()) == (
        0,
        "System check identified no issues (0 silenced).",
    ), err
    code, out, err = results["proxy redirects"]
    # W008 (no SSL redirect) and W004 (no HSTS) are the proxy's job, said so explicitly.
    assert (code, out.strip()) == (
        0,
        "System check identified no issues (2 silenced).",
    ), err
    code, out, err = results["weak key"]
    assert code == 1
    assert "WARNINGS" not in err
    assert err.count("(hotline_perf.E") == 1
    assert (
        "?: (hotline_perf.E002) DJANGO_SECRET_KEY 太弱：至少 50 个字符、5 种不同字符，"
        "且不以 django-insecure- 开头。" in err
    )
