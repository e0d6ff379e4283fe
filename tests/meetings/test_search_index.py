"""Exempt agenda content never enters the public search index."""

from boards.factories import BoardPageFactory
from meetings.factories import AgendaItemFactory, MeetingPageFactory
from meetings.models import MeetingPage


def publish(page):
    page.save_revision().publish()
    return MeetingPage.objects.get(pk=page.pk)


def test_public_items_are_indexed_and_exempt_items_are_not(board_index):
    board = BoardPageFactory(parent=board_index)
    meeting = MeetingPageFactory(parent=board)
    AgendaItemFactory(
        meeting=meeting, title="Caring Together carers strategy", summary="Respite for carers"
    )
    AgendaItemFactory(
        meeting=meeting,
        title="Contract award",
        summary="Bids from Zanzibarco Holdings compared",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_reason="Commercially sensitive",
    )
    meeting = publish(meeting)

    text = meeting.public_agenda_text()
    assert "Caring Together" in text
    assert "Zanzibarco" not in text
    assert "Contract award" not in text

    live = MeetingPage.objects.live()
    assert list(live.search("respite")) == [meeting]
    assert list(live.search("Zanzibarco")) == []
