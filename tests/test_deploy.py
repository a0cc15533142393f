"""docker-compose.yml read against the settings, and its commands run for real on this machine.

No Docker engine runs here, so the test starts the same commands the compose services
run (migrate, gunicorn, the Celery worker and beat) against the real PostgreSQL and Redis.
"""

import os
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import yaml
from django.conf import settings

from tests.helpers import free_port, production_like_env

BASE = Path(settings.BASE_DIR)
COMPOSE = yaml.safe_load((BASE / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ["migrate", "web", "worker", "beat"]
SETTINGS_SOURCE = (BASE / "peernet" / "settings.py").read_text()
READ_BY_SETTINGS = set(
    re.findall(r'(?:environ\.get|env_bool|env_list)\(\s*"([A-Z_]+)"', SETTINGS_SOURCE)
)
REQUIRED_IN_PRODUCTION = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_HOST",
    "DEFAULT_FROM_EMAIL",
}
STARTUP_TIMEOUT = 60
INTERPOLATION = re.compile(r"\$\{(\w+)(?::([?-])([^}]*))?\}")


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, as `docker compose` reads them."""

    def replace(match):
        name, kind, rest = match.groups()
        if env.get(name):
            return env[name]
        if kind == "?":
            raise KeyError(f"{name}: {rest}")
        return rest if kind == "-" else ""

    return INTERPOLATION.sub(replace, value)


def test_compose_has_the_production_services():
    assert set(SERVICES) == {*APP_SERVICES, "db", "redis"}
    assert SERVICES["db"]["image"] == "postgres:17"
    assert SERVICES["redis"]["image"] == "redis:7"
    for name in ["web", "worker", "db", "redis"]:
        assert "test" in SERVICES[name]["healthcheck"], name
    assert "db-data:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]


def test_compose_environment_matches_what_settings_read():
    for name in APP_SERVICES:
        env = SERVICES[name]["environment"]
        assert set(env) <= READ_BY_SETTINGS, f"{name} sets {set(env) - READ_BY_SETTINGS}"
        assert set(env) >= REQUIRED_IN_PRODUCTION, (
            f"{name} lacks {REQUIRED_IN_PRODUCTION - set(env)}"
        )
        assert env["DEBUG"] == "false"
        dot_env = {"POSTGRES_PASSWORD": "s3cret"}
        database = urlsplit(interpolate(env["DATABASE_URL"], dot_env))
        assert (database.hostname, database.password, database.path) == ("db", "s3cret", "/peernet")
        assert urlsplit(interpolate(env["REDIS_URL"], dot_env)).hostname == "redis"
        with pytest.raises(KeyError, match="SECRET_KEY"):
            interpolate(env["SECRET_KEY"], dot_env)


def test_readme_documents_every_setting():
    readme = (BASE / "README.md").read_text()
    missing = sorted(name for name in READ_BY_SETTINGS if f"`{name}`" not in readme)
    assert missing == []


def test_web_command_is_the_image_default():
    dockerfile = (BASE / "Dockerfile").read_text()
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE).group(1)
    assert yaml.safe_load(cmd) == SERVICES["web"]["command"]
    assert SERVICES["worker"]["command"][:4] == ["celery", "-A", "peernet", "worker"]
    assert SERVICES["beat"]["command"][:4] == ["celery", "-A", "peernet", "beat"]


# --- The same commands, run here ---------------------------------------------------


def executable(command: list[str]) -> list[str]:
    """Compose runs `python`, `gunicorn`, `celery` from the image; here, from this venv."""
    venv_bin = Path(sys.executable).parent
    return [
        str(venv_bin / command[0]) if (venv_bin / command[0]).exists() else command[0],
        *command[1:],
    ]


@pytest.fixture(scope="module")
def deploy_env(tmp_path_factory):
    """A fresh database and the compose environment, pointed at this machine's services."""
    test_url = urlsplit(os.environ["DATABASE_URL"])
    database = f"peernet_deploy_{secrets.token_hex(4)}"
    admin = urlunsplit(test_url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'create database "{database}"')
    var_dir = tmp_path_factory.mktemp("var")
    env = production_like_env(
        **{
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "peernet.test,127.0.0.1",
            "SITE_URL": "https://peernet.test",
            "DATABASE_URL": urlunsplit(test_url._replace(path=f"/{database}")),
            "REDIS_URL": os.environ["REDIS_URL"],
            "EMAIL_HOST": "127.0.0.1",
            "DEFAULT_FROM_EMAIL": "Peernet <noreply@peernet.test>",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(var_dir / "static"),
            "PEERNET_VAR_DIR": str(var_dir),
        }
    )
    run = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    yield env
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{database}" with (force)')


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        executable(command), cwd=BASE, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_for(check, what: str, log: Path):
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        try:
            if result := check():
                return result
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"{what} did not come up:\n{log.read_text()[-3000:]}")


def test_migrate_then_web_serve_as_in_compose(deploy_env, tmp_path):
    migrate = subprocess.run(
        executable(SERVICES["migrate"]["command"]),
        cwd=BASE,
        env=deploy_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr

    port = free_port()
    command = [
        f"127.0.0.1:{port}" if arg == "0.0.0.0:8000" else arg for arg in SERVICES["web"]["command"]
    ]
    assert command != SERVICES["web"]["command"], "the bind address moved; update this test"
    log = tmp_path / "web.log"
    web = start(command, deploy_env, log)
    try:
        health = wait_for(
            lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read(),
            "gunicorn",
            log,
        )
        assert health == b"ok"
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/",
            headers={"Host": "peernet.test", "X-Forwarded-Proto": "https"},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
            assert "Content-Security-Policy" in response.headers
            assert "Strict-Transport-Security" in response.headers
            page = response.read().decode()
        css = re.search(r'href="(/static/css/peernet\.[0-9a-f]+\.css)"', page)
        assert css, "static files are not served from the hashed manifest"
        static = urllib.request.Request(
            f"http://127.0.0.1:{port}{css.group(1)}", headers={"Host": "peernet.test"}
        )
        with urllib.request.urlopen(static, timeout=5) as response:
            assert response.status == 200
    finally:
        stop(web)


def test_worker_and_beat_run_as_in_compose(deploy_env, tmp_path):
    from peernet.celery import app

    subprocess.run(
        executable(SERVICES["migrate"]["command"]),
        cwd=BASE,
        env=deploy_env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    worker_log = tmp_path / "worker.log"
    worker = start(SERVICES["worker"]["command"], deploy_env, worker_log)
    schedule = tmp_path / "celerybeat-schedule"
    beat_command = [
        str(schedule) if arg.endswith("celerybeat-schedule") else arg
        for arg in SERVICES["beat"]["command"]
    ]
    beat_log = tmp_path / "beat.log"
    beat = start(beat_command, deploy_env, beat_log)
    try:
        app.conf.task_always_eager = False
        wait_for(lambda: app.control.ping(timeout=1), "celery worker", worker_log)
        result = app.send_task("peernet.members.tasks.clear_expired_sessions")
        result.get(timeout=30)
        assert result.successful()
        wait_for(lambda: "beat: Starting..." in beat_log.read_text(), "celery beat", beat_log)
        assert beat.poll() is None, beat_log.read_text()
    finally:
        app.conf.task_always_eager = True
        stop(worker)
        stop(beat)
