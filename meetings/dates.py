"""Dates and times written the way UK councils write them: 'Wednesday 8 March 2017, 10am'."""

from django.utils import timezone


def format_time(value):
    """'10am', '9.30am', '12 noon', '2pm'."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if local.hour == 12 and local.minute == 0:
        return "12 noon"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    if local.minute:
        return f"{hour}.{local.minute:02d}{suffix}"
    return f"{hour}{suffix}"


def format_date(value):
    """'Wednesday 8 March 2017'."""
    if hasattr(value, "hour") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%A} {value.day} {value:%B %Y}"


def format_meeting_datetime(value):
    """'Wednesday 8 March 2017, 10am'."""
    return f"{format_date(value)}, {format_time(value)}"
