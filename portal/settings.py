"""Settings for the social media governance portal.

One module for every environment: what differs in production is an environment
variable (docs/operations.md lists them all). With no variable set, a fresh checkout
runs as a local demo: SQLite and an embedded Celery broker under ``var/``, e-mail to
the console, DEBUG on.
"""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.env import (
    env_bool,
    env_int,
    env_list,
    env_matching,
    env_rates,
    env_str,
    env_time,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# --- Core -------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", True)

# Only ever used with DEBUG on; production must set its own (checked below).
_DEV_SECRET_KEY = "django-insecure-local-development-key-never-use-in-production"  # nosec B105
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

if not DEBUG:
    if SECRET_KEY == _DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a long random value when DJANGO_DEBUG is off."
        )
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be at least 50 characters with at least 5 distinct ones."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS must list the portal's host names when DJANGO_DEBUG is off."
        )

# The organisation's domains for Bluesky handles (metrics/handles.py): a channel whose
# handle is one of them or under one (news.example.edu under example.edu) links to the
# organisation through it, and the portal answers Bluesky's handle check,
# https://<handle>/.well-known/atproto-did, for those hosts once their DNS points here.
# So each domain and its subdomains are allowed hosts too (".example.edu").
PORTAL_HANDLE_DOMAINS = []
for _domain in env_list("PORTAL_HANDLE_DOMAINS"):
    _domain = _domain.lower().strip(".")
    if not re.fullmatch(
        r"([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?", _domain
    ):
        raise ImproperlyConfigured(
            f"PORTAL_HANDLE_DOMAINS must be comma-separated domain names, not {_domain!r}."
        )
    PORTAL_HANDLE_DOMAINS.append(_domain)
