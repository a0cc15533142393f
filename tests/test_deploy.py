"""docker-compose.yml read against the settings, and its commands run for real on this machine.

No Docker engine runs here, so the test starts the same commands the compose services
run (migrate, gunicorn, the Celery worker and beat) against the real PostgreSQL and Redis.
"""

import gzip
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import brotli
import gunicorn.config
import psycopg
import pytest
import yaml
from allauth.account.adapter import get_adapter
from django.conf import settings
from django.test import RequestFactory

from tests.helpers import free_port, production_like_env

# One test process runs these (make test runs with --dist loadgroup, and tests/conftest.py
# starts them first): their fixtures migrate a fresh database and start the services, once.
pytestmark = pytest.mark.xdist_group("deploy")

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
PROXY_DIR = BASE / "deploy" / "nginx"
NGINX_CONF = (PROXY_DIR / "nginx.conf").read_text()
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


def nginx_directives(config: str) -> dict[str, list[str]]:
    """Each nginx directive's arguments, one string per occurrence (blocks flattened)."""
    text = re.sub(r"#[^\n]*", "", config)
    found: dict[str, list[str]] = {}
    for name, args in re.findall(r"(\w+)\s+([^;{}]*);", text):
        found.setdefault(name, []).append(" ".join(args.split()))
    return found


NGINX = nginx_directives(NGINX_CONF)


def test_compose_has_the_production_services():
    assert set(SERVICES) == {*APP_SERVICES, "proxy", "db", "redis"}
    assert SERVICES["db"]["image"] == "postgres:17"
    assert SERVICES["redis"]["image"] == "redis:7"
    for name in ["proxy", "web", "worker", "db", "redis"]:
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


def test_only_the_proxy_faces_the_internet():
    published = {name for name, service in SERVICES.items() if "ports" in service}
    assert published == {"proxy"}
    container_ports = {int(port.split(":")[-1]) for port in SERVICES["proxy"]["ports"]}
    listening = {int(listen.split()[0]) for listen in NGINX["listen"]}
    assert container_ports == listening == {80, 443}
    assert "443 ssl http2 default_server" in NGINX["listen"]


def test_proxy_config_matches_the_settings():
    # The one upstream is the address the web command binds.
    web_bind = SERVICES["web"]["command"][SERVICES["web"]["command"].index("--bind") + 1]
    assert NGINX["server"] == [f"web:{web_bind.split(':')[1]}"] and "web" in SERVICES
    assert NGINX["proxy_pass"] and set(NGINX["proxy_pass"]) == {"http://peernet"}
    # Django reads the scheme from the header the proxy always sets from its own.
    header, value = re.search(
        r'SECURE_PROXY_SSL_HEADER = \("HTTP_(\w+)", "(\w+)"\)', SETTINGS_SOURCE
    ).groups()
    headers = dict(line.split(" ", 1) for line in NGINX["proxy_set_header"])
    assert headers[header.replace("_", "-").title()] == "$scheme" and value == "https"
    assert headers["Host"] == "$http_host"
    # One proxy that appends one hop: the count Django skips to reach the client's address.
    trusted = interpolate(SERVICES["web"]["environment"]["TRUSTED_PROXY_COUNT"], {})
    assert int(trusted) == len([name for name in SERVICES if "ports" in SERVICES[name]]) == 1
    assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"
    # gunicorn's own timeout fires before the proxy gives up on it.
    assert int(NGINX["proxy_read_timeout"][0].rstrip("s")) > gunicorn.config.Timeout.default


def test_proxy_buffers_slow_clients_and_compresses():
    for directive in ["proxy_request_buffering", "proxy_buffering", "gzip", "brotli"]:
        assert NGINX[directive] == ["on"], directive
    for directive in ["client_header_timeout", "client_body_timeout", "send_timeout"]:
        assert directive in NGINX, directive
    body_limit = int(NGINX["client_max_body_size"][0].rstrip("m")) * 1024 * 1024
    assert body_limit > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    for types in ["gzip_types", "brotli_types"]:
        for mime in ["text/css", "application/javascript", "image/svg+xml", "application/json"]:
            assert mime in NGINX[types][0].split(), (types, mime)


