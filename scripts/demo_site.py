"""A production-like Peernet on this machine, filled with the demo data, for measuring it.

gunicorn serves a fresh SQLite database (in a temporary directory) seeded with
`manage.py seed_demo`, with DEBUG off and the static files collected into WhiteNoise's
compressed manifest storage, as the production image does. Only plain HTTP on 127.0.0.1:
SECURE_SSL_REDIRECT is off. `scripts/audit.py` and `scripts/screenshots.py` use it:

    with demo_site() as site:
        site.base_url, site.cookie (a demo member's session), site.pages["board"] ...

Everything it starts is stopped when the block ends, also on an error or Ctrl-C.
"""

# ruff: noqa: S603
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
HEALTHZ_PATH = "/healthz"
WORKERS = 2
STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
QUIET_LOG_LINES = {"Not Found: /robots.txt"}

# The demo member the member pages are seen as, and the circle they are in (seed_demo).
DEMO_MEMBER_EMAIL = "ana@demo.peernet.localhost"
DEMO_CIRCLE_SLUG = "eastside-mutual-aid"

# Settings of the caller's shell that would point the server elsewhere or out of production
# mode (the suite's own switches, another database, Redis, SMTP): never passed on.
NOT_INHERITED = {
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CELERY_TASK_ALWAYS_EAGER",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "STATIC_ROOT",
    "PEERNET_VAR_DIR",
    "EMAIL_HOST",
    "SITE_URL",
    "SECURE_SSL_REDIRECT",
    "DJANGO_SETTINGS_MODULE",
}

# Run inside `manage.py shell`: a saved session of the demo member and the pages to look at.
DEMO_FACTS = f"""
import json
from django.conf import settings
from django.test import Client
from django.urls import reverse
from circles.models import Circle
from governance.models import Proposal, ProposalKind, ProposalStatus
from peernet.members.models import User

member = User.objects.get(email={DEMO_MEMBER_EMAIL!r})
if LANGUAGE:
    User.objects.filter(pk=member.pk).update(language=LANGUAGE)
circle = Circle.objects.get(slug={DEMO_CIRCLE_SLUG!r})
open_proposals = Proposal.objects.filter(circle=circle, status=ProposalStatus.OPEN).order_by("pk")
proposal = (
    open_proposals.filter(kind=ProposalKind.AMEND_AGREEMENT).first() or open_proposals.first()
)
client = Client()
client.force_login(member)
name = settings.SESSION_COOKIE_NAME
print(json.dumps({{
    "cookie": f"{{name}}={{client.cookies[name].value}}",
    "pages": {{
        "landing": "/",
        "board": reverse("circles:board", args=[circle.slug]),
        "proposal": reverse("governance:proposal", args=[circle.slug, proposal.pk]),
        "circle-home": reverse("circles:home", args=[circle.slug]),
    }},
}}))
"""


@dataclass(frozen=True)
class DemoSite:
    base_url: str
    # A Cookie header value: the demo member's session.
    cookie: str
    # Page name -> path: landing, board, proposal, circle-home.
    pages: dict[str, str]

    def url(self, page: str) -> str:
        return self.base_url + self.pages[page]


def gunicorn_command(port: int, workers: int = WORKERS) -> list[str]:
    """Peernet under gunicorn as production runs it (sync workers), on HOST:port."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "peernet.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def production_env(var_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(
        DEBUG="false",
        SECRET_KEY="demo-site-" + os.urandom(24).hex(),
        ALLOWED_HOSTS=HOST,
        # Production redirects plain HTTP to HTTPS; this server is plain HTTP on localhost.
        SECURE_SSL_REDIRECT="false",
        PEERNET_VAR_DIR=var_dir,
        STATIC_ROOT=str(Path(var_dir) / "staticfiles"),
        LOG_LEVEL="ERROR",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """Run a management command; its output, or its errors as a RuntimeError."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args[:1])} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def wait_until_up(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode} before it served")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", HEALTHZ_PATH)
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {HEALTHZ_PATH} in {STARTUP_TIMEOUT_S:.0f} s")


def _forward_errors(stream) -> None:
    """The server's log on stderr, but for the 404s Lighthouse causes by asking for
    /robots.txt (Peernet has none; Lighthouse's SEO check passes on a 404)."""
    for line in stream:
        if line.strip() not in QUIET_LOG_LINES:
            sys.stderr.write(line)


def stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@contextmanager
def demo_site(port: int | None = None, language: str = "", say=print) -> Iterator[DemoSite]:
    """The demo site, as the demo member reading `language` (default: the demo's own)."""
    port = port or free_port()
    with tempfile.TemporaryDirectory(prefix="peernet-demo-site-") as var_dir:
        env = production_env(var_dir)
        say("demo site: migrating a fresh SQLite database, loading the demo data")
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        # seed_demo refuses without DEBUG unless forced: these demo logins live only here.
        manage(env, "seed_demo", "--force")
        say("demo site: collecting static files (WhiteNoise compressed manifest)")
        manage(env, "collectstatic", "--no-input", "--verbosity", "0")
        code = f"LANGUAGE = {language!r}\n{DEMO_FACTS}"
        facts = json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])
        server = subprocess.Popen(
            gunicorn_command(port), cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
        )
        threading.Thread(target=_forward_errors, args=(server.stderr,), daemon=True).start()
        try:
            wait_until_up(server, port)
            say(f"demo site: gunicorn (DEBUG off) at http://{HOST}:{port}/")
            yield DemoSite(f"http://{HOST}:{port}", facts["cookie"], facts["pages"])
        finally:
            stop(server)