ALLOWED_HOSTS += [f".{domain}" for domain in PORTAL_HANDLE_DOMAINS]

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",  # django.contrib.admin with the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.saml",
    "allauth.mfa",
    "core",
    "portal",
    "portal.oidc",  # allauth's OpenID Connect provider, stricter (portal/oidc/)
    "accounts",
    "checklist",
    "guidelines",
    "metrics",
    "lookalikes",  # the impersonation watch (issue 20)
    "demo",  # the demo university: manage.py seed_demo (make run)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Logs once if requests come through a proxy that PORTAL_CLIENT_IP_HEADER does not
    # name (core/client_ip.py); gone from the chain when the header is named.
    "core.client_ip.UnnamedProxyWarningMiddleware",
    # The Content-Security-Policy header on every response, static files included (the
    # policy is under "Security" below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "portal.auth.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Deny by default: every view needs a login unless it opts out explicitly
    # with @login_not_required (portal/tests/test_url_access.py walks them all).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A view over its rate limit answers 429 with the portal's page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Idle and absolute session limits; no caching of signed-in pages (portal/sessions.py).
    "portal.sessions.SessionLimitsMiddleware",
    # Writes down every 403 and every sign-in refused by the lockout (portal/access_audit.py);
    # before AxesMiddleware, so that it sees the lockout page.
    "portal.access_audit.AccessDenialMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
    {
        # Plain-text e-mail (core.notifications): nothing to escape in text/plain.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# --- Database ---------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username and address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, as allauth's login form and single sign-on use it, with the
    # signed-in person kept in the cache (portal/auth.py).
    "portal.auth.AuthenticationBackend",
    "portal.auth.PortalAdminPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login protection (django-axes, portal/login_protection.py): this many failed sign-ins
# for one username from one address lock that pair out for the cool-off, counted from
# the last failure. Other addresses and other usernames are not affected; there is no
# permanent lockout. Attempts, sign-ins and failures are kept in the database.
AXES_FAILURE_LIMIT = env_int("PORTAL_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PORTAL_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Attempts during the lockout do not extend it, so the page can say when it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A successful sign-in clears the failures of that username from that address only.
AXES_RESET_ON_SUCCESS = True
# The login form's username field (allauth's "login"; portal.sso.LoginForm passes it on).
AXES_USERNAME_FORM_FIELD = "login"
# ... counted case-insensitively, as sign-in matches it: "Demo-Staff3 " and "demo-staff3"
# are one username, so that changing the case neither gets around a lockout nor clears it.
AXES_USERNAME_CALLABLE = "portal.login_protection.normalised_username"
# The access audit: every sign-in and sign-out (AccessLog) and every failed sign-in
# (AccessFailureLog, the latest 1,000 per username) is kept; portal.admin shows them.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# ... kept this many days, then forgotten by a weekly task (portal.tasks.prune_access_audit).
PORTAL_ACCESS_AUDIT_RETENTION_DAYS = env_int("PORTAL_ACCESS_AUDIT_RETENTION_DAYS", 365, minimum=1)
AXES_ENABLE_ADMIN = False  # registered read-only by portal.admin instead
# The client's address as the rate limits see it (PORTAL_CLIENT_IP_HEADER below).
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_address"
AXES_LOCKOUT_CALLABLE = "portal.login_protection.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429

# Single sign-on and local accounts (django-allauth, portal/sso.py, docs/operations.md).
# Local accounts: username and password, made by administrators; no public sign-up, no
# e-mail pages, no "remember me" (sessions end as PORTAL_SESSION_* say).
ACCOUNT_ADAPTER = "portal.sso.AccountAdapter"
ACCOUNT_FORMS = {"login": "portal.sso.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = False  # an SSO account may share a local account's address
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
# Failed sign-ins are counted by django-axes above, not twice. This also switches off
# allauth's limit on wrong two-step codes; portal/two_step.py has its own (below).
ACCOUNT_RATE_LIMITS = {"login_failed": None}
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None  # portal.sso.AccountAdapter.get_client_ip decides
# Two-step sign-in for local accounts: a code from an authenticator app (TOTP), or one
# of ten recovery codes made when it is turned on, each good once, shown once (to
# download or print; new ones replace them), for whoever lost their phone. Using one
# is mailed to the person (portal/two_step.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_RECOVERY_CODES_SHOW_ONCE = True
# Wrong codes at the second step (portal/two_step.py): this many for one person from any
# address, or this many from one address for anyone, within the login cool-off pause
# signing in with a code until fewer remain in it, even with the right code. Each is a
# failed sign-in to django-axes too, so it counts towards the lockout above.
PORTAL_TWO_STEP_FAILURE_LIMIT = env_int("PORTAL_TWO_STEP_FAILURE_LIMIT", 5, minimum=1)
PORTAL_TWO_STEP_ADDRESS_LIMIT = env_int("PORTAL_TWO_STEP_ADDRESS_LIMIT", 20, minimum=1)
SOCIALACCOUNT_ADAPTER = "portal.sso.SocialAccountAdapter"
# People are matched on the identity provider's subject only: an e-mail address that
# equals a local account's never signs into that account, nor connects to it.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_LOGIN_ON_GET = False  # the "Sign in with ..." buttons post a form
SOCIALACCOUNT_STORE_TOKENS = False
# First sign-in through the identity provider makes the account; off: only people who
# already have a linked account get in.
PORTAL_SSO_PROVISION = env_bool("PORTAL_SSO_PROVISION", True)
SOCIALACCOUNT_PROVIDERS = {}
if env_str("PORTAL_OIDC_SERVER_URL"):
    SOCIALACCOUNT_PROVIDERS["portal_oidc"] = {
        "APPS": [
            {
                "provider_id": env_str("PORTAL_OIDC_ID", "oidc"),
                "name": env_str("PORTAL_OIDC_NAME", "single sign-on"),
                "client_id": env_str("PORTAL_OIDC_CLIENT_ID", ""),
                "secret": env_str("PORTAL_OIDC_CLIENT_SECRET", ""),
                "settings": {
                    "server_url": env_str("PORTAL_OIDC_SERVER_URL"),
                    "scope": env_list("PORTAL_OIDC_SCOPES", ["openid", "profile", "email"]),
                },
            }
        ]
    }
    if not SOCIALACCOUNT_PROVIDERS["portal_oidc"]["APPS"][0]["client_id"]:
        raise ImproperlyConfigured("PORTAL_OIDC_CLIENT_ID must be set with PORTAL_OIDC_SERVER_URL.")
if env_str("PORTAL_SAML_IDP_ENTITY_ID"):
    _saml_required = ["PORTAL_SAML_IDP_SSO_URL", "PORTAL_SAML_IDP_X509_CERT"]
    for _name in _saml_required:
        if not env_str(_name):
            raise ImproperlyConfigured(f"{_name} must be set with PORTAL_SAML_IDP_ENTITY_ID.")
    SOCIALACCOUNT_PROVIDERS["saml"] = {
        "APPS": [
            {
                # The slug in the portal's SAML addresses (/accounts/saml/<slug>/acs/).
                "client_id": env_str("PORTAL_SAML_ID", "saml"),
                "provider_id": env_str("PORTAL_SAML_ID", "saml"),
                "name": env_str("PORTAL_SAML_NAME", "single sign-on"),
                "settings": {
                    "idp": {
                        "entity_id": env_str("PORTAL_SAML_IDP_ENTITY_ID"),
                        "sso_url": env_str("PORTAL_SAML_IDP_SSO_URL"),
                        "x509cert": env_str("PORTAL_SAML_IDP_X509_CERT"),
                    },
                    "sp": {"entity_id": env_str("PORTAL_SAML_SP_ENTITY_ID")},
                    # Which attribute holds the person's stable identifier (else the
                    # NameID), and the others; e.g. eduPersonPrincipalName.
                    "attribute_mapping": {
                        "uid": env_list(
                            "PORTAL_SAML_UID_ATTRIBUTES",
                            [
                                "urn:oasis:names:tc:SAML:attribute:subject-id",
                                "urn:oid:1.3.6.1.4.1.5923.1.1.1.6",
                            ],
                        ),
                        "email": ["urn:oid:0.9.2342.19200300.100.1.3", "mail"],
                        "first_name": ["urn:oid:2.5.4.42", "givenName"],
                        "last_name": ["urn:oid:2.5.4.4", "sn"],
                        "username": ["urn:oid:0.9.2342.19200300.100.1.1", "uid"],
                    },
                    "advanced": {
                        "strict": True,
                        "want_assertion_signed": True,
                        "reject_idp_initiated_sso": True,
                        "reject_deprecated_algorithm": True,
                    },
                },
            }
        ]
    }

# --- Cache ------------------------------------------------------------------------
# Counters for rate limits live here, so production shares one cache between its
# processes (CACHE_URL=redis://...); the default is per process, fine for the demo.

CACHE_URL = env_str("CACHE_URL", "locmem://")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        # Django's, reusing its Redis clients, and a cache that misses instead of failing
        # the request when Redis fails (core/redis_cache.py).
        "default": {"BACKEND": "core.redis_cache.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(f"CACHE_URL must be locmem:// or redis://..., not {CACHE_URL!r}.")

# The Redis cache waits this long for an answer (to connect, and to each command); after
# an error, each process leaves Redis alone this long, computing pages instead.
PORTAL_CACHE_TIMEOUT_MS = env_int("PORTAL_CACHE_TIMEOUT_MS", 250, minimum=1)
PORTAL_CACHE_BREAKER_SECONDS = env_int("PORTAL_CACHE_BREAKER_SECONDS", 5, minimum=1)
# With the cache down, a rate-limited view (the public report form) is not limited,
# rather than refused (django-ratelimit counts in the cache).
RATELIMIT_FAIL_OPEN = True

# Rate limits and login protection count per client address (core/client_ip.py
# reads the same header). Behind a reverse proxy every request comes
# from the proxy: name the header in which it passes the client's address, as
# Django's request.META key (e.g. HTTP_X_REAL_IP), and make sure the proxy sets it.
RATELIMIT_IP_META_KEY = env_str("PORTAL_CLIENT_IP_HEADER")
# A view over its django-ratelimit limit (block=True) answers with the portal's 429 page,
# through django_ratelimit.middleware.RatelimitMiddleware.
RATELIMIT_VIEW = "portal.views.too_many_requests"

# --- Health ------------------------------------------------------------------------
# /healthz checks the database, the cache and the broker. A failing check listed here
# answers 503; any other, 200 "degraded" (people are still served without it).

PORTAL_HEALTHZ_REQUIRED = env_list("PORTAL_HEALTHZ_REQUIRED", ["database"])
if set(PORTAL_HEALTHZ_REQUIRED) - {"database", "cache", "broker"}:
    raise ImproperlyConfigured(
        "PORTAL_HEALTHZ_REQUIRED must list some of database, cache and broker, "
        f"not {PORTAL_HEALTHZ_REQUIRED!r}."
    )

# --- Internationalisation ---------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("sv", _("Swedish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Dates and numbers follow the language (Swedish: 28 november 2026, 12 345,5). English
# dates are the organisation's European ones (portal/formats/en), not the American.
# Digits are grouped where the templates ask (|figure, formats.number_format with
# force_grouping), not everywhere: USE_THOUSAND_SEPARATOR would also group numbers
# that go into addresses and attributes (?page=1001).
FORMAT_MODULE_PATH = ["portal.formats"]
USE_TZ = True
# Times are stored in UTC and shown in the organisation's time zone.
TIME_ZONE = env_str("PORTAL_TIME_ZONE", "Europe/Stockholm")

# --- Static files -----------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # collectstatic's target; WhiteNoise reads it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed file names in production (needs collectstatic);
        # plain files while developing so that no build step is needed. Each address
        # worked out once per process (core/static_files.py).
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "core.static_files.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail -----------------------------------------------------------------------

EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Social media portal <portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security (production values follow DEBUG; each can be overridden) -------------

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
# Over HTTPS the cookies take the __Host- prefix: the browser then refuses them unless
# they are Secure, for the whole site and for this host only (no Domain).
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
if CSRF_COOKIE_SECURE:
    CSRF_COOKIE_NAME = "__Host-csrftoken"
# A signed-in session ends after this many minutes without a request, and this many
# hours after signing in in any case (portal/sessions.py).
PORTAL_SESSION_IDLE_MINUTES = env_int("PORTAL_SESSION_IDLE_MINUTES", 60, minimum=1)
PORTAL_SESSION_MAX_HOURS = env_int("PORTAL_SESSION_MAX_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = PORTAL_SESSION_MAX_HOURS * 3600
# Sessions are read from the cache and written through to the database: no query on
# most requests, and a session survives the cache being emptied. Django's cached_db, read
# with the cache versions in one round trip (portal/sessions.py).
SESSION_ENGINE = "portal.sessions"
# Argon2id first; the others only to check (and then upgrade) older hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    # Only behind a proxy that sets this header itself and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content Security Policy (django-csp): every script and stylesheet comes from the
# portal's own static files, never inline, so injected markup can neither run script
# nor restyle the page. Forms post only to the portal, and to the identity providers
# listed in PORTAL_CSP_FORM_ACTION (Chromium applies form-action to the redirects that
# follow a post too, as single sign-on does). PORTAL_CSP_REPORT_ONLY=true reports
# violations (to PORTAL_CSP_REPORT_URI, or the browser's console) without blocking.
PORTAL_CSP_FORM_ACTION = env_list("PORTAL_CSP_FORM_ACTION")
for _origin in PORTAL_CSP_FORM_ACTION:
    if not re.fullmatch(r"https?://[^\s;,'\"]+", _origin):
        raise ImproperlyConfigured(
            f"PORTAL_CSP_FORM_ACTION must list origins such as https://idp.example.org, "
            f"not {_origin!r}."
        )
# The configured identity providers' sign-in pages are allowed without being listed.
_SSO_ORIGINS = sorted(
    {
        "{0.scheme}://{0.netloc}".format(urlsplit(_url))
        for _url in (env_str("PORTAL_OIDC_SERVER_URL"), env_str("PORTAL_SAML_IDP_SSO_URL"))
        if _url
    }
)
_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF, *PORTAL_CSP_FORM_ACTION, *_SSO_ORIGINS],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "report-uri": env_str("PORTAL_CSP_REPORT_URI"),
    }
}
if env_bool("PORTAL_CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP

# --- Celery -----------------------------------------------------------------------

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded broker: messages are files under var/celery, so that the demo
    # needs no server. Web, worker and beat must share this folder (one machine).
    _queue = VAR_DIR / "celery" / "queue"
    _control = VAR_DIR / "celery" / "control"
    for _folder in (_queue, _control):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "control_folder": str(_control),
        "store_processed": False,
    }
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A message a worker took but did not acknowledge (it was killed) goes back to the
    # queue after this many seconds. It must exceed the longest retry countdown (an
    # hour), or a task waiting for its retry would be handed to a second worker too.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 7200, minimum=1)
    }
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 3, minimum=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND")
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
# A task is acknowledged when it has finished, so a worker killed mid-task leaves it
# in the queue for another; tasks must therefore be idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery closes the database connection after every task unless told to reuse it;
# opening one per task was a fifth of the collector's CPU time (bench/collect.py).
# Reused for this many tasks, then closed and opened afresh.
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 100, minimum=0)
# A task that meets a transient database or broker error (a restart, a failover) is
# retried, the n-th time after up to CELERY_DB_RETRY_BASE_SECONDS * 2**n seconds (full
# jitter, at most 10 minutes), this many times (portal/celery.py).
CELERY_DB_RETRY_MAX = env_int("CELERY_DB_RETRY_MAX", 12, minimum=0)
CELERY_DB_RETRY_BASE_SECONDS = env_int("CELERY_DB_RETRY_BASE_SECONDS", 2, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180, minimum=1)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Metrics collection has a queue of its own, so that ten thousand collection tasks never
# delay an e-mail, and so that production can give it its own workers (docs/operations.md).
CELERY_TASK_ROUTES = {
    "metrics.tasks.collect_channel": {"queue": "metrics"},
    "metrics.tasks.collect_batch": {"queue": "metrics"},
    "metrics.tasks.collect_all": {"queue": "metrics"},
    "metrics.tasks.collect_now": {"queue": "metrics"},
    "metrics.tasks.verify_all": {"queue": "metrics"},
    "metrics.tasks.verify_channel": {"queue": "metrics"},
    # The impersonation watch's searches share the platforms' request budgets (and the
    # limiter) with the collection, so they run on the same workers.
    "lookalikes.tasks.watch_all": {"queue": "metrics"},
    "lookalikes.tasks.watch_search": {"queue": "metrics"},
}
METRICS_COLLECT_TIME = env_time("METRICS_COLLECT_TIME", "03:15")
# After the collection: every running channel's summary is refreshed, then dormancy.
METRICS_REVIEW_TIME = env_time("METRICS_REVIEW_TIME", "06:00")
PORTAL_REPORT_REMINDER_TIME = env_time("PORTAL_REPORT_REMINDER_TIME", "08:30")
# The impersonation watch's daily searches (lookalikes/tasks.py), after the collection
# and the link checks, which share the platforms' request budgets; off with
# LOOKALIKES_ENABLED=false. Its digest to the office goes out on Mondays.
LOOKALIKES_ENABLED = env_bool("LOOKALIKES_ENABLED", True)
LOOKALIKES_TIME = env_time("LOOKALIKES_TIME", "04:30")
LOOKALIKES_DIGEST_TIME = env_time("LOOKALIKES_DIGEST_TIME", "08:40")
CELERY_BEAT_SCHEDULE = {
    "metrics-collect-all": {
        "task": "metrics.tasks.collect_all",
        "schedule": crontab(hour=METRICS_COLLECT_TIME[0], minute=METRICS_COLLECT_TIME[1]),
    },
    # Whether each account still links back to its page in the portal (after the
    # collection, which shares the platforms' request budgets).
    "metrics-verify-all": {
        "task": "metrics.tasks.verify_all",
        "schedule": crontab(hour=5, minute=15),
    },
    "metrics-token-expiry-warnings": {
        "task": "metrics.tasks.warn_expiring_tokens",
        "schedule": crontab(hour=7, minute=15),
    },
    "metrics-refresh-tokens": {
        "task": "metrics.tasks.refresh_tokens",
        "schedule": crontab(minute=40),
    },
    "metrics-review-activity": {
        "task": "metrics.tasks.review_activity",
        "schedule": crontab(hour=METRICS_REVIEW_TIME[0], minute=METRICS_REVIEW_TIME[1]),
    },
    "metrics-api-version-warnings": {
        "task": "metrics.tasks.warn_ending_api_versions",
        "schedule": crontab(hour=7, minute=20),
    },
    "metrics-prune-attempts": {
        "task": "metrics.tasks.prune_attempts",
        "schedule": crontab(day_of_week="sun", hour=4, minute=0),
    },
    "portal-sweep-outbox": {
        "task": "core.tasks.sweep_outbox",
        "schedule": 60.0,
    },
    "portal-prune-outbox": {
        "task": "core.tasks.prune_outbox",
        "schedule": crontab(day_of_week="sun", hour=4, minute=45),
    },
    "portal-prune-access-audit": {
        "task": "portal.tasks.prune_access_audit",
        "schedule": crontab(day_of_week="sun", hour=4, minute=30),
    },
    "registry-orphaned-channels": {
        "task": "accounts.tasks.report_orphaned_channels",
        "schedule": crontab(hour=6, minute=30),
    },
    "review-overdue-reminders": {
        "task": "checklist.tasks.remind_overdue_reviews",
        "schedule": crontab(day_of_week="mon", hour=8, minute=0),
    },
    "registry-open-report-reminders": {
        "task": "accounts.tasks.remind_open_reports",
        "schedule": crontab(
            hour=PORTAL_REPORT_REMINDER_TIME[0], minute=PORTAL_REPORT_REMINDER_TIME[1]
        ),
    },
    **(
        {
            "lookalikes-watch-all": {
                "task": "lookalikes.tasks.watch_all",
                "schedule": crontab(hour=LOOKALIKES_TIME[0], minute=LOOKALIKES_TIME[1]),
            },
            "lookalikes-weekly-digest": {
                "task": "lookalikes.tasks.send_weekly_digest",
                "schedule": crontab(
                    day_of_week="mon",
                    hour=LOOKALIKES_DIGEST_TIME[0],
                    minute=LOOKALIKES_DIGEST_TIME[1],
                ),
            },
        }
        if LOOKALIKES_ENABLED
        else {}
    ),
    "registry-recertification-reminders": {
        "task": "accounts.tasks.send_recertification_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
}

# --- Logging ----------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("PORTAL_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # httpx logs every request's full URL at INFO, and YouTube takes its key in the
        # query string: keep it out of the logs.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        # django-axes announces its configuration at every start, even of a command.
        "axes.apps": {"level": "WARNING"},
    },
}

