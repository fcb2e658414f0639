"""The supervisor of `scripts/serve` (core/serve.py): a process that exits is
started again, after a pause that doubles while it keeps exiting at once; SIGTERM stops
every process and then the supervisor, cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.integration.deploy.environment import ROOT

DRIVER = """
import sys
from core.serve import Supervisor
counter = sys.argv[1]
sys.exit(Supervisor({
    "quitter": [sys.executable, "-c", f"open({counter!r}, 'a').write('ran\\\\n')"],
    "sleeper": [sys.executable, "-c", "import time; time.sleep(120)"],
}).run())
"""


def test_a_process_that_exits_is_restarted_and_sigterm_stops_all(
    tmp_path: Path,
) -> None:
    counter = tmp_path / "runs"
    supervisor = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(counter)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if counter.exists() and counter.read_text().count("ran") >= 3:
            break
        time.sleep(0.1)
    supervisor.send_signal(signal.SIGTERM)
    _out, err = supervisor.communicate(timeout=40)
    assert supervisor.returncode == 0
    events = [json.loads(line) for line in err.splitlines() if line.startswith("{")]

    restarts = [e for e in events if e["message"] == "exited; restarting"]
    assert [(e["process"], e["returncode"]) for e in restarts[:2]] == [
        ("quitter", 0),
        ("quitter", 0),
    ]
    # It exits at once each time, so the pause doubles: 1 s, then 2 s.
    assert [e["restart_in_seconds"] for e in restarts[:2]] == [1.0, 2.0]
    assert counter.read_text().count("ran") >= 3

    [sleeper] = [
        e["pid"]
        for e in events
        if e["message"] == "started" and e["process"] == "sleeper"
    ]
    assert [e["message"] for e in events[-2:]] == ["stopping", "stopped"]
    try:
        os.kill(sleeper, 0)
    except ProcessLookupError:
        pass
    else:
        raise AssertionError("the sleeper outlived the supervisor")
