"""Peernet settings: one module, read from the environment.

Every value has a safe embedded default (SQLite, tasks in process, email to the
console) so `make run` works on a fresh machine. Production sets DEBUG=false,
SECRET_KEY, DATABASE_URL, REDIS_URL and the email variables.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PEERNET_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)


def _secret_key() -> str:
    """Production must set SECRET_KEY; development keeps a generated one on disk."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_ratelimit",
    "peernet",
    "allauth",
    "allauth.account",
    "peernet.members",
    "peernet.notify",
    "circles",
    "governance",
    "governance.safety",
    "governance.legitimacy",
    "governance.networks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "peernet.middleware.HealthCheckMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "peernet.middleware.MemberLocaleMiddleware",
    "peernet.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "peernet.middleware.FriendlyNotFoundMiddleware",
]

ROOT_URLCONF = "peernet.urls"
WSGI_APPLICATION = "peernet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peernet.notify.context_processors.notifications",
            ],
        },
    },
    {
        # Plain-text email and subjects: shown as typed, never HTML-escaped.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# --- Data ------------------------------------------------------------------
EMBEDDED_DATABASE_URL = f"sqlite:///{VAR_DIR / 'peernet.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL", EMBEDDED_DATABASE_URL)
if DATABASE_URL.startswith("sqlite"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's pool keeps connections per process; CONN_MAX_AGE must stay 0 with it.
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN", "1")),
            "max_size": int(os.environ.get("DATABASE_POOL_MAX", "10")),
        }
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "peernet.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "peernet"),
        }
    }
else:
    # A cache every process shares, so the rate limits hold without Redis.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Limits on floods -------------------------------------------------------
# peernet/limits.py counts attempts through django-ratelimit in the default cache. Its checks
# know Django's own RedisCache only as "not officially supported" (W001), though it increments
# atomically in Redis. The embedded file cache does not increment atomically (E003): two requests
# at the same instant may count once, which is fine for `make run` on one machine; production
# and the test suite use Redis.
RATELIMIT_USE_CACHE = "default"
# A count the cache lost lets the attempt through rather than refuse a person for nothing.
RATELIMIT_FAIL_OPEN = True
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not REDIS_URL:
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# Database sessions behind the cache: a signed-in page reads its session without a query.
SESSION_ENGINE = "peernet.sessions"

# How long a board's rendered list of posts is kept (circles/board_cache.py); 0 turns that
# cache off. An entry serves only in the minute it was made and only until the circle's posts
# change, so this bounds memory, never staleness.
BOARD_CACHE_SECONDS = int(os.environ.get("BOARD_CACHE_SECONDS", "60"))

# --- Accounts --------------------------------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_request_login_code"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# A new account lands on its first steps: find a circle, or start one.
ACCOUNT_SIGNUP_REDIRECT_URL = "circles:welcome"

ACCOUNT_ADAPTER = "peernet.members.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "peernet.members.forms.LoginForm",
    "signup": "peernet.members.forms.SignupForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Peernet] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Each request for a login code emails the address typed, so it is limited per address (the
# "key") and per network address, in the same sliding window as failed passwords. Past a limit
# the form keeps the address and says to try again within that window (members/adapter.py).
# Per network address the limit is loose: a class or a shelter may sign in from one address.
LOGIN_LIMIT_WINDOW = timedelta(minutes=5)
LOGIN_CODES_PER_ADDRESS = 3
LOGIN_CODES_PER_IP = 100
FAILED_LOGINS_PER_ADDRESS = 5
_LOGIN_WINDOW = f"{int(LOGIN_LIMIT_WINDOW.total_seconds())}s"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": f"10/m/ip,{FAILED_LOGINS_PER_ADDRESS}/{_LOGIN_WINDOW}/key",
    "signup": "20/m/ip",
    "request_login_code": (
        f"{LOGIN_CODES_PER_IP}/{_LOGIN_WINDOW}/ip,{LOGIN_CODES_PER_ADDRESS}/{_LOGIN_WINDOW}/key"
    ),
    "confirm_email": "1/3m/key",
}
ACCOUNT_PREVENT_ENUMERATION = True
# Behind proxies (the TLS proxy of "Running in production"), each client's own address is read
# from X-Forwarded-For past this many trusted hops; otherwise every sign-in would share the
# proxy's address and its per-address limits.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# --- Email -----------------------------------------------------------------
# SMTP when EMAIL_HOST is set; otherwise each email is one line in the console (peernet/mail.py:
# who it is for, its subject, and its code if it carries one).
SMTP_HOST = os.environ.get("EMAIL_HOST", "")
if SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST,
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", "20")),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "peernet.mail.ConsoleBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Peernet <noreply@peernet.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ----------------------------------------------------------------
# Without REDIS_URL, tasks run in process (eager) and `manage.py run_periodic`
# plays the role of beat, so the embedded default still sends reminders.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {
    "draw-care-rotas": {
        "task": "governance.safety.tasks.draw_rotas",
        "schedule": timedelta(hours=1),
    },
    "send-partnership-reminders": {
        "task": "governance.legitimacy.tasks.send_partnership_reminders",
        "schedule": timedelta(hours=1),
    },
    "lapse-partnerships": {
        "task": "governance.legitimacy.tasks.lapse_partnerships",
        "schedule": timedelta(hours=1),
    },
    "settle-due-network-questions": {
        "task": "governance.networks.tasks.settle_due_questions",
        "schedule": timedelta(minutes=1),
    },
    "close-due-proposals": {
        "task": "governance.tasks.close_due_proposals",
        "schedule": timedelta(minutes=1),
    },
    "expire-posts": {
        "task": "circles.tasks.expire_posts",
        "schedule": timedelta(minutes=15),
    },
    "send-expiry-reminders": {
        "task": "circles.tasks.send_expiry_reminders",
        "schedule": timedelta(hours=1),
    },
    "send-response-nudges": {
        "task": "circles.tasks.send_response_nudges",
        "schedule": timedelta(hours=1),
    },
    "send-vote-reminders": {
        "task": "governance.tasks.send_vote_reminders",
        "schedule": timedelta(minutes=10),
    },
    "send-digests": {
        "task": "peernet.notify.tasks.send_digests",
        "schedule": timedelta(minutes=15),
    },
    "send-pending-emails": {
        "task": "peernet.notify.tasks.send_pending_emails",
        "schedule": timedelta(minutes=5),
    },
    "clear-expired-sessions": {
        "task": "peernet.members.tasks.clear_expired_sessions",
        "schedule": crontab(minute=17, hour=3),
    },
    "forget-old-submissions": {
        "task": "peernet.tasks.forget_old_submissions",
        "schedule": crontab(minute=27, hour=3),
    },
}

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
# locale/ is Peernet's own catalogue (`make messages`). peernet/locale_overrides/ says the
# strings of allauth's account pages and emails, and of Django's form errors, in Peernet's voice
# (Spanish "tú", as on every other page): it wins over their catalogues; makemessages never
# writes there, compilemessages compiles it.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "peernet" / "locale_overrides"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security --------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # Load balancers probe /healthz over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
if CELERY_TASK_ALWAYS_EAGER:
    # Tasks run in the web process (`make run`): its terminal shows one line per email sent
    # (peernet/mail.py), not a line per task run, kombu's note on the in-memory broker, or the
    # autoreloader's greeting (twice: Django's own handler and the root one).
    LOGGING["loggers"] = {
        "celery.app.trace": {"level": "WARNING"},
        "kombu.connection": {"level": "ERROR"},
        "django.utils.autoreload": {"level": "WARNING"},
    }