# --- The outbox (core.models.OutboxMessage) ---------------------------------------
# Every e-mail and follow-up task caused by an action is written with the action and
# delivered by a worker. A worker holds a message this long while delivering it; if it
# dies meanwhile, another takes it over after that (keep it above EMAIL_TIMEOUT).
PORTAL_OUTBOX_LEASE_SECONDS = env_int("PORTAL_OUTBOX_LEASE_SECONDS", 300, minimum=1)
# A failed delivery is tried again after PORTAL_OUTBOX_RETRY_SECONDS * 2**n seconds (at
# most an hour), at most PORTAL_OUTBOX_MAX_ATTEMPTS times in all (about 17 hours with
# the defaults); then it is marked "given up" for an administrator to send again.
PORTAL_OUTBOX_RETRY_SECONDS = env_int("PORTAL_OUTBOX_RETRY_SECONDS", 30, minimum=1)
PORTAL_OUTBOX_MAX_ATTEMPTS = env_int("PORTAL_OUTBOX_MAX_ATTEMPTS", 24, minimum=1)
# Delivered messages are kept this many days (for the admin), then forgotten.
PORTAL_OUTBOX_RETENTION_DAYS = env_int("PORTAL_OUTBOX_RETENTION_DAYS", 30, minimum=1)

# --- The portal -------------------------------------------------------------------

