"""Settings shared by every environment; everything that differs comes from the environment.

Environment variables:
    DATABASE_URL                 default: SQLite file under GONGHUI_DATA_DIR
    GONGHUI_DATA_DIR             default: ./data (database, uploads, generated dev keys)
    DJANGO_SECRET_KEY            required in production
    GONGHUI_FIELD_KEYS           comma-separated base64 AES-256 keys, newest first (rotation)
    GONGHUI_HASH_KEY             base64 key for the keyed look-up hash (HMAC-SHA256)
    GONGHUI_SMS_BACKEND          dotted path of the SMS backend class
    GONGHUI_ALLOWED_HOSTS        comma-separated
    REDIS_URL                    shared cache and rate limits (required in production)
    GONGHUI_TRUSTED_PROXY_COUNT  proxies in front of the app (nginx: 1); 0 = REMOTE_ADDR is the client
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {raw!r}")


# Where the database file (SQLite), uploads, imports and development keys live.
DATA_DIR = Path(env_str("GONGHUI_DATA_DIR", str(Path.cwd() / "data"))).resolve()
# The secret of sessions and CSRF tokens (production: required; development: generated in the data folder).
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DEBUG = False
# The host names the site answers to (production: the public name, e.g. gonghui.example.cn).
ALLOWED_HOSTS = env_list("GONGHUI_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "treebeard",
    "ninja",
    "gonghui.core",
    "gonghui.accounts",
    "gonghui.orgs",
    "gonghui.members",
    "gonghui.positions",
    "gonghui.activities",
    "gonghui.rights",
    "gonghui.aid",
    "gonghui.registration",
    "gonghui.funds",
    "gonghui.modelworkers",
    "gonghui.contests",
    "gonghui.counselling",
    "gonghui.stats",
    "gonghui.console",
    "gonghui.worker",
    "gonghui.api",
    "gonghui.privacy",
    "django_tasks",
    "django_tasks_db",
    "gonghui.messaging",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A request id on every log line and in X-Request-ID; database or cache down → 503.
    "gonghui.core.middleware.RequestIdMiddleware",
    "gonghui.core.middleware.OutageMiddleware",
    "gonghui.core.csp.CSPMiddleware",  # django-csp's, the plain policy built once (core/csp.py)
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The idle timeout's refresh: the session saved when changed or every few minutes, not every request.
    "gonghui.core.sessions.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A rush's refusals of a full, closed or not yet open course answered from Redis here, before
    # the worker's row, the scope, URL resolution and the API (docs/activities.md, "The flash sale").
    "gonghui.activities.middleware.FlashRefusalMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gonghui.accounts.middleware.WorkerMiddleware",
    "gonghui.accounts.middleware.ScopeMiddleware",
    # A signed-in worker accepts the current privacy notice before using the worker pages.
    "gonghui.privacy.middleware.PrivacyNoticeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gonghui.urls"
WSGI_APPLICATION = "gonghui.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gonghui.console.context_processors.main_nav",
            ],
        },
    },
]

# The database: PostgreSQL in production (postgres://user@host/gonghui), else a SQLite file in the data folder.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'gonghui.sqlite3'}")
# Seconds a database connection is kept between requests (600 in production; 0 closes it each time).
GONGHUI_DB_CONN_MAX_AGE = env_int("GONGHUI_DB_CONN_MAX_AGE", 0)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=GONGHUI_DB_CONN_MAX_AGE,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; IMMEDIATE avoids the
    # "database is locked" upgrade deadlock of deferred transactions.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
# PostgreSQL: give up connecting after this many seconds, and cancel any statement that runs longer
# than this many milliseconds, so a stopped or frozen database answers 503 (gonghui.core.middleware)
# instead of hanging every request. 0 switches a limit off. The statement timeout applies to the
# web server processes (gunicorn, runserver, serve, demo) and tests; other management commands
# (migrate, backup, restore, imports …) run without it, so they are never cut halfway.
GONGHUI_DB_CONNECT_TIMEOUT = env_int("GONGHUI_DB_CONNECT_TIMEOUT", 5)
GONGHUI_DB_STATEMENT_TIMEOUT_MS = env_int("GONGHUI_DB_STATEMENT_TIMEOUT_MS", 30_000)
# The statements every sign-up of a rush runs are prepared on each PostgreSQL connection (parsed and
# planned once: gonghui.core.prepared). Set false behind a connection pooler in transaction mode that
# does not keep prepared statements (PgBouncer before 1.21, or without max_prepared_statements).
GONGHUI_DB_PREPARED = env_bool("GONGHUI_DB_PREPARED", True)
_argv = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
_PROG = Path(sys.argv[0] if sys.argv else "")
_COMMAND = _argv[0].replace("-", "_") if _argv and (_PROG.name in {"gonghui", "manage.py", "django-admin"} or (
    _PROG.name == "__main__.py" and _PROG.parent.name in {"gonghui", "django"})) else ""
if _COMMAND not in {"", "runserver", "serve", "demo"}:
    GONGHUI_DB_STATEMENT_TIMEOUT_MS = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _pg = DATABASES["default"].setdefault("OPTIONS", {})
    if GONGHUI_DB_CONNECT_TIMEOUT:
        _pg.setdefault("connect_timeout", GONGHUI_DB_CONNECT_TIMEOUT)
    if GONGHUI_DB_STATEMENT_TIMEOUT_MS:
        _pg["options"] = f"{_pg.get('options', '')} -c statement_timeout={GONGHUI_DB_STATEMENT_TIMEOUT_MS}".strip()
    # psycopg prepares only where asked (gonghui.core.prepared: Django's own cursors bind on the client
    # and never prepare); no threshold, nothing is prepared.
    _pg.setdefault("prepare_threshold", 5 if GONGHUI_DB_PREPARED else None)
# Read replicas (docs/scaling.md): comma-separated URLs of PostgreSQL streaming replicas of DATABASE_URL
# (each replica, or Patroni's replica service). Statistics, reports, exports and searches read from
# them (gonghui.core.dbrouting); empty: everything reads the primary, as on one machine.
GONGHUI_DB_REPLICAS = env_list("GONGHUI_DB_REPLICAS")
# A replica further behind the primary than this many seconds, or not answering, is skipped.
GONGHUI_REPLICA_MAX_LAG_SECONDS = env_int("GONGHUI_REPLICA_MAX_LAG_SECONDS", 10)
# How long each app process trusts a replica's last health and lag check (seconds).
GONGHUI_REPLICA_CHECK_SECONDS = env_int("GONGHUI_REPLICA_CHECK_SECONDS", 5)
# For this many seconds after a write the same browser reads the primary, so its own change shows at
# once; at least the lag limit plus the check interval.
GONGHUI_REPLICA_STICKY_SECONDS = env_int("GONGHUI_REPLICA_STICKY_SECONDS", 20)
if GONGHUI_DB_REPLICAS:
    from django.core.exceptions import ImproperlyConfigured

    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("GONGHUI_DB_REPLICAS needs a PostgreSQL DATABASE_URL (streaming replicas)")
    if GONGHUI_REPLICA_STICKY_SECONDS < GONGHUI_REPLICA_MAX_LAG_SECONDS + GONGHUI_REPLICA_CHECK_SECONDS:
        raise ImproperlyConfigured("GONGHUI_REPLICA_STICKY_SECONDS must be at least GONGHUI_REPLICA_MAX_LAG_SECONDS "
                                   "+ GONGHUI_REPLICA_CHECK_SECONDS, or a write may not show on the next page")
    for _number, _url in enumerate(GONGHUI_DB_REPLICAS, start=1):
        _replica = dj_database_url.parse(_url, conn_max_age=GONGHUI_DB_CONN_MAX_AGE)
        _replica["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **_replica.get("OPTIONS", {})}
        _replica["TEST"] = {"MIRROR": "default"}  # a copy of the primary: tests read the primary's test database
        DATABASES[f"replica{_number}"] = _replica
    DATABASE_ROUTERS = ["gonghui.core.dbrouting.ReplicaRouter"]
    MIDDLEWARE.insert(MIDDLEWARE.index("gonghui.core.middleware.OutageMiddleware") + 1,
                      "gonghui.core.dbrouting.StickyPrimaryMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "gonghui.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gonghui.accounts.validators.CharacterClassValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "console:home"

# Lockout: five failures for one account from one address lock that pair for an hour (django-axes);
# the address is the client's behind the proxy (gonghui.core.context.client_ip), so one
# cadre's typing cannot lock out everyone who shares the proxy, nor a stranger lock out a cadre.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "gonghui.core.context.client_ip"
# How many proxies stand in front of the application (deploy/nginx-gonghui.conf: 1). 0: the
# connection's peer is the client and X-Forwarded-For is ignored (it can be forged).
GONGHUI_TRUSTED_PROXY_COUNT = env_int("GONGHUI_TRUSTED_PROXY_COUNT", 0)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Idle timeout: the session lives 30 minutes after the last request. It is saved again only when
# changed or when its last save is older than GONGHUI_SESSION_REFRESH_SECONDS (gonghui.core.sessions),
# not on every request: the session ends 25-30 idle minutes after the last request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
# Seconds after which a request saves the session again to push its expiry on (at most one write per period).
GONGHUI_SESSION_REFRESH_SECONDS = env_int("GONGHUI_SESSION_REFRESH_SECONDS", 300)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# The CSRF refusal page in the user's language and the site's layout (JSON under /api/).
CSRF_FAILURE_VIEW = "gonghui.core.errorpages.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The site's default language (workers and cadres can switch; "en" for English).
LANGUAGE_CODE = env_str("GONGHUI_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

# Where uploaded documents and photos are kept: "local" (MEDIA_ROOT under the data directory, the
# embedded default) or "s3" (an S3-compatible object store through django-storages, for several app
# machines: docs/scaling.md). Either way no URL serves them; the module's view checks scope, then streams.
GONGHUI_STORAGE = env_str("GONGHUI_STORAGE", "local")
# The object store's bucket (GONGHUI_STORAGE=s3); it must exist and must not be public.
GONGHUI_S3_BUCKET = env_str("GONGHUI_S3_BUCKET")
# The object store's endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com or a MinIO address; empty for AWS.
GONGHUI_S3_ENDPOINT_URL = env_str("GONGHUI_S3_ENDPOINT_URL")
# The object store's region name (e.g. cn-hangzhou); empty lets the client decide.
GONGHUI_S3_REGION = env_str("GONGHUI_S3_REGION")
# The object store's access key id; empty uses the machine's own credentials (instance role, ~/.aws).
GONGHUI_S3_ACCESS_KEY = env_str("GONGHUI_S3_ACCESS_KEY")
# The object store's secret access key (with GONGHUI_S3_ACCESS_KEY).
GONGHUI_S3_SECRET_KEY = env_str("GONGHUI_S3_SECRET_KEY")
# "path" (bucket in the path: MinIO, most private stores) or "virtual" (bucket in the host name: AWS, OSS, COS).
GONGHUI_S3_ADDRESSING_STYLE = env_str("GONGHUI_S3_ADDRESSING_STYLE", "path")
# Folder inside the bucket for this instance's files (several instances may share one bucket).
GONGHUI_S3_PREFIX = env_str("GONGHUI_S3_PREFIX")
STORAGES = {
    "default": ({"BACKEND": "gonghui.core.storage.ObjectStorage"} if GONGHUI_STORAGE == "s3"
                else {"BACKEND": "django.core.files.storage.FileSystemStorage"}),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Two caches: "default" for things that can be recomputed (with Redis down it misses and the
# caller reads the database), "ratelimit" for counters shared by every process (with Redis down a
# limited action is refused with "try again shortly": gonghui.core.ratelimit). Without REDIS_URL
# both live in each process's memory, which production settings refuse.
REDIS_URL = env_str("REDIS_URL")
# Seconds to wait for Redis before treating it as down (connect, then each command).
GONGHUI_REDIS_TIMEOUT = env_int("GONGHUI_REDIS_TIMEOUT", 1)
if REDIS_URL:
    _redis_options = {"socket_connect_timeout": GONGHUI_REDIS_TIMEOUT, "socket_timeout": GONGHUI_REDIS_TIMEOUT}
    CACHES = {
        "default": {"BACKEND": "gonghui.core.cache.ForgivingRedisCache", "LOCATION": REDIS_URL,
                    "KEY_PREFIX": "gh", "OPTIONS": _redis_options},
        "ratelimit": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                      "KEY_PREFIX": "gh", "OPTIONS": _redis_options},
    }
    # Sessions read from Redis, kept in the database too: a flushed or unreachable Redis costs a read.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
              "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}}

# Personal data: AES-256-GCM keys (newest first, older ones still decrypt) and the HMAC key
# of the look-up hash. Set in the environment; dev and test settings derive local ones.
GONGHUI_FIELD_KEYS = env_list("GONGHUI_FIELD_KEYS")
GONGHUI_HASH_KEY = env_str("GONGHUI_HASH_KEY")

# Where worker sign-in codes and notices go: the log backends are for development only (production
# refuses them). Dotted paths of the classes.
GONGHUI_SMS_BACKEND = env_str("GONGHUI_SMS_BACKEND", "gonghui.accounts.sms.LogSmsBackend")
# The SMS provider's keys (gonghui.accounts.sms_providers, docs/sms.md): Alibaba Cloud AccessKey ID
# and secret, or Tencent Cloud SecretId and SecretKey.
GONGHUI_SMS_ACCESS_KEY_ID = env_str("GONGHUI_SMS_ACCESS_KEY_ID")
GONGHUI_SMS_ACCESS_KEY_SECRET = env_str("GONGHUI_SMS_ACCESS_KEY_SECRET")
# The approved signature (签名) and sign-in code template (Aliyun SMS_…, Tencent a number); Tencent's SmsSdkAppId.
GONGHUI_SMS_SIGN_NAME = env_str("GONGHUI_SMS_SIGN_NAME")
GONGHUI_SMS_TEMPLATE_SIGN_IN = env_str("GONGHUI_SMS_TEMPLATE_SIGN_IN")
GONGHUI_SMS_APP_ID = env_str("GONGHUI_SMS_APP_ID")
# The provider's API address (empty: its public one; http://127.0.0.1:port for a local stand-in),
# region (empty: cn-hangzhou / ap-guangzhou) and how long one send may take, in milliseconds.
GONGHUI_SMS_ENDPOINT = env_str("GONGHUI_SMS_ENDPOINT")
GONGHUI_SMS_REGION = env_str("GONGHUI_SMS_REGION")
GONGHUI_SMS_TIMEOUT_MS = env_int("GONGHUI_SMS_TIMEOUT_MS", 5000)
# 1 lets `gonghui demo` load its published-password logins into a non-development database (staging).
GONGHUI_ALLOW_DEMO = env_bool("GONGHUI_ALLOW_DEMO", False)
# Where notifications to cadres and workers go (dotted path; the log notifier is for development only).
GONGHUI_NOTIFIER = env_str("GONGHUI_NOTIFIER", "gonghui.core.notify.LogNotifier")
# Messaging (docs/messaging.md): every message is an outbox row sent by `gonghui worker`.
# The task queue's backend: the database (embedded default) or Celery ("django_tasks_celery.CeleryBackend").
GONGHUI_TASKS_BACKEND = env_str("GONGHUI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": GONGHUI_TASKS_BACKEND}}
# Approved SMS template per message kind, "kind=code,kind=code" (kinds: docs/messaging.md).
GONGHUI_SMS_TEMPLATES = env_list("GONGHUI_SMS_TEMPLATES")
# Longest template parameter the provider accepts (Aliyun: 35); longer ones are refused when queued.
GONGHUI_SMS_PARAM_MAX_CHARS = env_int("GONGHUI_SMS_PARAM_MAX_CHARS", 35)
# Tries before a message is parked as failed (staff see it), and the first retry's delay in seconds
# (doubling each time, at most an hour).
GONGHUI_MESSAGING_MAX_ATTEMPTS = env_int("GONGHUI_MESSAGING_MAX_ATTEMPTS", 5)
GONGHUI_MESSAGING_RETRY_SECONDS = env_int("GONGHUI_MESSAGING_RETRY_SECONDS", 30)
# Non-urgent messages per number per day (Beijing time) before the rest wait for the next morning; 0: no cap.
GONGHUI_MESSAGING_DAILY_CAP = env_int("GONGHUI_MESSAGING_DAILY_CAP", 10)
# Quiet hours for non-urgent SMS, local time "HH:MM-HH:MM" (empty: none); held until the end.
GONGHUI_MESSAGING_QUIET_HOURS = env_str("GONGHUI_MESSAGING_QUIET_HOURS", "22:00-08:00")
# A message still "sending" this many seconds after it was claimed (its worker died) is parked, not resent.
GONGHUI_MESSAGING_LEASE_SECONDS = env_int("GONGHUI_MESSAGING_LEASE_SECONDS", 120)
# Notices to groups: above this many recipients a reviewer approves before sending (the county sets it);
# the price of one SMS in yuan, for the cost shown before sending.
GONGHUI_NOTICE_REVIEW_ABOVE = env_int("GONGHUI_NOTICE_REVIEW_ABOVE", 200)
GONGHUI_SMS_PRICE_YUAN = env_str("GONGHUI_SMS_PRICE_YUAN", "0.045")
# The address workers and the public reach the site at, printed in certificate QR codes and links
# (e.g. https://gonghui.example.gov.cn). Production refuses to start without it.
GONGHUI_PUBLIC_BASE_URL = env_str("GONGHUI_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Members: review deadline of join applications (working days, Chinese calendar), how long a
# printed join QR code stays valid, how long a member-card QR code verifies.
GONGHUI_JOIN_REVIEW_WORKDAYS = env_int("GONGHUI_JOIN_REVIEW_WORKDAYS", 15)
GONGHUI_JOIN_LINK_MAX_AGE_DAYS = env_int("GONGHUI_JOIN_LINK_MAX_AGE_DAYS", 730)
GONGHUI_JOIN_CONSENT_VERSION = env_str("GONGHUI_JOIN_CONSENT_VERSION", "2026-11")
GONGHUI_JOIN_PER_PHONE_PER_DAY = env_int("GONGHUI_JOIN_PER_PHONE_PER_DAY", 5)
GONGHUI_JOIN_PER_IP_PER_HOUR = env_int("GONGHUI_JOIN_PER_IP_PER_HOUR", 30)
# Join attempts per ID number per day, over all workers (the form is no look-up of other people).
GONGHUI_JOIN_PER_ID_PER_DAY = env_int("GONGHUI_JOIN_PER_ID_PER_DAY", 3)
GONGHUI_CARD_QR_TTL_SECONDS = env_int("GONGHUI_CARD_QR_TTL_SECONDS", 300)
# Rights: wrong tracking codes per client address per hour; claims per worker per day (phone channel).
GONGHUI_CLAIM_TRACK_FAILURES_PER_HOUR = env_int("GONGHUI_CLAIM_TRACK_FAILURES_PER_HOUR", 10)
GONGHUI_CLAIMS_PER_WORKER_PER_DAY = env_int("GONGHUI_CLAIMS_PER_WORKER_PER_DAY", 5)
# Roster import caps (a real 花名册 is far below each; the caps stop disguised or hostile files).
GONGHUI_IMPORT_MAX_BYTES = env_int("GONGHUI_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
GONGHUI_IMPORT_MAX_ROWS = env_int("GONGHUI_IMPORT_MAX_ROWS", 200_000)
GONGHUI_IMPORT_MAX_COLUMNS = env_int("GONGHUI_IMPORT_MAX_COLUMNS", 100)
GONGHUI_IMPORT_MAX_UNPACKED_BYTES = env_int("GONGHUI_IMPORT_MAX_UNPACKED_BYTES", 300 * 1024 * 1024)
GONGHUI_IMPORT_MAX_ZIP_MEMBERS = env_int("GONGHUI_IMPORT_MAX_ZIP_MEMBERS", 1000)
GONGHUI_IMPORT_DIR = Path(env_str("GONGHUI_IMPORT_DIR", str(DATA_DIR / "imports")))
# Uploaded documents and photos (gonghui.core.uploads): size cap, and a pixel cap against
# decompression bombs (a 48-megapixel phone photo passes).
GONGHUI_UPLOAD_MAX_BYTES = env_int("GONGHUI_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
GONGHUI_UPLOAD_MAX_PIXELS = env_int("GONGHUI_UPLOAD_MAX_PIXELS", 60_000_000)
# Operations (docs/operations.md): where `gonghui backup` writes its archives by default; the free
# space of the data folder below which /health/ reports the disk as failing.
GONGHUI_BACKUP_DIR = Path(env_str("GONGHUI_BACKUP_DIR", str(DATA_DIR / "backups")))
GONGHUI_HEALTH_MIN_FREE_MB = env_int("GONGHUI_HEALTH_MIN_FREE_MB", 500)
# /health/ reports the task queue as failing when a task has been ready this long untaken (no worker running).
GONGHUI_HEALTH_QUEUE_STALE_SECONDS = env_int("GONGHUI_HEALTH_QUEUE_STALE_SECONDS", 900)
# Legal-person registration (docs/registration.md). Authorities: node codes of the federations
# (county or above) whose admins designate registration offices in their subtree; empty = the top
# of the tree. Each office signs with its own key pair in the key directory (<node code>.key.pem).
GONGHUI_REGISTRATION_AUTHORITIES = env_list("GONGHUI_REGISTRATION_AUTHORITIES")
GONGHUI_REGISTRATION_KEY_DIR = Path(env_str("GONGHUI_REGISTRATION_KEY_DIR", str(DATA_DIR / "keys" / "registration")))
GONGHUI_REGISTRATION_KEY_PASSPHRASE = env_str("GONGHUI_REGISTRATION_KEY_PASSPHRASE")  # for encrypted keys
# The signing key of every printed QR code (certificates, join posters, station codes, posted aid
# lists), not the session secret: rotating DJANGO_SECRET_KEY must never void a printed code, nor make
# a certificate look forged. Retired keys still verify (GONGHUI_QR_SIGNING_KEY_FALLBACKS).
GONGHUI_QR_SIGNING_KEY = env_str("GONGHUI_QR_SIGNING_KEY")
GONGHUI_QR_SIGNING_KEY_FALLBACKS = env_list("GONGHUI_QR_SIGNING_KEY_FALLBACKS")

# Legal-person registration: upload caps of application documents and of a certificate PDF
# checked on the public verification page; the font embedded in certificates.
GONGHUI_REGISTRATION_UPLOAD_MAX_BYTES = env_int("GONGHUI_REGISTRATION_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
GONGHUI_REGISTRATION_VERIFY_MAX_BYTES = env_int("GONGHUI_REGISTRATION_VERIFY_MAX_BYTES", 5 * 1024 * 1024)
GONGHUI_CERT_FONT = env_str("GONGHUI_CERT_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
# Statistics: subtrees with more members than this are read from the nightly snapshots, not live.
GONGHUI_STATS_LIVE_LIMIT = env_int("GONGHUI_STATS_LIVE_LIMIT", 200_000)
# Each night also recomputes whole the kept days computed longest ago, so that every day is recomputed
# whole within this many nights (what changes cannot reach is corrected within a week); 0: only the
# days the changes reach.
GONGHUI_STATS_WHOLE_WITHIN_NIGHTS = env_int("GONGHUI_STATS_WHOLE_WITHIN_NIGHTS", 7)

# Production behind TLS: redirect plain HTTP to HTTPS (1), and the HSTS max-age in seconds.
GONGHUI_SSL_REDIRECT = env_bool("GONGHUI_SSL_REDIRECT", True)
GONGHUI_HSTS_SECONDS = env_int("GONGHUI_HSTS_SECONDS", 60 * 60 * 24 * 365)

# The audit log's signed checkpoints (gonghui.core.checkpoints): the Ed25519 signing key (base64 of
# 32 random bytes; kept outside the database, production requires it), public keys of retired
# signing keys (base64), and the file outside the database each checkpoint is also appended to.
GONGHUI_AUDIT_SIGNING_KEY = env_str("GONGHUI_AUDIT_SIGNING_KEY")
GONGHUI_AUDIT_VERIFY_KEYS = env_list("GONGHUI_AUDIT_VERIFY_KEYS")
GONGHUI_AUDIT_CHECKPOINT_FILE = Path(env_str("GONGHUI_AUDIT_CHECKPOINT_FILE", str(DATA_DIR / "audit-checkpoints.txt")))

# Map tiles behind the positions map and the worker's station finder: a URL template such as
# https://tiles.example.org/{z}/{x}/{y}.png. Empty (the default): markers on a blank background,
# and the list, which never needs tiles. Tiles drawn in GCJ-02 (AMap, Tencent) need
# GONGHUI_MAP_TILE_SYSTEM=gcj02 so markers (stored in WGS-84) are shifted onto them.
GONGHUI_MAP_TILE_URL = env_str("GONGHUI_MAP_TILE_URL")
GONGHUI_MAP_TILE_ATTRIBUTION = env_str("GONGHUI_MAP_TILE_ATTRIBUTION")
GONGHUI_MAP_TILE_SYSTEM = env_str("GONGHUI_MAP_TILE_SYSTEM", "wgs84")
# Worker sign-in by SMS code: how long a code lives, wrong tries per code, codes per phone per hour.
GONGHUI_OTP_TTL_SECONDS = env_int("GONGHUI_OTP_TTL_SECONDS", 300)
GONGHUI_OTP_MAX_ATTEMPTS = env_int("GONGHUI_OTP_MAX_ATTEMPTS", 5)
GONGHUI_OTP_PER_PHONE_PER_HOUR = env_int("GONGHUI_OTP_PER_PHONE_PER_HOUR", 5)
# Node kinds whose admins must use TOTP (county level and above).
GONGHUI_TOTP_REQUIRED_KINDS = env_list("GONGHUI_TOTP_REQUIRED_KINDS", "province,city,county")
# Roles that must use TOTP at every level: those that may see or export unmasked personal data.
GONGHUI_TOTP_REQUIRED_ROLES = env_list("GONGHUI_TOTP_REQUIRED_ROLES", "admin,clerk")
# Hours a password-reset or authenticator-enrolment link issued by an admin stays valid (used once).
GONGHUI_ACCOUNT_LINK_HOURS = env_int("GONGHUI_ACCOUNT_LINK_HOURS", 72)
# The address the site is served at, for links printed outside a request (create-admin, certificates).
GONGHUI_PUBLIC_BASE_URL = env_str("GONGHUI_PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# Logs go to stdout for the service manager, every record with the id of its request (the
# X-Request-ID header, gonghui.core.middleware). GONGHUI_LOG_FORMAT: "json" (one JSON object a line;
# production's default) or "text"; GONGHUI_LOG_LEVEL: the level of the gonghui loggers.
GONGHUI_LOG_FORMAT = env_str("GONGHUI_LOG_FORMAT", "text")
GONGHUI_LOG_LEVEL = env_str("GONGHUI_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "gonghui.core.middleware.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {"()": "gonghui.core.middleware.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
                             "filters": ["request_id"], "formatter": GONGHUI_LOG_FORMAT}},
    # Everything at WARNING and above (django.request logs each 4xx/5xx answer with its traceback).
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"gonghui": {"level": GONGHUI_LOG_LEVEL}},
}
# Seconds a client is told to wait (Retry-After) when the database or cache is unreachable.
GONGHUI_RETRY_AFTER_SECONDS = env_int("GONGHUI_RETRY_AFTER_SECONDS", 30)

# Content-Security-Policy (django-csp): scripts only from our own static files or with the
# request's nonce ({{ request.csp_nonce }}); nothing from other sites. Styles only from our own
# stylesheets, no inline style block or attribute (injected markup cannot restyle a page to hide a
# warning or lay a fake button over a real one); tests/core/test_no_inline_styles.py keeps the
# templates so. Scripts may still set element.style (CSSOM), which the policy does not govern.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
if GONGHUI_MAP_TILE_URL:  # map tiles from the configured tile server
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        "{0.scheme}://{0.netloc}".format(urlsplit(GONGHUI_MAP_TILE_URL.replace("{s}", "a"))).replace("://a.", "://*."))

NINJA_PAGINATION_PER_PAGE = 50

# Personal-information rights (gonghui/privacy, docs/privacy.md). The privacy notice's version: a new
# version asks every worker again at their next visit (earlier consents are kept).
GONGHUI_PRIVACY_NOTICE_VERSION = env_str("GONGHUI_PRIVACY_NOTICE_VERSION", "2026-12")
# Whether the worker pages wait until a signed-in worker has accepted the current notice.
GONGHUI_PRIVACY_NOTICE_REQUIRED = env_bool("GONGHUI_PRIVACY_NOTICE_REQUIRED", True)
# Working days a union has to answer a worker's correction or deletion request (Chinese calendar).
GONGHUI_PRIVACY_REQUEST_WORKDAYS = env_int("GONGHUI_PRIVACY_REQUEST_WORKDAYS", 15)
# Retention per record type, "type=years" after the record ended (e.g. "aid_paid=30,claim_closed=3");
# types and defaults in gonghui/privacy/retention.py; `gonghui privacy-expire` anonymises what expired.
GONGHUI_PRIVACY_RETENTION = env_list("GONGHUI_PRIVACY_RETENTION", "")
