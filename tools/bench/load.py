"""The load figure: N concurrent signed-in users for S seconds against gunicorn on the bench database.

What production runs: gunicorn with the Dockerfile's worker count, DEBUG off, collected static files.
Each virtual user logs in through the real form before the clock starts (a session cookie of its own)
and then requests pages back to back, no think time, in a mix shaped like a working day: reps mostly on
today, managers on their team board, ops on the organisation board, everyone now and then on the KPI
sheet. The client is a thread per user on the same machine, so its own cost is in the figures.

Server-side times come from gunicorn's access log (%(D)s: microseconds from request read to response
written, per request), client-side ones from the threads. Figures: errors (any status but 200, or a
connection error), requests/s, client p50/p95, and per page the server p50/p95; the today page's server
p50 has the goal < 40 ms.
"""

import http.client
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from accounts.models import Team, User

from .generate import PASSWORD
from .measure import Emitter, median, p95

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3  # the Dockerfile's gunicorn --workers
TODAY_GOAL_MS = 40


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    auth = urllib.parse.quote(db.get("USER") or "postgres")
    if db.get("PASSWORD"):
        auth += ":" + urllib.parse.quote(db["PASSWORD"])
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def _server_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "CACHE_"))}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on the loopback: no TLS proxy in front here.
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        DATABASE_URL=_database_url(),
        CELERY_BROKER_URL="",
        # The login budget is per username and address: 50 logins from one address are not an attack.
        AXES_FAILURE_LIMIT="1000",
    )
    if os.environ.get("BENCH_CACHE_URL"):
        env["CACHE_URL"] = os.environ["BENCH_CACHE_URL"]  # e.g. redis://127.0.0.1:6379/1, as docker-compose
    return env


class Session:
    """One virtual user: its own cookies, one HTTP/1.1 connection per request (gunicorn's sync workers
    close the connection after each response)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "127.0.0.1", "Referer": f"http://127.0.0.1:{self.port}/"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, value = cookie.split(";", 1)[0].partition("=")
                self.cookies[name.strip()] = value
            return response.status, text
        finally:
            conn.close()

    def login(self, email: str) -> None:
        status, html = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or not token:
            raise RuntimeError(f"login page answered {status}")
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            {"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {email} answered {status}")


def _cast(users: int) -> list[tuple[str, list[tuple[str, str, int]]]]:
    """(email, [(page, path, weight)]) per virtual user: 80% reps, 15% managers, 5% ops."""
    teams = list(Team.objects.order_by("pk"))
    reps = list(User.objects.filter(role=User.Role.REP).order_by("pk").values_list("email", "team_id"))
    managers = [(t.managers.order_by("pk").first(), t) for t in teams]
    ops = User.objects.filter(role=User.Role.OPS).order_by("pk").first()
    n_managers = max(1, round(users * 0.15))
    n_ops = max(1, round(users * 0.05))
    n_reps = users - n_managers - n_ops
    cast = []
    for i in range(n_reps):
        email, team_id = reps[i % len(reps)]
        mix = [("today", "/today/", 70), ("team_board", f"/teams/{team_id}/", 15), ("kpi_sheet", "/kpi-sheet/", 15)]
        cast.append((email, mix))
    for i in range(n_managers):
        manager, team = managers[i % len(managers)]
        mix = [
            ("team_board", f"/teams/{team.pk}/", 50),
            ("team_board_week", f"/teams/{team.pk}/?g=week", 15),
            ("today", "/today/", 15),
            ("kpi_sheet", "/kpi-sheet/", 20),
        ]
        cast.append((manager.email, mix))
    for _ in range(n_ops):
        mix = [
            ("org_board", "/org/", 60),
            ("team_board", f"/teams/{teams[0].pk}/", 20),
            ("kpi_sheet", "/kpi-sheet/", 20),
        ]
        cast.append((ops.email, mix))
    return cast


def _collectstatic(env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)


def _start(env: dict, port: int, access_log: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "isales.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--backlog",
            "256",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(r)s|%(s)s|%(D)s",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(120):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.25)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def _server_times(access_log: Path, since_line: int, paths: dict[str, str]) -> dict[str, list[float]]:
    """Server ms per page name, from the access log lines written during the measured window."""
    by_path = defaultdict(list)
    lines = access_log.read_text().splitlines()[since_line:]
    for line in lines:
        try:
            request, status, micros = line.rsplit("|", 2)
            path = request.split(" ")[1]
        except (ValueError, IndexError):
            continue
        if status == "200" and path in paths:
            by_path[paths[path]].append(int(micros) / 1000)
    return by_path


def load_figures(out: Emitter, *, users: int = 50, duration: float = 60.0) -> None:
    env = _server_env()
    _collectstatic(env)
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="isales-load-") as tmp:
        access_log = Path(tmp) / "access.log"
        server = _start(env, port, access_log)
        try:
            cast = _cast(users)
            # The server checks passwords with production's hasher, whatever this process was set up with.
            hasher = PBKDF2PasswordHasher()
            User.objects.filter(email__in={email for email, _ in cast}).update(
                password=hasher.encode(PASSWORD, hasher.salt())
            )
            sessions = []
            for email, mix in cast:
                session = Session(port)
                session.login(email)
                sessions.append((session, mix))
            # Warm every page once per session (first render, per-process caches), outside the clock.
            for session, mix in sessions:
                for _, path, _ in mix:
                    session.request("GET", path)
            log_start = len(access_log.read_text().splitlines())
            results, errors, lock = [], defaultdict(int), threading.Lock()
            deadline = time.monotonic() + duration
            start = time.monotonic()

            def work(session: Session, mix: list, seed: int) -> None:
                rng = random.Random(seed)
                names = [(name, path) for name, path, _ in mix]
                weights = [w for _, _, w in mix]
                while time.monotonic() < deadline:
                    name, path = rng.choices(names, weights)[0]
                    began = time.perf_counter()
                    try:
                        status, _ = session.request("GET", path)
                    except OSError as error:
                        status = type(error).__name__
                    elapsed = (time.perf_counter() - began) * 1000
                    with lock:
                        results.append((name, elapsed))
                        if status != 200:
                            errors[f"{name}:{status}"] += 1

            threads = [
                threading.Thread(target=work, args=(s, mix, i), daemon=True) for i, (s, mix) in enumerate(sessions)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.monotonic() - start
        finally:
            server.terminate()
            server.wait(timeout=30)
        paths = {path: name for _, mix in cast for name, path, _ in mix}
        server_ms = _server_times(access_log, log_start, paths)

    client_ms = [ms for _, ms in results]
    total_errors = sum(errors.values())
    scale = {
        "users": users,
        "seconds": duration,
        "workers": WORKERS,
        "cache": "redis" if "CACHE_URL" in env else "local",
    }
    out.figure("load_requests", len(results), "requests", **scale)
    out.figure("load_errors", total_errors, "errors", goal="0", ok=total_errors == 0, by_page=dict(errors))
    out.figure("load_throughput", len(results) / wall, "req/s", **scale)
    out.figure("load_client_p50", median(client_ms), "ms", **scale)
    out.figure("load_client_p95", p95(client_ms), "ms", **scale)
    for name in sorted(server_ms):
        times = server_ms[name]
        extra = {}
        if name == "today":
            extra = {"goal": f"< {TODAY_GOAL_MS} ms", "ok": median(times) < TODAY_GOAL_MS}
        out.figure(f"load_server_{name}_p50", median(times), "ms", requests=len(times), **extra)
        out.figure(f"load_server_{name}_p95", p95(times), "ms", requests=len(times))
