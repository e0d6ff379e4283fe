"""Minutes published through the page tree: numbering, approval and citations."""

from boards.factories import BoardPageFactory
from meetings.factories import MeetingPageFactory, london
from meetings.minutes import MinuteItem, MinutesPage, Resolution


def publish_minutes(meeting, items):
    minutes = MinutesPage(title="", slug="")
    minutes.minute_items = items
    meeting.add_child(instance=minutes)
    minutes.save_revision().publish()
    return MinutesPage.objects.get(pk=minutes.pk)


def test_minutes_are_numbered_approved_and_cited(board_index):
    board = BoardPageFactory(parent=board_index)
    november = MeetingPageFactory(parent=board, start=london(2016, 11, 16))
    january = MeetingPageFactory(parent=board, start=london(2017, 1, 11))
    first = publish_minutes(
        november,
        [
            MinuteItem(
                number=36,
                heading="HEALTH AND WELLBEING STRATEGY",
                resolutions=[Resolution(text="That it be noted."), Resolution(text="Second.")],
            )
        ],
    )
    assert (first.meeting_id, first.board_id) == (november.pk, board.pk)
    strategy = first.minute_items.get()
    assert [r.number for r in strategy.resolutions.all()] == [1, 2]
    assert first.status == "unapproved"

    second = publish_minutes(
        january,
        [
            MinuteItem(
                heading="MINUTES OF THE PREVIOUS MEETING",
                narrative="Minute No. 36(2), it was noted that work was taking place.",
                approves=first,
            )
        ],
    )
    minute = second.minute_items.get()
    assert minute.number == 37
    assert first.status == "approved"
    assert MinutesPage.objects.with_approval().get(pk=first.pk).is_approved
    citation = minute.citations.get()
    assert (citation.cited, citation.resolution_number) == (strategy, 2)