PORTAL_ORGANISATION_NAME = env_str("PORTAL_ORGANISATION_NAME", "Fictional University")
MFA_TOTP_ISSUER = PORTAL_ORGANISATION_NAME  # the name authenticator apps show
# Other names and abbreviations the organisation goes by ("UU,Uppsala universitet"),
# comma-separated: the daily profile check notes whether an account's name or bio names
# the organisation by one of these or by PORTAL_ORGANISATION_NAME, and the impersonation
# watch searches for them and compares found accounts with them.
PORTAL_ORGANISATION_ALIASES = env_list("PORTAL_ORGANISATION_ALIASES")
# The portal's public address, for links in e-mail (no trailing slash).
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# The public verify API (GET /api/verify?url=..., accounts/views/api.py): requests a
# client address may make (django-ratelimit's "number/period", e.g. 60/m; over it, 429
# with Retry-After), and how long browsers and shared HTTP caches may keep an answer
# (Cache-Control max-age and s-maxage, also of /directory.json), in seconds.
PORTAL_VERIFY_API_RATE = env_matching(
    "PORTAL_VERIFY_API_RATE", "60/m", r"[1-9][0-9]*/[0-9]*[smhd]", example="60/m"
)
PORTAL_API_CACHE_SECONDS = env_int("PORTAL_API_CACHE_SECONDS", 300, minimum=0)
# Which group reviews proposals for which platform (default: the communications
# office). LinkedIn showcase pages are decided by their own working group; set e.g.
# PORTAL_REVIEWER_GROUPS=linkedin:linkedin-working-group (comma-separated pairs).
PORTAL_REVIEWER_GROUPS = dict(
    pair.split(":", 1) for pair in env_list("PORTAL_REVIEWER_GROUPS") if ":" in pair
)

