"""What a board page shows: members by role, upcoming meetings and past meetings by year."""


def board_context(board, request):
    return {}
