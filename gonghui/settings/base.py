"""Settings shared by every environment; everything that differs comes from the environment.

Environment variables:
    DATABASE_URL                 default: SQLite file under GONGHUI_DATA_DIR
    GONGHUI_DATA_DIR             default: ./data (database, uploads, generated dev keys)
    DJANGO_SECRET_KEY            required in production
    GONGHUI_FIELD_KEYS           comma-separated base64 AES-256 keys, newest first (rotation)
    GONGHUI_HASH_KEY             base64 key for the keyed look-up hash (HMAC-SHA256)
    GONGHUI_SMS_BACKEND          dotted path of the SMS backend class
    GONGHUI_ALLOWED_HOSTS        comma-separated
    REDIS_URL                    optional cache
"""

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("GONGHUI_DATA_DIR", Path.cwd() / "data")).resolve()


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


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
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
    "gonghui.stats",
    "gonghui.console",
    "gonghui.worker",
    "gonghui.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gonghui.accounts.middleware.WorkerMiddleware",
    "gonghui.accounts.middleware.ScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'gonghui.sqlite3'}"),
        conn_max_age=int(os.environ.get("GONGHUI_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; IMMEDIATE avoids the
    # "database is locked" upgrade deadlock of deferred transactions.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
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

# Lockout: five failures for one account lock it for an hour (django-axes).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Idle timeout: the session lives 30 minutes after the last request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
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

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["REDIS_URL"]}}

# Personal data: AES-256-GCM keys (newest first, older ones still decrypt) and the HMAC key
# of the look-up hash. Set in the environment; dev and test settings derive local ones.
GONGHUI_FIELD_KEYS = env_list("GONGHUI_FIELD_KEYS")
GONGHUI_HASH_KEY = os.environ.get("GONGHUI_HASH_KEY", "")

GONGHUI_SMS_BACKEND = os.environ.get("GONGHUI_SMS_BACKEND", "gonghui.accounts.sms.LogSmsBackend")
GONGHUI_ALLOW_DEMO = os.environ.get("GONGHUI_ALLOW_DEMO", "") == "1"
GONGHUI_NOTIFIER = os.environ.get("GONGHUI_NOTIFIER", "gonghui.core.notify.LogNotifier")
# Members: review deadline of join applications (working days, Chinese calendar), how long a
# printed join QR code stays valid, how long a member-card QR code verifies.
GONGHUI_JOIN_REVIEW_WORKDAYS = 15
GONGHUI_JOIN_LINK_MAX_AGE_DAYS = 730
GONGHUI_JOIN_CONSENT_VERSION = "2026-11"
GONGHUI_JOIN_PER_PHONE_PER_DAY = 5
GONGHUI_JOIN_PER_IP_PER_HOUR = 30
GONGHUI_CARD_QR_TTL_SECONDS = 300
# Roster import caps (a real 花名册 is far below each; the caps stop disguised or hostile files).
GONGHUI_IMPORT_MAX_BYTES = 50 * 1024 * 1024
GONGHUI_IMPORT_MAX_ROWS = 200_000
GONGHUI_IMPORT_MAX_COLUMNS = 100
GONGHUI_IMPORT_MAX_UNPACKED_BYTES = 300 * 1024 * 1024
GONGHUI_IMPORT_MAX_ZIP_MEMBERS = 1000
GONGHUI_IMPORT_DIR = DATA_DIR / "imports"
# Uploaded documents and photos (gonghui.core.uploads): size cap, and a pixel cap against
# decompression bombs (a 48-megapixel phone photo passes).
GONGHUI_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
GONGHUI_UPLOAD_MAX_PIXELS = 60_000_000

# Map tiles behind the positions map and the worker's station finder: a URL template such as
# https://tiles.example.org/{z}/{x}/{y}.png. Empty (the default): markers on a blank background,
# and the list, which never needs tiles. Tiles drawn in GCJ-02 (AMap, Tencent) need
# GONGHUI_MAP_TILE_SYSTEM=gcj02 so markers (stored in WGS-84) are shifted onto them.
GONGHUI_MAP_TILE_URL = os.environ.get("GONGHUI_MAP_TILE_URL", "")
GONGHUI_MAP_TILE_ATTRIBUTION = os.environ.get("GONGHUI_MAP_TILE_ATTRIBUTION", "")
GONGHUI_MAP_TILE_SYSTEM = os.environ.get("GONGHUI_MAP_TILE_SYSTEM", "wgs84")
GONGHUI_OTP_TTL_SECONDS = 300
GONGHUI_OTP_MAX_ATTEMPTS = 5
GONGHUI_OTP_PER_PHONE_PER_HOUR = 5
# Node kinds whose admins must use TOTP (county level and above).
GONGHUI_TOTP_REQUIRED_KINDS = ["province", "city", "county"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"gonghui": {"handlers": ["console"], "level": "INFO"}},
}

NINJA_PAGINATION_PER_PAGE = 50