# Working days a proposal may wait at one stage before the review queue flags it.
PORTAL_REVIEW_SERVICE_DAYS = env_int("PORTAL_REVIEW_SERVICE_DAYS", 10, minimum=1)

# Every running channel is recertified this many months after approval or its last
# recertification; owners are reminded from this many days before the date, and the
# unit head too once it is this many days overdue.
PORTAL_RECERTIFICATION_MONTHS = env_int("PORTAL_RECERTIFICATION_MONTHS", 12, minimum=1)
PORTAL_RECERTIFICATION_REMINDER_DAYS = env_int(
    "PORTAL_RECERTIFICATION_REMINDER_DAYS", 30, minimum=0
)
PORTAL_RECERTIFICATION_ESCALATION_DAYS = env_int(
    "PORTAL_RECERTIFICATION_ESCALATION_DAYS", 30, minimum=0
)

# Reports of suspected fake accounts still open after this many days are listed in one
# daily digest to the communications office (at PORTAL_REPORT_REMINDER_TIME).
PORTAL_REPORT_REMINDER_DAYS = env_int("PORTAL_REPORT_REMINDER_DAYS", 3, minimum=0)

# --- Metrics collection (docs/operations.md, "Metrics collection") -----------------

# Keys of the platforms that need one; a platform without its key is not collected.
YOUTUBE_API_KEY = env_str("YOUTUBE_API_KEY", "")
X_BEARER_TOKEN = env_str("X_BEARER_TOKEN", "")
# Fernet keys for the owners' per-channel tokens (comma-separated; the first encrypts).
# Unset: one key derived from DJANGO_SECRET_KEY.
METRICS_TOKEN_KEYS = env_list("METRICS_TOKEN_KEYS")
# Owners are warned this many days before their token expires (once).
METRICS_TOKEN_WARNING_DAYS = env_int("METRICS_TOKEN_WARNING_DAYS", 14, minimum=1)
# Connecting a channel by signing in to its platform (metrics.oauth): the portal's app
# at Meta, LinkedIn and Google (docs/operations.md). A platform without a client id has
# no "connect" button; administrators can still paste a token.
METRICS_OAUTH_CLIENTS = {
    name: (
        env_str(f"METRICS_{prefix}_CLIENT_ID", ""),
        env_str(f"METRICS_{prefix}_CLIENT_SECRET", ""),
    )
    for name, prefix in [("meta", "META"), ("linkedin", "LINKEDIN"), ("google", "GOOGLE")]
}
for _name, (_client_id, _client_secret) in METRICS_OAUTH_CLIENTS.items():
    if _client_id and not _client_secret:
        raise ImproperlyConfigured(
            f"METRICS_{_name.upper()}_CLIENT_SECRET must be set with its client id."
        )
