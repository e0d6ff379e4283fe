"""The production settings read their secrets from the environment and pass the deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="governance.settings.production")
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = run_check(
        {
            "SECRET_KEY": "a-long-random-production-secret-" + "x7Q2mP9zL4" * 5,
            "ALLOWED_HOSTS": "boards.example.gov.uk",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_check({"ALLOWED_HOSTS": "boards.example.gov.uk"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_database_url_selects_the_database():
    env = dict(os.environ, DATABASE_URL="postgres://someone@db.example:5433/boards")
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='governance.settings.test';"
        "from django.conf import settings; d=settings.DATABASES['default'];"
        "print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'])"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    expected = ["django.db.backends.postgresql", "db.example", "5433", "boards"]
    assert result.stdout.split() == expected


def test_redis_url_moves_background_jobs_to_rq():
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='governance.settings.dev';"
        "from django.conf import settings; print(settings.TASKS['default']['BACKEND']);"
        "print(settings.RQ_QUEUES['default']['URL'])"
    )
    env = dict(os.environ, REDIS_URL="redis://127.0.0.1:6379/3")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["django_tasks_rq.RQBackend", "redis://127.0.0.1:6379/3"]
