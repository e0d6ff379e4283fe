"""Transcripts in the public search: only the published, public transcript is ever found.

What is public is `transcription.public`'s rule (published recording, transcription done, live
public meeting outside any view restriction; only the spans of non-exempt agenda items). These
tests search as an anonymous visitor and look in the index itself, on SQLite and PostgreSQL.
Segment text is from the minutes of the Health and Wellbeing Board, 8 March 2017.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_tasks.signals import task_finished
from wagtail.models import PageViewRestriction
from wagtail.search.models import IndexEntry

from boards.factories import BoardPageFactory
from home.search_transcripts import word_fragments
from meetings.factories import AgendaItemFactory, MeetingPageFactory, london
from tests.home.test_search import index_text, publish, search
from tests.transcription.job_helpers import DUMMY_TASKS, make_recording
from transcription.models import JobStatus, TranscriptionJob, TranscriptSegment, TranscriptSpan
from transcription.public import public_segments
from transcription.publishing import set_published
from transcription.search_index import public_passages, reindex_recordings

# Said only in the exempt item, or before the first item: never indexed, found or shown.
WITHHELD_WORDS = ["quetzalcorp", "tenders", "housekeeping"]


@pytest.fixture
def hwb(board_index):
    return BoardPageFactory(
        parent=board_index,
        title="Health and Wellbeing Board",
        short_name="HWB",
        slug="health-and-wellbeing-board",
    )


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user("officer", password="pw")


def make_meeting(board, start=None, title="Health and Wellbeing Board, 8 March 2017"):
    """A published meeting: items 10 and 13 public, item 12 exempt."""
    meeting = MeetingPageFactory(parent=board, title=title, start=start or london(2017, 3, 8))
    AgendaItemFactory(meeting=meeting, number=10, sort_order=0, title="Better Care Fund")
    AgendaItemFactory(
        meeting=meeting,
        number=12,
        sort_order=1,
        title="Specialist Residential and Nursing Care for Adults in Rotherham",
        is_exempt=True,
        exempt_paragraph=3,
    )
    AgendaItemFactory(meeting=meeting, number=13, sort_order=2, title="Loneliness and Isolation")
    return publish(meeting)


SCRIPT = [
    # (start, end, text, agenda item number or None for no span)
    (2.0, 8.0, "A little housekeeping before we start: the fire exits are at the back.", None),
    (12.0, 20.0, "The Better Care Fund plan for 2017 to 2019 was submitted on time.", 10),
    (21.0, 30.0, "Social prescribing continues to reduce admissions to hospital.", 10),
    (62.0, 75.0, "Quetzalcorp submitted the lowest of the three tenders for residential care.", 12),
    (122.0, 130.0, "Loneliness and isolation were chosen as themes for mental health.", 13),
]
SPANS = {10: (10.0, 60.0), 12: (60.0, 120.0), 13: (120.0, 180.0)}


def make_transcript(meeting, officer, *, publish_it=True, script=SCRIPT):
    """A transcribed, aligned recording of `meeting`, published unless told otherwise."""
    recording = make_recording(meeting)
    TranscriptionJob.objects.create(recording=recording, status=JobStatus.DONE, progress=100)
    items = {item.number: item for item in meeting.agenda_items.all()}
    for number, (start, end) in SPANS.items():
        TranscriptSpan.objects.create(
            recording=recording, agenda_item=items[number], start=start, end=end
        )
    TranscriptSegment.objects.bulk_create(
        TranscriptSegment(recording=recording, chunk_index=0, start=start, end=end, text=text)
        for start, end, text, _number in script
    )
    if publish_it:
        set_published(recording, True, user=officer)
    recording.refresh_from_db()
    return recording


@pytest.fixture
def march(hwb, officer):
    meeting = make_meeting(hwb)
    return meeting, make_transcript(meeting, officer)


def transcript_results(response):
    return [result for result in response.context["results"] if result.kind.value == "transcript"]


def found(client, words, **params):
    return search(client, q=words, **params).context["outcome"].counts["transcript"]


# What anonymous visitors find -----------------------------------------------------------


def test_a_word_said_in_a_public_item_is_found_with_its_item_and_passage(march, client):
    meeting, recording = march
    said = recording.segments.get(start=21.0)
    response = search(client, q="social prescribing")
    assert response.context["outcome"].counts["transcript"] == 1
    [result] = transcript_results(response)
    assert result.kind.label == "Transcript"
    assert result.title == "Health and Wellbeing Board, 8 March 2017"
    assert result.board == "Health and Wellbeing Board"
    assert result.date == "Wednesday 8 March 2017"
    assert result.heading == "Item 10: Better Care Fund, at 0:00:21"
    assert result.extract == (
        "<mark>Social</mark> <mark>prescribing</mark> continues to reduce admissions to hospital."
    )
    assert result.status_label == "Unofficial transcript"
    anchor = f"transcript-{recording.pk}-{said.pk}"
    assert result.url == f"{meeting.url}#{anchor}"

    html = response.content.decode()
    assert "Unofficial transcript" in html
    assert f'href="{meeting.url}#{anchor}"' in html
    assert "<mark>prescribing</mark>" in html
    # The link lands on the line said, in the item's transcript on the meeting page.
    page = client.get(meeting.url).content.decode()
    assert f'id="{anchor}"' in page


def test_the_passage_shown_is_under_the_item_it_was_said_in(march, client):
    _meeting, recording = march
    said = recording.segments.get(start=122.0)
    [result] = transcript_results(search(client, q="loneliness"))
    assert result.heading == "Item 13: Loneliness and Isolation, at 0:02:02"
    assert result.url.endswith(f"#transcript-{recording.pk}-{said.pk}")


def test_exempt_and_unaligned_speech_is_never_indexed_found_or_shown(march, client):
    text = index_text()
    assert "prescribing" in text  # the public part is there, so this test can fail
    for word in WITHHELD_WORDS:
        assert word not in text
        response = search(client, q=word)
        assert response.context["outcome"].total == 0, word
    # "care" is said in public and exempt items alike: only the public passage is shown.
    response = search(client, q="residential care", type="transcript")
    assert response.context["outcome"].total == 0
    [result] = transcript_results(search(client, q="care", type="transcript"))
    assert "Better <mark>Care</mark> Fund" in result.extract
    html = search(client, q="care").content.decode().lower()
    for word in WITHHELD_WORDS:
        assert word not in html


def test_an_unpublished_recording_is_not_found(hwb, officer, client):
    make_transcript(make_meeting(hwb), officer, publish_it=False)
    assert found(client, "prescribing") == 0
    assert "prescribing" not in index_text()


def test_a_recording_withdrawn_by_the_board_leaves_the_search(march, officer, client):
    _meeting, recording = march
    assert found(client, "prescribing") == 1
    set_published(recording, False, user=officer)
    assert found(client, "prescribing") == 0
    assert "prescribing" not in index_text()
    set_published(recording, True, user=officer)
    assert found(client, "prescribing") == 1


def test_a_private_meeting_is_not_found(march, client):
    meeting, _recording = march
    meeting.is_private = True
    publish(meeting)
    assert found(client, "prescribing") == 0
    assert "prescribing" not in index_text()


def test_a_view_restriction_or_unpublishing_withdraws_the_transcript(march, hwb, client):
    meeting, _recording = march
    restriction = PageViewRestriction.objects.create(page=hwb, restriction_type="login")
    assert "prescribing" not in index_text()
    assert found(client, "prescribing") == 0
    restriction.delete()
    assert found(client, "prescribing") == 1

    meeting.unpublish()
    assert "prescribing" not in index_text()
    assert found(client, "prescribing") == 0


def test_an_item_made_exempt_takes_its_words_out(march, client):
    meeting, _recording = march
    item = meeting.agenda_items.get(number=13)
    item.is_exempt = True
    item.exempt_paragraph = 3
    item.save()
    publish(meeting)
    assert "loneliness" not in index_text()
    assert found(client, "loneliness") == 0
    assert found(client, "prescribing") == 1


def test_a_corrected_segment_is_searched_by_its_new_words(march, officer, client):
    _meeting, recording = march
    segment = recording.segments.get(start=21.0)
    segment.correct(user=officer, text="Social prescribing continues to reduce readmissions.")
    assert found(client, "readmissions") == 1
    assert found(client, "admissions") == 0


def test_moving_a_span_changes_what_is_public(march, client):
    _meeting, recording = march
    span = recording.spans.get(agenda_item__number=10)
    span.end = 20.5  # social prescribing, said at 0:00:21, is now outside every item
    span.save()
    assert found(client, "prescribing") == 0
    assert found(client, "submitted") == 1
    span.delete()
    assert found(client, "submitted") == 0
    assert found(client, "loneliness") == 1


def test_a_new_transcription_withdraws_the_recording_until_it_is_done(march, client):
    _meeting, recording = march
    with override_settings(TASKS=DUMMY_TASKS):
        from transcription.tasks import transcribe_recording_task

        job = TranscriptionJob.objects.create(recording=recording)  # queued
        assert found(client, "prescribing") == 0
        result = transcribe_recording_task.enqueue(job.pk)

        # The worker replaces the segments in bulk and marks the job done without signals.
        recording.segments.filter(start=21.0).delete()
        TranscriptSegment.objects.create(
            recording=recording, chunk_index=1, start=21.0, end=30.0, text="Wheelchair services."
        )
        TranscriptionJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
        assert found(client, "wheelchair") == 0  # still not public while recorded as running
        task_finished.send(type(result.task.get_backend()), task_result=result)
    assert found(client, "wheelchair") == 1
    assert found(client, "prescribing") == 0


def test_a_deleted_recording_leaves_nothing_in_the_index(march, client):
    _meeting, recording = march
    recording.delete()
    assert "prescribing" not in index_text()
    assert not IndexEntry.objects.filter(content_type__model="recording").exists()


# Filters --------------------------------------------------------------------------------


def test_board_date_and_kind_filters_apply(march, board_index, client):
    other = BoardPageFactory(parent=board_index, title="Safer Rotherham Partnership")
    assert found(client, "prescribing", board=other.slug) == 0
    assert found(client, "prescribing", board="health-and-wellbeing-board") == 1
    assert found(client, "prescribing", **{"from": "2017-03-09"}) == 0
    assert found(client, "prescribing", **{"from": "2017-03-08", "to": "2017-03-08"}) == 1

    response = search(client, q="loneliness", type="transcript")
    assert [result.kind.value for result in response.context["results"]] == ["transcript"]
    html = response.content.decode()
    assert '<option value="transcript" selected>Transcripts only</option>' in html
    links = {link["label"]: link["count"] for link in response.context["kind_links"]}
    assert links["Transcripts"] == 1
    assert links["All results"] == 2  # the agenda item's title matches too


# Cost -----------------------------------------------------------------------------------


def test_query_count_does_not_grow_with_recordings_or_segments(hwb, officer, client):
    def add(number):
        meeting = make_meeting(
            hwb,
            start=london(2018, 1, 3) + datetime.timedelta(days=7 * number),
            title=f"Meeting {number}",
        )
        script = SCRIPT + [
            (31.0 + second, 31.5 + second, f"Social prescribing note {second}.", 10)
            for second in range(0, 25 * (number + 1), 1)
            if 31.5 + second < 60.0
        ]
        make_transcript(meeting, officer, script=script)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = search(client, q="social prescribing", type="transcript")
        return len(captured), response

    add(0)
    few, response = queries()
    assert response.context["outcome"].total == 1
    for number in range(1, 6):
        add(number)
    many, response = queries()
    assert response.context["outcome"].total == 6
    assert len(response.context["results"]) == 6
    assert many == few


def test_the_passages_shown_are_exactly_the_public_segments(march, hwb, officer):
    _meeting, recording = march
    other = make_transcript(make_meeting(hwb, title="Another"), officer)
    passages = public_passages([recording.pk, other.pk])
    for each in (recording, other):
        expected = [(s.start, s.end, s.text, s.agenda_item_id) for s in public_segments(each)]
        assert [(p.start, p.end, p.text, p.agenda_item_id) for p in passages[each.pk]] == (expected)


@pytest.mark.parametrize(
    ("stems", "fragments"),
    [(["carer"], ["care"]), (["care"], ["car"]), (["nhs"], ["nhs"]), (["organis"], ["organi"])],
)
def test_word_fragments_start_every_word_the_stem_matches(stems, fragments):
    assert word_fragments(stems) == fragments


def test_rebuilding_the_index_indexes_only_public_text(march, hwb, officer):
    make_transcript(make_meeting(hwb, title="Unpublished"), officer, publish_it=False)
    IndexEntry.objects.all().delete()
    call_command("update_index", stdout=io.StringIO())
    text = index_text()
    assert "prescribing" in text
    for word in WITHHELD_WORDS:
        assert word not in text
    assert IndexEntry.objects.filter(content_type__model="recording").count() == 1


def test_keeping_an_unpublished_transcript_out_costs_one_query(
    hwb, officer, django_assert_num_queries
):
    recording = make_transcript(make_meeting(hwb), officer, publish_it=False)
    with django_assert_num_queries(1):
        reindex_recordings([recording.pk])
