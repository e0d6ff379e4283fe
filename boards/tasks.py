"""Background tasks of the boards app (django_tasks).

They run on `manage.py db_worker` (the database backend) or RQ workers with REDIS_URL set; the
tests run them immediately. Tasks take ids and ISO dates only, so they can be queued again.
"""

import datetime

from django_tasks import task


@task()
def notify_obligation_at_risk_task(obligation_id, today=None):
    """Email the responsible officers that an obligation is at risk, once ever per obligation."""
    from .duty_notifications import send_at_risk_email

    day = datetime.date.fromisoformat(today) if today else None
    return send_at_risk_email(obligation_id, today=day)
