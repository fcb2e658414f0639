"""The documented production environment (deploy/hotline-perf.env), for tests that start
the production command or its checks as a subprocess."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def documented_environment() -> dict[str, str]:
    """deploy/hotline-perf.env as systemd reads it (KEY=value lines)."""
    lines = (ROOT / "deploy" / "hotline-perf.env").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    return {key: value for key, value in pairs}


def production_environment(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """This process's environment without its Django settings, then the documented
    production values with a fresh strong key and folders under ``tmp_path``, then
    ``overrides`` (an empty value removes the variable)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "HOTLINE_PERF_", "DATABASE_URL"))
    }
    environment.update(documented_environment())
    environment.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        HOTLINE_PERF_MEDIA_ROOT=str(tmp_path / "media"),
        HOTLINE_PERF_STATIC_ROOT=str(tmp_path / "static"),
    )
    environment.update(overrides)
    return {key: value for key, value in environment.items() if value}