# Facebook Login for Business: the id of the login configuration (with the permissions)
# made in the Meta app's dashboard; without it the permissions are asked as a scope.
METRICS_META_CONFIG_ID = env_str("METRICS_META_CONFIG_ID", "")
# The "connect" button's form leads to the platform's sign-in page: the policy lets it.
_CSP["DIRECTIVES"]["form-action"] += [
    origin
    for name, origin in [
        ("meta", "https://www.facebook.com"),
        ("linkedin", "https://www.linkedin.com"),
        ("google", "https://accounts.google.com"),
    ]
    if METRICS_OAUTH_CLIENTS[name][0]
]
# Connected tokens that expire within this many hours are renewed (hourly) with their
# refresh token.
METRICS_TOKEN_REFRESH_HOURS = env_int("METRICS_TOKEN_REFRESH_HOURS", 72, minimum=2)
# Send every sign-in request (and the browser) to this base URL instead: for the local
# test server only, never in production.
METRICS_OAUTH_BASE_URL = env_str("METRICS_OAUTH_BASE_URL", "")
if METRICS_OAUTH_BASE_URL:
    _CSP["DIRECTIVES"]["form-action"].append(METRICS_OAUTH_BASE_URL.rstrip("/"))
# Requests per second per platform, across all workers (Mastodon: per server). Each
# default stays inside the limit the platform publishes, cited next to it (the limiter
# spaces requests for 90 % of the rate, see metrics/limiter.py).
METRICS_RATE_LIMITS = env_rates(
    "METRICS_RATE_LIMITS",
    {
        "default": 1,
        # 300 requests per 5 minutes per client address (1/s), per server:
        # https://docs.joinmastodon.org/api/rate-limits/
        "mastodon": 0.9,
        # The public AppView publishes no number ("generous rate-limits"); this is the
        # 3000 per 5 minutes per address that Bluesky publishes for its PDS hosts:
        # https://docs.bsky.app/docs/advanced-guides/rate-limits
        "bluesky": 10,
        # No per-second limit: a project has 10,000 quota units a day and
        # channels.list costs 1 (a channel a unit; 5/s would spend the day's quota in
        # 33 minutes, so the number of channels binds, not this rate):
        # https://developers.google.com/youtube/v3/determine_quota_cost
        "youtube": 5,
        # GET /2/users/by: 300 requests per 15 minutes per app (1/3 per second), each
        # request looking up to 100 users (metrics/providers/x.py batches them):
        # https://docs.x.com/x-api/fundamentals/rate-limits and
        # https://docs.x.com/x-api/users/lookup/migrate/overview
        "x": 0.33,
        # Page and Instagram tokens: Business Use Case limits per Page or account,
        # 4,800 calls per engaged user per 24 hours (Pages), 200 per hour per user
        # (Platform): a channel is 2 to 3 calls a day, far inside either; this rate
        # only spreads the night's requests:
        # https://developers.facebook.com/docs/graph-api/overview/rate-limiting/
        "facebook": 3,
        "instagram": 3,
        # Daily limits per application and per member, not published (the Developer
        # Portal shows an app's): one call a channel a day, spread at 1/s:
        # https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/rate-limits
        "linkedin": 1,
    },
)
# Where the limiter keeps its slots: a Redis URL, shared by every worker. Defaults to
# the broker when that is Redis; otherwise the limit holds per worker process.
METRICS_LIMITER_URL = env_str(
    "METRICS_LIMITER_URL",
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else "",
)
# A task that would wait longer than this for its request slot retries later instead.
METRICS_RATE_LIMIT_MAX_WAIT = env_int("METRICS_RATE_LIMIT_MAX_WAIT", 20, minimum=0)
METRICS_HTTP_TIMEOUT = env_int("METRICS_HTTP_TIMEOUT", 10, minimum=1)
METRICS_USER_AGENT = env_str(
    "METRICS_USER_AGENT", f"social-media-portal ({PORTAL_BASE_URL}) metrics collector"
)
# Transient failures (timeouts, 429, 5xx) are retried this many times, the n-th after
# about METRICS_RETRY_BASE_SECONDS * 2**n seconds (with jitter, at most an hour).
METRICS_MAX_RETRIES = env_int("METRICS_MAX_RETRIES", 5, minimum=0)
METRICS_RETRY_BASE_SECONDS = env_int("METRICS_RETRY_BASE_SECONDS", 60, minimum=1)
# "Collect now" on a channel: not again within this many seconds of the last press (a
# channel's figures change little in minutes, and each press spends platform requests).
METRICS_COLLECT_NOW_COOLDOWN = env_int("METRICS_COLLECT_NOW_COOLDOWN", 600, minimum=0)
# An active channel that has not posted for this many days is marked dormant.
METRICS_DORMANT_DAYS = env_int("METRICS_DORMANT_DAYS", 60, minimum=1)
METRICS_ATTEMPT_RETENTION_DAYS = env_int("METRICS_ATTEMPT_RETENTION_DAYS", 90, minimum=1)
# The API versions the portal asks for (docs/operations.md, "API versions"). Each
# platform switches a version off at a published date; metrics/versions.py knows those
# dates, and the portal administrators are warned METRICS_API_VERSION_WARNING_DAYS
# before. Change a version only after reading the platform's changelog up to it.
#
# LinkedIn Community Management API (the Marketing API programme's monthly versions,
# each supported at least a year): 202608 is the latest, per "Recent Marketing API
# Changes", https://learn.microsoft.com/en-ca/linkedin/marketing/integrations/recent-changes
# ("August 2026 - Version 202608 (Latest)"), and the versioning rule per
# https://learn.microsoft.com/it-it/linkedin/marketing/versioning (read 2026-12-06).
METRICS_LINKEDIN_VERSION = env_matching(
    "METRICS_LINKEDIN_VERSION", "202608", r"20[0-9]{4}(\.[0-9]{2})?", example="202608"
)
# Meta Graph API (Facebook Pages, Instagram): v25.0, released 18 February 2026 and
# available until 29 July 2028, per "Graph API changelog", "Available Graph API
# versions", https://developers.facebook.com/docs/graph-api/changelog?locale=de_DE
# (read 2026-12-06; v26.0 of 29 July 2026 has no end date yet, see metrics/versions.py).
METRICS_META_GRAPH_VERSION = env_matching(
    "METRICS_META_GRAPH_VERSION", "v25.0", r"v[0-9]{1,3}\.[0-9]", example="v25.0"
)
METRICS_API_VERSION_WARNING_DAYS = env_int("METRICS_API_VERSION_WARNING_DAYS", 60, minimum=1)
# Mastodon: pages of posts (40 each) read per account for the 30-day engagement
# figures; an account that posted more in 30 days is marked as counted over the latest
# posts only. Each page is one more request against the server's limit.
METRICS_MASTODON_MAX_PAGES = env_int("METRICS_MASTODON_MAX_PAGES", 5, minimum=1)
# Send every platform request to this base URL instead: for the local test server and
# the benchmark only, never in production.
METRICS_API_BASE_URL = env_str("METRICS_API_BASE_URL", "")
# The Bluesky handle check (metrics/handles.py) asks the DNS servers of the machine
# (/etc/resolv.conf) for `_atproto.<handle>` TXT records, or these (address or
# address:port, comma-separated; "[::1]:53" for IPv6), as in the tests' local server.
METRICS_DNS_NAMESERVERS = env_list("METRICS_DNS_NAMESERVERS")
# Send the handle check's https://<handle>/.well-known/atproto-did requests to this base
# URL instead, naming the handle in the Host header: for the local test server only,
# never in production.
METRICS_HANDLE_BASE_URL = env_str("METRICS_HANDLE_BASE_URL", "")

