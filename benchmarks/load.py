"""Benchmark (not a test): the production stack under 50 simultaneous users.

One command does it all:

    .venv/bin/python benchmarks/load.py [--users 50] [--seconds 60] [--spawn-rate 5]

1. starts a throw-away PostgreSQL on loopback (``scripts/postgres.sh``, port
   ``--postgres-port``) and removes it afterwards;
2. fills it, on the production settings, with the seeds and the 10,000 generated projects of
   ``benchmarks/pages.py`` (its ``generate``: 100 hotline centres, each project with a budget
   year of three lines and a target form of seven indicators), and one account per simulated
   user (no demo account: production refuses to start with those);
3. starts the production command (``scripts/serve`` without its install step:
   ``python -m core.serve`` — the configuration checks, migrate, collectstatic, gunicorn and
   the task workers under its supervisor) on 127.0.0.1 with the documented production
   variables (``DATABASE_CONN_MAX_AGE=60``, docs/production.md's example: see ``--conn-max-age``),
   reached as the documented reverse proxy reaches it: every request carries
   ``X-Forwarded-Proto: https`` and ``X-Forwarded-For``, and the secure cookies are sent back
   as the browser behind the TLS proxy sends them;
4. runs locust (headless, in this process) with ``--users`` users of mixed roles — finance
   bureau, department, hotline centres, evaluators and experts, on the generated data and on
   the seed organisations: each logs in through the login form (logins spread at
   ``--spawn-rate`` per second), loads the static files of its first page as a browser with
   an empty cache does, then, every 1 to 3 s, opens one of its role's pages or (about 5 % of
   the requests) saves a form: a target indicator's value or a budget year's figures, through
   the real page forms with their CSRF token;
5. prints, for the ``--seconds`` that follow the last login, the requests, failures and the
   50th/95th/99th percentiles in milliseconds of every page, then the logins and the totals.
   A failure is an HTTP error, a lost session (a redirect to the login page) or a save that
   did not take. Beside each page, the server's own time for it (the ``duration_ms`` of its
   line in the request log, found by the ``X-Request-ID`` sent): what the view cost, without
   the wait for a free worker. Then the CPU seconds the web processes, the task workers,
   PostgreSQL, locust and the rest of the machine used in the window (on a shared machine
   the last says how much the figures were disturbed).

The percentiles are computed from every response time (not locust's rounded histogram).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# benchmarks/pages.py generate(): project n belongs to unit n % 100
PROJECTS_PER_UNIT = 100
YEAR = 2022  # the generated budget years and target forms
PAGE_SIZE = 25  # the target forms list
PASSWORD_ENV = "HOTLINE_PERF_LOAD_PASSWORD"


# --- who the simulated users are ------------------------------------------------------


@dataclass(frozen=True)
class Persona:
    username: str
    organisation: str  # organisation code
    role: str  # accounts.models.Role value
    kind: str  # which pages it opens (see PAGES)


def roster(count: int) -> list[Persona]:
    """``count`` accounts in a mix that stays the same at any size: of every 50, 10 finance
    (8 on the generated Tianjin data, 2 Panjin), 5 department, 25 hotline centres (24 of the
    generated units, the seed Tianjin centre), 8 evaluators (Tianjin, Panjin), 2 experts."""
    pattern = (
        ["finance"] * 8
        + ["finance-pj"] * 2
        + ["department"] * 5
        + ["unit"] * 24
        + ["unit-seed"]
        + ["evaluator-tj"] * 4
        + ["evaluator-pj"] * 4
        + ["expert"] * 2
    )
    # interleave so that a short run (--users 10) still has every role
    order = sorted(range(len(pattern)), key=lambda i: (i * 7) % len(pattern))
    organisations = {
        "finance": ("tj-czj", "finance"),
        "finance-pj": ("pj-czj", "finance"),
        "department": ("tj-zwfw", "department"),
        "unit-seed": ("tj-8890", "unit"),
        "evaluator-tj": ("tj-evaluator", "evaluator"),
        "evaluator-pj": ("pj-yshj", "evaluator"),
        "expert": ("tj-czj", "expert"),
    }
    people = []
    units = 0
    for n in range(count):
        kind = pattern[order[n % len(pattern)]]
        if kind == "unit":
            organisation, role = f"bench-unit-{units % PROJECTS_PER_UNIT}", "unit"
            units += 1
        else:
            organisation, role = organisations[kind]
        people.append(Persona(f"load-{kind}-{n:03d}", organisation, role, kind))
    return people


# --- 2. the data (run in a child process on the production settings) -------------------


def build(projects: int, users: int) -> None:
    """Migrate, load the seeds and ``benchmarks/pages.py``'s generated projects, create the
    simulated users; runs with DJANGO_SETTINGS_MODULE and DATABASE_URL set by ``main``."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import pages  # django.setup() on the settings of the environment
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import ExpertAssignment, Membership
    from budgets.models import Organisation
    from core.seeding import seeds_load
    from evaluations.models import Evaluation

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    seeds_load()
    pages.generate(projects)
    password = make_password(os.environ[PASSWORD_ENV])  # hashed once, for every account
    organisations = {o.code: o for o in Organisation.objects.all()}
    tianjin = Evaluation.objects.get(code="tianjin-2020")
    for person in roster(users):
        user = User.objects.create(username=person.username, password=password)
        Membership.objects.create(
            user=user,
            organisation=organisations[person.organisation],
            role=person.role,
        )
        if person.role == "expert":
            ExpertAssignment.objects.create(user=user, evaluation=tianjin)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the statistics a live database keeps
    print(
        f"    {projects} generated projects, seeds and {users} accounts "
        f"in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


# --- 1. and 3. PostgreSQL and the server ------------------------------------------------


@contextmanager
def postgres(port: int) -> Iterator[tuple[str, Path]]:
    """A throw-away PostgreSQL cluster on 127.0.0.1:``port`` (scripts/postgres.sh): its URL
    and its data directory."""
    script = ROOT / "scripts" / "postgres.sh"
    out = subprocess.run(
        [
            "bash",
            "-c",
            f"set -e; source {shlex.quote(str(script))}; postgres_start; "
            'echo "PGTEST_DIR=$PGTEST_DIR"; echo "PGTEST_BINDIR=$PGTEST_BINDIR"; '
            'echo "POSTGRES_URL=$POSTGRES_URL"',
        ],
        env={**os.environ, "POSTGRES_PORT": str(port)},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    print(out.splitlines()[0], flush=True)
    found = dict(
        line.split("=", 1)
        for line in out.splitlines()
        if line.startswith(("PGTEST_", "POSTGRES_URL="))
    )
    try:
        yield found["POSTGRES_URL"], Path(found["PGTEST_DIR"]) / "data"
    finally:
        subprocess.run(
            [
                "bash",
                "-c",
                f"source {shlex.quote(str(script))}; postgres_stop",
            ],
            env={**os.environ, **found},
            check=False,
        )


def production_environment(
    database_url: str,
    scratch: Path,
    port: int,
    workers: int | None,
    conn_max_age: int,
) -> dict[str, str]:
    """The documented production variables (docs/production.md), on loopback."""
    (scratch / "media").mkdir()
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hotline_perf.settings.prod",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": str(conn_max_age),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HOTLINE_PERF_MEDIA_ROOT": str(scratch / "media"),
        "HOTLINE_PERF_STATIC_ROOT": str(scratch / "static"),
        "HOTLINE_PERF_BIND": f"127.0.0.1:{port}",
        **({"HOTLINE_PERF_WEB_WORKERS": str(workers)} if workers else {}),
        "PYTHONUNBUFFERED": "1",
    }


def server_command() -> list[str]:
    """The production command without its install step: ``scripts/serve`` runs
    ``scripts/install`` and then this (checks, migrate, collectstatic, gunicorn and the task
    workers under its supervisor)."""
    return [sys.executable, "-m", "core.serve"]


@contextmanager
def server(command: list[str], env: dict[str, str], log: Path) -> Iterator[int]:
    """The server's process, leader of a session of its own (its gunicorn and workers)."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process.pid
    finally:
        process.send_signal(signal.SIGTERM)  # the supervisor stops its processes
        try:
            process.wait(45)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- 4. what a user does -----------------------------------------------------------------


class Forms(HTMLParser):
    """The forms of a page and the fields a browser would submit with each: inputs inside
    the form and those naming it with ``form="id"``; disabled fields and buttons left out."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._by_id: dict[str, dict[str, Any]] = {}
        self._orphans: list[tuple[str, str, str]] = []
        self._current: dict[str, Any] | None = None
        self._select: tuple[Any, str, list[str]] | None = None
        self._textarea: tuple[Any, str, list[str]] | None = None
        self.feed(html)
        for owner, name, value in self._orphans:
            if owner in self._by_id:
                self._by_id[owner]["fields"].append((name, value))

    def by_action(self, pattern: str) -> list[dict[str, Any]]:
        return [f for f in self.forms if re.search(pattern, f["action"])]

    def by_id(self, form_id: str) -> dict[str, Any]:
        return self._by_id[form_id]

    def _owner(self, attrs: dict[str, str | None]) -> dict[str, Any] | str | None:
        owner = attrs.get("form")
        return owner if owner else self._current

    def _add(self, owner: dict[str, Any] | str | None, name: str, value: str) -> None:
        if isinstance(owner, str):
            self._orphans.append((owner, name, value))
        elif owner is not None:
            owner["fields"].append((name, value))

    def handle_starttag(
        self, tag: str, attr_list: list[tuple[str, str | None]]
    ) -> None:
        attrs = dict(attr_list)
        if tag == "form":
            self._current = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "fields": [],
            }
            self.forms.append(self._current)
            if attrs.get("id"):
                self._by_id[str(attrs["id"])] = self._current
            return
        name = attrs.get("name")
        if not name or "disabled" in attrs:
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self._add(self._owner(attrs), name, attrs.get("value") or "")
        elif tag == "select":
            self._select = (self._owner(attrs), name, [])
        elif tag == "option" and self._select is not None:
            value = attrs.get("value") or ""
            if "selected" in attrs or not self._select[2]:
                self._select[2][:] = [value]
        elif tag == "textarea":
            self._textarea = (self._owner(attrs), name, [])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[2].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None
        elif tag == "select" and self._select is not None:
            owner, name, chosen = self._select
            self._add(owner, name, chosen[0] if chosen else "")
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            owner, name, text = self._textarea
            self._add(owner, name, "".join(text).removeprefix("\n"))
            self._textarea = None


