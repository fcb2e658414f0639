"""Screenshot pages of a running dev server as a logged-in user, for a person to look at.

Usage: .venv/bin/python scripts/screenshot.py USERNAME PASSWORD OUT_DIR PATH [PATH ...]
(the server: .venv/bin/python manage.py runserver; Debian's chromium at /usr/bin/chromium).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = "http://127.0.0.1:8000"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main(username: str, password: str, out_dir: str, *paths: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(f"{BASE}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        for path in paths:
            page.goto(f"{BASE}{path}")
            name = path.strip("/").replace("/", "_") or "home"
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            print(out / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
