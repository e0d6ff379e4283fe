"""Settings for the `db_worker` and `manage.py` subprocesses started by the worker tests.

The test settings, but with the database task backend (the tests' own process runs tasks
immediately), on the database the test names in WORKER_DATABASE (JSON of the connection
settings: the pytest test database on PostgreSQL, a file copy of it on SQLite). Any setting can be
given as WORKER_SETTING_<NAME>=<JSON value>, e.g. short chunks or a short stale time.
"""

import json
import os

from governance.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DATABASES = {"default": json.loads(os.environ["WORKER_DATABASE"])}

for _key, _value in os.environ.items():
    if _key.startswith("WORKER_SETTING_"):
        globals()[_key.removeprefix("WORKER_SETTING_")] = json.loads(_value)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"transcription": {"handlers": ["console"], "level": "INFO"}},
}
