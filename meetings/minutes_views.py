"""What the minutes page shows, and its print-friendly version."""


def minutes_context(minutes, request):
    return {}