# --- The impersonation watch (lookalikes/; docs/operations.md) ---------------------

# A found account whose score against an official one (0-100) reaches this is put in
# the office's triage queue.
LOOKALIKES_THRESHOLD = env_int("LOOKALIKES_THRESHOLD", 75, minimum=1) / 100

# Mastodon servers whose account search the watch asks (lookalikes/search/mastodon.py):
# comma-separated SERVER=TOKEN pairs, each token a user token (scope read:search) of an
# account the portal keeps on that server. The tokens are secrets: set them in the
# environment, never in a file under version control. Unset: Mastodon is not searched.
LOOKALIKES_MASTODON_SERVERS = {}
for _pair in env_list("LOOKALIKES_MASTODON_SERVERS"):
    _server, _sep, _token = (part.strip() for part in _pair.partition("="))
    if not (_token and re.fullmatch(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?", _server.lower())):
        raise ImproperlyConfigured(
            "LOOKALIKES_MASTODON_SERVERS: each entry is SERVER=TOKEN, the server a host "
            "name (mastodon.example), the token a user token with the read:search scope."
        )
    LOOKALIKES_MASTODON_SERVERS[_server.lower()] = _token
# The YouTube Data API quota units the watch may spend a day (search.list costs 100 a
# page, so 1000 is 10 pages), out of the project's 10,000 that the metrics collection
# spends too (1 unit a channel). The day is YouTube's: it ends at midnight Pacific time.
# 0: YouTube is not searched. Needs YOUTUBE_API_KEY.
LOOKALIKES_YOUTUBE_DAILY_UNITS = env_int("LOOKALIKES_YOUTUBE_DAILY_UNITS", 1000, minimum=0)
# A search record left "running" longer than this (a worker killed mid-search) is taken
# over by the next try of the day.
LOOKALIKES_RUNNING_AT_MOST = timedelta(minutes=10)
