"""Real background workers for the end-to-end tests: `manage.py db_worker` as a subprocess.

The worker must see the test's database. On PostgreSQL it simply connects to pytest's test
database. An SQLite test database lives in the test process's memory, so it is copied to a file
(`push`) for the subprocesses, and their results copied back (`pull`) before the test reads them
with the ORM; while workers run, the test reads the file (`job`, `count`).
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from transcription.models import TranscriptionJob, TranscriptSegment

MANAGE = Path(settings.BASE_DIR) / "manage.py"


class WorkerDatabase:
    """The test database as subprocesses see it."""

    def __init__(self, directory):
        self.sqlite = connection.vendor == "sqlite"
        self.path = Path(directory) / "worker.sqlite3"

    def settings(self):
        current = connection.settings_dict
        if self.sqlite:
            return {"ENGINE": current["ENGINE"], "NAME": str(self.path)}
        return {
            key: (str(current[key]) if key == "NAME" else current[key])
            for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")
        }

    def env(self, **worker_settings):
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        env["DJANGO_SETTINGS_MODULE"] = "tests.transcription.worker_settings"
        env["WORKER_DATABASE"] = json.dumps(self.settings())
        env["PYTHONUNBUFFERED"] = "1"
        for name, value in worker_settings.items():
            env[f"WORKER_SETTING_{name}"] = json.dumps(value)
        return env

    def push(self):
        """Copy the in-memory SQLite test database to the file the workers use."""
        if not self.sqlite:
            return
        connection.ensure_connection()
        target = sqlite3.connect(self.path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()

    def pull(self):
        """Copy what the workers wrote back into the test database."""
        if not self.sqlite:
            return
        source = sqlite3.connect(self.path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()

    def query(self, sql, params=()):
        if self.sqlite:
            with sqlite3.connect(self.path, timeout=30) as db:
                return db.execute(sql, params).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)
            return cursor.fetchall()

    def job(self, job_id):
        """The job's status, chunks done, chunks total and attempts, as the workers left them."""
        table = TranscriptionJob._meta.db_table
        rows = self.query(
            f"SELECT status, chunks_done, chunks_total, attempts FROM {table} WHERE id = ?",  # noqa: S608
            (job_id,),
        )
        status, done, total, attempts = rows[0]
        return {"status": status, "chunks_done": done, "chunks_total": total, "attempts": attempts}


def start_worker(env, log_path, name):
    """A db_worker polling every 0.2 seconds, its output in `log_path`."""
    log = open(log_path, "ab")  # noqa: SIM115 - closed by stop_worker
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            str(MANAGE),
            "db_worker",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "--worker-id",
            name,
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=MANAGE.parent,
    )
    process.log = log
    return process


def stop_worker(process, sig=signal.SIGTERM):
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.log.close()


def manage(env, *args):
    return subprocess.run(  # noqa: S603
        [sys.executable, str(MANAGE), *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=MANAGE.parent,
        timeout=120,
        check=False,
    )


def wait_for(check, *, timeout, interval=0.1, what="the worker"):
    """Poll `check()` until it returns something true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout} seconds waiting for {what}.")
        time.sleep(interval)


def duplicate_segments(recording):
    """(chunk, start) pairs stored more than once: must be none."""
    seen = {}
    for chunk_index, start in TranscriptSegment.objects.filter(recording=recording).values_list(
        "chunk_index", "start"
    ):
        seen[(chunk_index, start)] = seen.get((chunk_index, start), 0) + 1
    return {key: count for key, count in seen.items() if count > 1}
