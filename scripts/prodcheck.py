"""Run what production runs, without Docker: settings with DEBUG off, `check --deploy` failing on any
warning, then gunicorn serving the collected static files, with a login and a page fetched through it.

Run by `make prodcheck` (and so by CI) after scripts/build.sh's steps. Exits non-zero with the reason.
"""

import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = os.environ.get("PYTHON", sys.executable)
PORT = int(os.environ.get("PRODCHECK_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
EMAIL, PASSWORD = "prodcheck@example.jp", secrets.token_urlsafe(16)


def fail(message: str) -> None:
    print(f"prodcheck: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def run(env: dict, *args: str) -> None:
    print("prodcheck: manage.py", args[0], flush=True)
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env)
    if result.returncode:
        fail(f"manage.py {' '.join(args)} exited {result.returncode}")


def production_env(database: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "CACHE_"))}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        # gunicorn is reached over plain HTTP here; the requests say they came through a TLS proxy.
        DJANGO_TRUST_X_FORWARDED_PROTO="true",
        DATABASE_URL=f"sqlite:///{database}",
        CELERY_BROKER_URL="",
    )
    return env


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """Plain HTTP to gunicorn, as if through a TLS proxy: cookies are Secure, so they are kept by hand."""

    def __init__(self):
        self.opener = urllib.request.build_opener(NoRedirect)
        self.cookies: dict[str, str] = {}

    def request(self, path: str, data: dict | None = None):
        headers = {"X-Forwarded-Proto": "https", "Referer": f"https://127.0.0.1:{PORT}/"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            response = self.opener.open(urllib.request.Request(BASE + path, data=body, headers=headers), timeout=10)
        except urllib.error.HTTPError as error:
            response = error
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        return response.status, response.headers, response.read().decode("utf-8", "replace")


def check_served(env: dict) -> None:
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "isales.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2"],
        cwd=ROOT,
        env=env,
    )
    try:
        client = Client()
        for _ in range(60):
            try:
                client.request("/accounts/login/")
                break
            except OSError:
                time.sleep(0.5)
        else:
            fail("gunicorn did not answer within 30 s")
        status, headers, html = client.request("/accounts/login/")
        if status != 200:
            fail(f"GET /accounts/login/ answered {status}")
        for header in ("Content-Security-Policy", "Strict-Transport-Security", "Permissions-Policy"):
            if not headers.get(header):
                fail(f"the login page has no {header} header")
        for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', html) or fail("the login page links no static file"):
            if not re.search(r"\.[0-9a-f]{12}\.", asset):
                fail(f"{asset} is not a collected (hashed) static file")
            if client.request(asset)[0] != 200:
                fail(f"GET {asset} did not answer 200")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        status, _, _ = client.request(
            "/accounts/login/", {"username": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": token}
        )
        if status != 302 or "sessionid" not in client.cookies:
            fail(f"logging in answered {status} without a session")
        for path in ("/today/", "/org/", "/api/docs/", "/api/docs/?script=", "/api/redoc/"):
            status, _, html = client.request(path)
            if status != 200:
                fail(f"GET {path} signed in answered {status}")
            for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
                if client.request(asset)[0] != 200:
                    fail(f"{path}: GET {asset} did not answer 200")
            print(f"prodcheck: GET {path} through gunicorn: 200, its static files 200", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = production_env(Path(tmp) / "prodcheck.sqlite3")
        run(env, "check", "--deploy", "--fail-level", "WARNING")
        run(env, "migrate", "--noinput", "-v0")
        run(
            env,
            "shell",
            "-c",
            "from accounts.models import User; "
            f"User.objects.create_user({EMAIL!r}, {PASSWORD!r}, name='prodcheck', role=User.Role.OPS)",
        )
        check_served(env)
    print("prodcheck: OK (collectstatic, check --deploy, gunicorn, login, pages)")


if __name__ == "__main__":
    main()
