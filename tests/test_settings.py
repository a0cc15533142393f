"""Production settings: `check --deploy` clean, secrets required, embedded defaults safe."""

import secrets
import subprocess
import sys

from django.conf import settings

from tests.helpers import production_like_env

PRODUCTION_ENV = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "peernet.example.org",
    "SITE_URL": "https://peernet.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/peernet",
    "REDIS_URL": "redis://127.0.0.1:6379/14",
    "EMAIL_HOST": "smtp.example.org",
    "DEFAULT_FROM_EMAIL": "Peernet <noreply@peernet.example.org>",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=production_like_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_with_no_warnings():
    env = {**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50)}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_seed_demo_refuses_production():
    env = {**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50)}
    result = manage("seed_demo", env=env)
    assert result.returncode != 0
    assert "only with DEBUG on" in result.stderr


def test_suite_runs_on_postgresql_with_a_real_cache():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.CACHES["default"]["BACKEND"] == "peernet.cache.RedisCache"


def test_every_cookie_is_secure_in_production():
    env = {**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50)}
    names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE"]
    script = (
        "from django.conf import settings as s; print(" + ", ".join(f"s.{n}" for n in names) + ")"
    )
    result = manage("shell", "--no-imports", "-c", script, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True"] * len(names)


def test_the_redis_cache_reuses_one_client_per_pool():
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    cache.set("reuse-check", {"n": 1}, 30)
    assert cache.get_many(["reuse-check", "absent"]) == {"reuse-check": {"n": 1}}
    client = cache._cache.get_client("reuse-check")
    assert cache._cache.get_client("another") is client
    assert cache._cache.get_client("w", write=True) is client  # one server: one pool