def replaced(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    return [(n, values.get(n, v)) for n, v in fields]


def own_projects(person: Persona, projects: int) -> list[int]:
    """The generated projects a unit owns, or the slice a finance user edits (disjoint from
    every other user's, so that no two simulated users save the same form)."""
    if person.kind == "unit":
        unit = int(person.organisation.rsplit("-", 1)[1])
        return list(range(unit, projects, PROJECTS_PER_UNIT))
    number = int(person.username.rsplit("-", 1)[1])
    return list(range(PROJECTS_PER_UNIT - 1 - number % 50, projects, PROJECTS_PER_UNIT))


def pages_for(
    person: Persona, projects: int
) -> list[tuple[int, str, Callable[[], str]]]:
    """(weight, page name, URL) of what ``person`` opens."""
    any_form = lambda: f"bench-{random.randrange(projects)}"  # noqa: E731
    mine = own_projects(person, projects)
    own = lambda: f"bench-{random.choice(mine)}"  # noqa: E731
    last = (projects + PAGE_SIZE - 1) // PAGE_SIZE
    if person.kind == "finance":
        return [
            (2, "home", lambda: "/"),
            (3, "target forms list", lambda: "/targets/"),
            (
                3,
                "target forms list, any page",
                lambda: f"/targets/?page={random.randint(1, last)}",
            ),
            (
                1,
                "target forms list, sorted, filtered",
                lambda: f"/targets/?sort=project&year={YEAR}&q=热线",
            ),
            (2, "budgets list", lambda: "/budgets/"),
            (2, "projects dashboard", lambda: f"/dashboards/projects/?year={YEAR}"),
            (1, "operating data home", lambda: "/operations/"),
            (1, "monitoring index", lambda: "/operations/monitoring/"),
            (1, "evaluations list", lambda: "/evaluations/"),
            (3, "target form", lambda: f"/targets/{any_form()}/"),
            (2, "budget year", lambda: f"/budgets/{any_form()}/{YEAR}/"),
            (1, "target form (seed, 3-year review)", lambda: "/targets/tianjin-2020/"),
        ]
    if person.kind == "finance-pj":
        return [
            (2, "home", lambda: "/"),
            (2, "target forms list", lambda: "/targets/"),
            (2, "budgets list", lambda: "/budgets/"),
            (1, "evaluations list", lambda: "/evaluations/"),
            (1, "evaluation", lambda: "/evaluations/panjin-2023/"),
            (1, "projects dashboard", lambda: "/dashboards/projects/"),
        ]
    if person.kind == "department":
        return [
            (2, "home", lambda: "/"),
            (3, "target forms list", lambda: "/targets/"),
            (
                2,
                "target forms list, any page",
                lambda: f"/targets/?page={random.randint(1, last)}",
            ),
            (2, "budgets list", lambda: "/budgets/"),
            (3, "target form", lambda: f"/targets/{any_form()}/"),
            (2, "budget year", lambda: f"/budgets/{any_form()}/{YEAR}/"),
            (1, "projects dashboard", lambda: f"/dashboards/projects/?year={YEAR}"),
        ]
    if person.kind == "unit":
        return [
            (2, "home", lambda: "/"),
            (2, "target forms list", lambda: "/targets/"),
            (4, "target form", lambda: f"/targets/{own()}/"),
            (1, "target form monitoring", lambda: f"/targets/{own()}/monitoring/"),
            (1, "target form history", lambda: f"/targets/{own()}/history/"),
            (1, "budgets list", lambda: "/budgets/"),
            (3, "budget year", lambda: f"/budgets/{own()}/{YEAR}/"),
            (
                1,
                "unit dashboard",
                lambda: f"/dashboards/units/{person.organisation}/",
            ),
            (1, "operating data home", lambda: "/operations/"),
        ]
    if person.kind == "unit-seed":
        return [
            (2, "home", lambda: "/"),
            (2, "target forms list", lambda: "/targets/"),
            (3, "target form (seed, 3-year review)", lambda: "/targets/tianjin-2020/"),
            (
                1,
                "target form monitoring",
                lambda: "/targets/tianjin-2020/monitoring/",
            ),
            (1, "target form history", lambda: "/targets/tianjin-2020/history/"),
            (2, "budget year", lambda: "/budgets/tianjin-2020/2020/"),
            (1, "unit dashboard", lambda: "/dashboards/units/tj-8890/"),
            (1, "operating data home", lambda: "/operations/"),
        ]
    if person.kind.startswith("evaluator"):
        code = "tianjin-2020" if person.kind == "evaluator-tj" else "panjin-2023"
        return [
            (2, "home", lambda: "/"),
            (2, "evaluations list", lambda: "/evaluations/"),
            (5, "evaluation", lambda: f"/evaluations/{code}/"),
        ]
    assert person.kind == "expert", person
    return [
        (2, "home", lambda: "/"),
        (2, "evaluations list", lambda: "/evaluations/"),
        (3, "evaluation", lambda: "/evaluations/tianjin-2020/"),
        (3, "expert review", lambda: "/reviews/evaluations/tianjin-2020/"),
    ]


# the chance that a writing user's next action is a save: ~5 % of all requests are saves
WRITE_CHANCE = 0.085
WRITERS = {"finance", "unit"}


def user_class(
    host: str, people: list[Persona], projects: int, write_chance: float
) -> type:
    from locust import HttpUser, between, task

    origin = (
        f"https://{host.split('//', 1)[1]}"  # what the browser sees, through the proxy
    )

    class Person(HttpUser):
        wait_time = between(1, 3)

        def on_start(self) -> None:
            self.person = people[Person.joined % len(people)]
            Person.joined += 1
            self.client.headers.update(
                {
                    # what the documented proxy adds (deploy/): the scheme the browser
                    # used and the browser's address, one per simulated user
                    "X-Forwarded-Proto": "https",
                    "X-Forwarded-For": f"10.1.{Person.joined // 250}.{Person.joined % 250 + 1}",
                    "Accept-Language": "zh-hans",
                }
            )
            self.pages = pages_for(self.person, projects)
            self.weights = [weight for weight, _, _ in self.pages]
            self.mine = own_projects(self.person, projects)
            self.login()

        def send(
            self,
            method: str,
            url: str,
            name: str,
            expect: int = 200,
            login_required: bool = True,
            **options: Any,
        ) -> str:
            """One request as the browser behind the proxy makes it; a failure if the
            status is not ``expect`` or the session was lost."""
            Person.sent += 1
            request_id = f"load-{Person.sent}"  # the proxy's id, in the server's log
            options.setdefault("headers", {})["X-Request-ID"] = request_id
            with self.client.request(
                method,
                url,
                name=name,
                catch_response=True,
                allow_redirects=False,
                context={"request_id": request_id},
                **options,
            ) as response:
                if response.status_code != expect:
                    response.failure(f"{response.status_code} {url}")
                elif login_required and "/accounts/login/" in response.headers.get(
                    "Location", ""
                ):
                    response.failure(f"sent to the login page: {url}")
                text: str = response.text
            # The browser talks HTTPS to the proxy and sends its secure cookies; the proxy
            # passes them on over loopback HTTP, where requests would keep them back.
            for cookie in self.client.cookies:
                cookie.secure = False
            return text

        def get(self, url: str, name: str, login_required: bool = True) -> str:
            return self.send(
                "GET",
                url,
                name,
                login_required=login_required,
                headers={"Referer": f"{origin}/"},
            )

        def post(
            self, url: str, name: str, data: list[tuple[str, str]], **options: Any
        ) -> str:
            headers = {"Origin": origin, "Referer": f"{origin}{url}"}
            headers.update(options.pop("headers", {}))
            return self.send("POST", url, name, data=data, headers=headers, **options)

        def login(self) -> None:
            page = self.get("/accounts/login/", "login page", login_required=False)
            form = Forms(page).by_action(r"/accounts/login/")[0]
            fields = replaced(
                form["fields"],
                username=self.person.username,
                password=os.environ[PASSWORD_ENV],
            )
            self.post("/accounts/login/", "login (POST)", fields, expect=302)
            home = self.get("/", "home")
            for asset in sorted(
                set(re.findall(r'(?:href|src)="(/static/[^"]+)"', home))
            ):
                self.get(asset, "static files (first visit)", login_required=False)
            Person.logged_in += 1
            if Person.logged_in >= Person.expected:
                Person.all_in.set()

        @task
        def act(self) -> None:
            if self.person.kind in WRITERS and random.random() < Person.write_chance:
                if self.person.kind == "unit" and random.random() < 0.5:
                    self.save_indicator()
                else:
                    self.save_budget()
                return
            _, name, url = random.choices(self.pages, weights=self.weights)[0]
            self.get(url(), name)

        def save_indicator(self) -> None:
            """A centre changes its 接通率 target in the grid, as the page's script posts it
            (the answer is the re-rendered grid)."""
            code = f"bench-{random.choice(self.mine)}"
            page = Forms(self.get(f"/targets/{code}/", "target form"))
            for form in page.by_action(rf"/targets/{code}/indicators/\d+/$"):
                if ("name", "接通率") in form["fields"]:
                    break
            else:
                raise AssertionError(f"{code}: no 接通率 indicator to edit")
            value = f"≥{random.randint(90, 99)}%"
            grid = self.post(
                form["action"],
                "save target indicator (POST)",
                replaced(form["fields"], value=value),
                headers={"X-Requested-With": "fetch"},
            )
            if f'value="{value}"' not in grid:
                raise AssertionError(f"{code}: the saved {value} is not in the grid")

        def save_budget(self) -> None:
            """A centre records its expenditure; the bureau adds a supplementary budget."""
            code = f"bench-{random.choice(self.mine)}"
            url = f"/budgets/{code}/{YEAR}/"
            form = Forms(self.get(url, "budget year")).by_id("budget-form")
            change = (
                {"expenditure": f"{random.randint(300, 900)}.00"}
                if self.person.kind == "unit"
                else {"addition": f"{random.randint(0, 100)}.00"}
            )
            self.post(
                url,
                "save budget figures (POST)",
                replaced(form["fields"], **change),
                expect=302,
            )
            self.get(url, "budget year")

    Person.host = host
    Person.write_chance = write_chance
    Person.joined = 0
    Person.logged_in = 0
    Person.sent = 0
    Person.expected = len(people)
    return Person


# --- 5. figures ----------------------------------------------------------------------------


def cpu_seconds(session: int, postmaster: int) -> dict[str, float]:
    """CPU time used so far by the server's web processes (the supervisor, gunicorn and its
    workers), its task workers, PostgreSQL (the server and every backend, ended ones
    included), this process (locust), and by the whole machine (/proc/stat)."""
    ticks = dict.fromkeys(("web", "task workers", "PostgreSQL"), 0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # ended meanwhile
        # after the command's ")": state ppid pgrp session … utime(11) stime cutime cstime
        fields = text[text.rindex(")") + 2 :].split()
        pid, parent, own = (
            int(entry.name),
            int(fields[1]),
            int(fields[11]) + int(fields[12]),
        )
        if int(fields[3]) == session:
            ticks["task workers" if b"run_worker" in command else "web"] += own
        elif pid == postmaster:
            ticks["PostgreSQL"] += own + int(fields[13]) + int(fields[14])
        elif parent == postmaster:
            ticks["PostgreSQL"] += own
    clock = os.sysconf("SC_CLK_TCK")
    used = {name: value / clock for name, value in ticks.items()}
    mine = os.times()
    used["load generator"] = mine.user + mine.system
    # cpu  user nice system idle iowait irq softirq steal …
    total = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    used["machine"] = (sum(total) - total[3] - total[4]) / clock
    return used


def percentile(samples: list[float], share: float) -> float:
    return samples[min(len(samples) - 1, round(share * (len(samples) - 1)))]


@dataclass(frozen=True)
class Sample:
    name: str
    start: float  # seconds since the epoch
    elapsed: float  # ms, as the client saw it
    failed: bool
    request_id: str


def server_times(log: Path) -> dict[str, float]:
    """Request id → the view's own duration in ms, from the server's request log
    (core/request_log.py): the time spent in the application, without the wait
    for a free worker."""
    times = {}
    for line in log.read_text(errors="replace").splitlines():
        if '"duration_ms"' not in line:
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if "request_id" in entry and "duration_ms" in entry:
            times[entry["request_id"]] = float(entry["duration_ms"])
    return times


def report(
    samples: list[Sample],
    title: str,
    seconds: float,
    server: dict[str, float],
    markdown: bool = False,
) -> None:
    """Per page: requests, failures, the client's p50/p95/p99/max and the server's p50/p95
    (ms); with ``markdown``, also as the rows of a Markdown table."""
    pages: dict[str, list[Sample]] = {}
    for sample in samples:
        pages.setdefault(sample.name, []).append(sample)
    rows = []
    for name in sorted(pages):
        times = sorted(s.elapsed for s in pages[name])
        own = sorted(
            server[s.request_id] for s in pages[name] if s.request_id in server
        )
        rows.append(
            (
                name,
                len(times),
                sum(s.failed for s in pages[name]),
                *(percentile(times, share) for share in (0.5, 0.95, 0.99)),
                times[-1],
                f"{percentile(own, 0.5):.0f} / {percentile(own, 0.95):.0f}"
                if own
                else "",
            )
        )
    print(f"\n{title}")
    print(
        f"{'page':42} {'requests':>8} {'failures':>8} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'max ms':>7} {'server p50 / p95':>16}"
    )
    for name, count, failed, p50, p95, p99, most, own_times in rows:
        mark = "  ← p95 over 200 ms" if p95 > 200 else ""
        print(
            f"{name:42} {count:8d} {failed:8d} {p50:7.0f} {p95:7.0f} {p99:7.0f} "
            f"{most:7.0f} {own_times:>16}{mark}"
        )
    if seconds:
        print(
            f"{'all':42} {len(samples):8d} {sum(s.failed for s in samples):8d}"
            f"   ({len(samples) / seconds:.1f} requests/s)"
        )
    if markdown:
        print()
        for name, count, failed, p50, p95, p99, most, own_times in rows:
            print(
                f"| {name} | {count:,} | {failed} | {p50:.0f} | {p95:.0f} | {p99:.0f} "
                f"| {most:.0f} | {own_times} |"
            )


def run_load(
    host: str,
    people: list[Persona],
    projects: int,
    seconds: float,
    spawn_rate: float,
    write_chance: float,
    log: Path,
    markdown: bool,
    cpu: Callable[[], dict[str, float]],
) -> int:
    import gevent
    from gevent.event import Event
    from locust.env import Environment

    person = user_class(host, people, projects, write_chance)
    person.all_in = Event()
    environment = Environment(user_classes=[person])
    samples: list[Sample] = []

    def record(
        request_type: str,
        name: str,
        response_time: float,
        exception: BaseException | None = None,
        start_time: float = 0.0,
        context: dict[str, str] | None = None,
        **_: Any,
    ) -> None:
        request_id = (context or {}).get("request_id", "")
        samples.append(
            Sample(name, start_time, response_time, exception is not None, request_id)
        )
        if exception is not None:
            print(f"    failure: {request_type} {name}: {exception}", flush=True)

    environment.events.request.add_listener(record)
    runner = environment.create_local_runner()
    started = time.time()
    runner.start(len(people), spawn_rate=spawn_rate)
    deadline = started + len(people) / spawn_rate + 5 * len(people) + 60
    while not person.all_in.wait(timeout=10):
        print(f"    {person.logged_in} of {len(people)} users logged in", flush=True)
        if time.time() > deadline:
            print("    giving up waiting for the others")
            break
    steady = time.time()
    cpu_before = cpu()
    print(
        f"    {person.logged_in} users logged in over {steady - started:.1f} s; "
        f"measuring {seconds:.0f} s",
        flush=True,
    )
    gevent.sleep(seconds)
    cpu_used = {k: v - cpu_before[k] for k, v in cpu().items()}
    runner.quit()
    end = steady + seconds
    gevent.sleep(1)  # the last log lines
    server = server_times(log)

    login_names = {"login page", "login (POST)", "static files (first visit)"}
    logins = [s for s in samples if s.name in login_names]
    during = [
        s
        for s in samples
        if s.name not in login_names
        and steady <= s.start
        and s.start + s.elapsed / 1000 <= end
    ]
    report(
        during,
        f"{seconds:.0f} s after the last login, {len(people)} users "
        "(server: the view's own time, from the request log):",
        seconds,
        server,
        markdown,
    )
    writes = sum(1 for s in during if "(POST)" in s.name)
    print(
        f"saves: {writes} of {len(during)} requests "
        f"({100 * writes / max(len(during), 1):.1f} %)"
    )
    ours = sum(v for k, v in cpu_used.items() if k != "machine")
    print(
        f"CPU seconds used in these {seconds:.0f} s ({os.cpu_count()} cores: "
        f"{(os.cpu_count() or 1) * seconds:.0f} available): "
        + ", ".join(f"{k} {v:.1f}" for k, v in cpu_used.items() if k != "machine")
        + f"; the whole machine {cpu_used['machine']:.1f}, of which other processes "
        f"{max(0.0, cpu_used['machine'] - ours):.1f}"
    )
    report(
        logins, f"logins, spread over {steady - started:.1f} s:", 0, server, markdown
    )
    failures = sum(1 for s in samples if s.failed)
    print(f"\nfailures over the whole run: {failures} of {len(samples)} requests")
    errors = sum(e["count"] for e in runner.exceptions.values())
    for error in runner.exceptions.values():
        print(f"    error in a user's task ({error['count']}×): {error['msg']}")
    return failures + errors


def wait_until_up(url: str, log: Path, timeout: float = 120) -> None:
    import requests

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if (
                requests.get(
                    url, headers={"X-Forwarded-Proto": "https"}, timeout=5
                ).status_code
                == 200
            ):
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    sys.exit(f"the server did not answer {url}; its log:\n{log.read_text()[-3000:]}")


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    return f"{os.cpu_count()} CPU ({cpu}), load average {os.getloadavg()[0]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--spawn-rate", type=float, default=5, help="logins per second")
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--port", type=int, default=8431, help="the server's port")
    parser.add_argument("--postgres-port", type=int, default=54331)
    parser.add_argument(
        "--workers", type=int, help="gunicorn workers (default: scripts/serve's)"
    )
    parser.add_argument(
        "--write-chance",
        type=float,
        default=WRITE_CHANCE,
        help="the chance that a finance or centre user's next action is a save",
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="DATABASE_CONN_MAX_AGE, docs/production.md's example (0, the default, opens a "
        "PostgreSQL connection per request: three times the database's CPU)",
    )
    parser.add_argument(
        "--markdown", action="store_true", help="the tables' rows in Markdown too"
    )
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build(args.projects, args.users)
        return

    from gevent import monkey

    monkey.patch_all()
    print(f"machine: {machine()}", flush=True)
    print(
        f"    {args.users} users, {args.seconds:.0f} s after the logins, "
        f"DATABASE_CONN_MAX_AGE={args.conn_max_age}",
        flush=True,
    )
    people = roster(args.users)
    os.environ[PASSWORD_ENV] = secrets.token_urlsafe(16)
    with (
        tempfile.TemporaryDirectory(prefix="hotline_perf_load.") as scratch,
        postgres(args.postgres_port) as (database_url, data),
    ):
        env = production_environment(
            database_url, Path(scratch), args.port, args.workers, args.conn_max_age
        )
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--build",
                f"--projects={args.projects}",
                f"--users={args.users}",
            ],
            env=env,
            check=True,
        )
        command = server_command()
        print(f"    server: {' '.join(command)}", flush=True)
        log = Path(scratch) / "server.log"
        host = f"http://127.0.0.1:{args.port}"
        with server(command, env, log) as session:
            wait_until_up(f"{host}/accounts/login/", log)
            postmaster = int((data / "postmaster.pid").read_text().split()[0])
            failures = run_load(
                host,
                people,
                args.projects,
                args.seconds,
                args.spawn_rate,
                args.write_chance,
                log,
                args.markdown,
                lambda: cpu_seconds(session, postmaster),
            )
        errors = [
            line
            for line in log.read_text(errors="replace").splitlines()
            if any(word in line for word in ("Traceback", '"ERROR"', '"WARNING"'))
            and "shutting down" not in line  # the workers, told to stop at the end
        ]
        if errors:
            print(f"server log: {len(errors)} warnings or errors, the first:")
            print("\n".join(line[:1500] for line in errors[:5]))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
