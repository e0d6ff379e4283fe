"""What a meeting page shows, and its agenda pack downloads."""


def meeting_context(meeting, request):
    return {}