def test_compose_runs_this_proxy_config():
    proxy = SERVICES["proxy"]
    assert proxy["build"] == "deploy/nginx"
    assert "./deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    certs_mount = next(v for v in proxy["volumes"] if v.endswith(":/etc/letsencrypt:ro"))
    assert interpolate(certs_mount, {}).startswith("/etc/letsencrypt:")
    for path in NGINX["ssl_certificate"] + NGINX["ssl_certificate_key"]:
        assert path.startswith("/etc/letsencrypt/live/peernet/")
    dockerfile = (PROXY_DIR / "Dockerfile").read_text()
    assert "FROM debian:bookworm" in dockerfile
    assert "nginx libnginx-mod-http-brotli-filter" in dockerfile
    assert Path(NGINX["load_module"][0]).name == "ngx_http_brotli_filter_module.so"
    assert SERVICES["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_django_leaves_html_compression_to_the_proxy():
    """Compressing HTML that carries a secret invites BREACH: the proxy compresses, and
    Django masks the CSRF token afresh in every response."""
    assert not [m for m in settings.MIDDLEWARE if "gzip" in m.lower()]


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


@pytest.fixture(scope="module")
def migrated_env(deploy_env):
    """deploy_env after the migrate service's command has run once."""
    migrate = subprocess.run(
        executable(SERVICES["migrate"]["command"]),
        cwd=BASE,
        env=deploy_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    return deploy_env


def test_collectstatic_precompresses_with_brotli_and_gzip(deploy_env):
    """WhiteNoise writes a .br beside each .gz (the brotli package), and serves the smaller."""
    [hashed] = Path(deploy_env["STATIC_ROOT"]).glob("css/peernet.*[0-9a-f].css")
    assert brotli.decompress(Path(f"{hashed}.br").read_bytes()) == hashed.read_bytes()
    assert gzip.decompress(Path(f"{hashed}.gz").read_bytes()) == hashed.read_bytes()


def test_migrate_then_web_serve_as_in_compose(migrated_env, tmp_path):
    deploy_env = migrated_env
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
            headers={
                "Host": "peernet.test",
                "X-Forwarded-Proto": "https",
                "Accept-Encoding": "br, gzip",
            },
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
            assert "Content-Security-Policy" in response.headers
            assert "Strict-Transport-Security" in response.headers
            assert "Content-Encoding" not in response.headers, "HTML is the proxy's to compress"
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


def test_worker_and_beat_run_as_in_compose(migrated_env, tmp_path):
    from peernet.celery import app

    deploy_env = migrated_env
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
        # This process is not a Celery worker, whatever an earlier test in it ran in-process.
        result.get(timeout=30, disable_sync_subtasks=False)
        assert result.successful()
        wait_for(lambda: "beat: Starting..." in beat_log.read_text(), "celery beat", beat_log)
        assert beat.poll() is None, beat_log.read_text()
    finally:
        app.conf.task_always_eager = True
        stop(worker)
        stop(beat)


# --- The proxy, run here in front of gunicorn -----------------------------------------

HOST = "peernet.test"
CLIENT_ADDRESS = "127.0.0.2"  # the visitor; nginx reaches gunicorn from 127.0.0.1
SPOOFED_ADDRESS = "203.0.113.9"
# What gunicorn received, per request: Django reads these very headers.
SEEN_FORMAT = "%(r)s|%({x-forwarded-for}i)s|%({x-forwarded-proto}i)s|%({host}i)s"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    http_version: str


class Curl:
    """curl against the proxy, trusting its self-signed certificate for HOST."""

    def __init__(self, tmp_path: Path, cert: Path, ports: list[int]):
        self.tmp_path, self.cert = tmp_path, cert
        self.resolve = [arg for port in ports for arg in ("--resolve", f"{HOST}:{port}:127.0.0.1")]

    def __call__(self, url: str, *options: str) -> Reply:
        headers, body = self.tmp_path / "headers", self.tmp_path / "body"
        run = subprocess.run(
            ["curl", "-sS", "--max-time", "5", "--cacert", str(self.cert), *self.resolve,
             "-D", str(headers), "-o", str(body), "-w", "%{http_version}", *options, url],
            capture_output=True, text=True, timeout=10,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        status_line, *lines = headers.read_text().strip().splitlines()
        fields: dict[str, str] = {}
        for name, value in (line.split(": ", 1) for line in lines if ": " in line):
            name = name.lower()
            fields[name] = f"{fields[name]}, {value}" if name in fields else value
        return Reply(
            status=int(status_line.split()[1]),
            headers=fields,
            body=body.read_bytes(),
            http_version=run.stdout,
        )


def self_signed_certificate(directory: Path) -> None:
    """fullchain.pem and privkey.pem for HOST, as certbot names them."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}",
         "-keyout", str(directory / "privkey.pem"), "-out", str(directory / "fullchain.pem")],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip


def nginx_conf_here(*, certs: Path, http_port: int, https_port: int, web_port: int) -> str:
    """deploy/nginx/nginx.conf with only its addresses and certificate paths moved."""
    config = NGINX_CONF
    for old, new in {
        "listen 80 ": f"listen 127.0.0.1:{http_port} ",
        "listen 443 ": f"listen 127.0.0.1:{https_port} ",
        "server web:8000;": f"server 127.0.0.1:{web_port};",
        "/etc/letsencrypt/live/peernet/": f"{certs}/",
    }.items():
        assert old in config, f"{old!r} moved in nginx.conf; update this test"
        config = config.replace(old, new)
    return config


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Proxied:
    """nginx running deploy/nginx/nginx.conf in front of gunicorn, as compose runs them."""

    curl: Curl
    https: str  # the proxy's HTTPS origin
    http: str  # its plain HTTP origin
    web_port: int
    web_log: Path
    env: dict[str, str]
    cert: Path


@pytest.fixture(scope="module")
def proxied(migrated_env, tmp_path_factory):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "nginx is missing: run scripts/provision_test_env.sh"
    tmp_path = tmp_path_factory.mktemp("proxy")
    trusted_proxies = interpolate(SERVICES["web"]["environment"]["TRUSTED_PROXY_COUNT"], {})
    env = {**migrated_env, "SECURE_SSL_REDIRECT": "true", "TRUSTED_PROXY_COUNT": trusted_proxies}
    web_port, http_port, https_port = free_port(), free_port(), free_port()
    # One sync worker: any slow client that reached it would stall every other request.
    command = [
        {"0.0.0.0:8000": f"127.0.0.1:{web_port}", "3": "1"}.get(arg, arg)
        for arg in SERVICES["web"]["command"]
    ]
    assert command[command.index("--workers") + 1] == "1", "the web command moved"
    web_log = tmp_path / "web.log"
    # The test's own window on the headers gunicorn received: production keeps no access log.
    web = start(
        [*command, "--access-logfile", "-", "--access-logformat", SEEN_FORMAT], env, web_log
    )
    self_signed_certificate(tmp_path)
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        nginx_conf_here(
            certs=tmp_path, http_port=http_port, https_port=https_port, web_port=web_port
        )
    )
    proxy_log = tmp_path / "proxy.log"
    proxy = subprocess.Popen(
        [nginx, "-c", str(conf), "-g", f"pid {tmp_path / 'nginx.pid'}; daemon off;"],
        stdout=proxy_log.open("w"),
        stderr=subprocess.STDOUT,
    )
    curl = Curl(tmp_path, tmp_path / "fullchain.pem", [http_port, https_port])
    https = f"https://{HOST}:{https_port}"
    try:
        wait_for(
            lambda: urllib.request.urlopen(f"http://127.0.0.1:{web_port}/healthz", timeout=2),
            "gunicorn",
            web_log,
        )
        health = wait_for(lambda: curl(f"{https}/healthz"), "nginx", proxy_log)
        assert (health.status, health.body) == (200, b"ok")
        yield Proxied(
            curl=curl,
            https=https,
            http=f"http://{HOST}:{http_port}",
            web_port=web_port,
            web_log=web_log,
            env=env,
            cert=tmp_path / "fullchain.pem",
        )
    finally:
        stop(proxy)
        stop(web)


def test_proxy_moves_plain_http_to_https_except_health_probes(proxied):
    plain = proxied.curl(f"{proxied.http}/circles/?page=2")
    assert plain.status == 301
    assert plain.headers["location"] == f"https://{HOST}/circles/?page=2"
    health = proxied.curl(f"{proxied.http}/healthz")
    assert (health.status, health.body) == (200, b"ok")


def test_through_the_proxy_django_sees_https_and_the_visitors_address(proxied, settings):
    # Straight to gunicorn, production settings redirect to HTTPS...
    direct = urllib.request.Request(f"http://127.0.0.1:{proxied.web_port}/", headers={"Host": HOST})
    with pytest.raises(urllib.error.HTTPError) as redirect:
        urllib.request.build_opener(NoRedirect).open(direct, timeout=5)
    assert (redirect.value.code, redirect.value.headers["Location"]) == (301, f"https://{HOST}/")
    # ...through the proxy, over HTTP/2, Django knows it is HTTPS: no redirect, and HSTS,
    # which it sends only over HTTPS.
    page = proxied.curl(
        f"{proxied.https}/?via=proxy", "--http2", "--interface", CLIENT_ADDRESS,
        "-H", f"X-Forwarded-For: {SPOOFED_ADDRESS}",
    )  # fmt: skip
    assert (page.status, page.http_version) == (200, "2")
    assert "strict-transport-security" in page.headers

    [seen] = wait_for(  # gunicorn logs each request just after answering it
        lambda: re.findall(r"^GET /\?via=proxy .*$", proxied.web_log.read_text(), re.MULTILINE),
        "the request in gunicorn's log",
        proxied.web_log,
    )
    forwarded_for, proto, host = seen.split("|")[1:]
    assert (proto, host) == ("https", proxied.https.removeprefix("https://"))
    # The visitor's own address, not the proxy's (127.0.0.1) nor the one it made up.
    assert forwarded_for.startswith(SPOOFED_ADDRESS)
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = int(proxied.env["TRUSTED_PROXY_COUNT"])
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert get_adapter(request).get_client_ip(request) == CLIENT_ADDRESS


def test_proxy_compresses_html_with_brotli_or_gzip_and_passes_static_files_on(proxied):
    page = proxied.curl(f"{proxied.https}/", "-H", "Accept-Encoding: gzip, br")
    assert page.headers["content-encoding"] == "br"
    assert "Accept-Encoding" in page.headers["vary"]
    html = brotli.decompress(page.body).decode()
    assert "<html" in html
    zipped = proxied.curl(f"{proxied.https}/", "-H", "Accept-Encoding: gzip")
    assert zipped.headers["content-encoding"] == "gzip"
    assert "<html" in gzip.decompress(zipped.body).decode()
    # WhiteNoise's own .br, passed on as it is (not compressed twice).
    css_path = re.search(r'href="(/static/css/peernet\.[0-9a-f]+\.css)"', html).group(1)
    css = proxied.curl(f"{proxied.https}{css_path}", "-H", "Accept-Encoding: br")
    stored = Path(proxied.env["STATIC_ROOT"]) / css_path.removeprefix("/static/")
    assert css.headers["content-encoding"] == "br"
    assert brotli.decompress(css.body) == stored.read_bytes()


def test_a_slow_client_does_not_hold_the_gunicorn_worker(proxied):
    """Half a form sent: the proxy holds it, and gunicorn's one worker serves others. Once
    whole, the form reaches Django, whose CSRF check passes: the Origin matches the scheme
    and Host the proxy forwarded."""
    token = secrets.token_hex(16)
    body = f"csrfmiddlewaretoken={token}&language=es&next=/".encode()
    head = (
        f"POST /i18n/setlang/ HTTP/1.1\r\nHost: {HOST}:{proxied.https.rsplit(':', 1)[1]}\r\n"
        f"Origin: {proxied.https}\r\nCookie: csrftoken={token}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    https_port = int(proxied.https.rsplit(":", 1)[1])
    tls = ssl.create_default_context(cafile=proxied.cert)
    with (
        socket.create_connection(("127.0.0.1", https_port), timeout=10) as raw,
        tls.wrap_socket(raw, server_hostname=HOST) as slow,
    ):
        slow.sendall(head + body[: len(body) // 2])
        # curl gives up after 5 s if the half-sent form holds the worker
        assert proxied.curl(f"{proxied.https}/healthz").body == b"ok"
        slow.sendall(body[len(body) // 2 :])
        answer = b""
        while chunk := slow.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 302 Found", answer[:500]
    assert b"\r\nLocation: /\r\n" in rest
