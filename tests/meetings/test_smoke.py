from boards.factories import BoardPageFactory
from meetings.factories import AgendaItemFactory, MeetingPageFactory


def test_meeting_under_board(board_index):
    board = BoardPageFactory(parent=board_index)
    meeting = MeetingPageFactory(parent=board)
    AgendaItemFactory(meeting=meeting, title="Better Care Fund")
    assert meeting.get_parent().specific == board
    assert [i.title for i in meeting.agenda_items.all()] == ["Better Care Fund"]
