"""The admin: marking where agenda items start in a recording, and one item's transcript."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from meetings.factories import AgendaItemFactory
from transcription.alignment import AlignmentError, align_from_transcript, save_starts
from transcription.models import SpanSource, TranscriptSegment, TranscriptSpan

from .job_helpers import make_meeting, make_recording

TITLES = {
    50: "Minutes of the Previous Meeting",
    51: "Communications/Updates",
    52: "Communicating and Engaging on the Regional Sustainability and Transformation Plan and "
    "Rotherham Place Plan",
    53: "Health and Wellbeing Strategy",
}
# What was said, as Whisper writes it: (start, end, text).
SAID = [
    (2.0, 9.5, "Good morning everyone and welcome to the Health and Wellbeing Board."),
    (60.0, 64.0, "Item 50, minutes of the previous meeting."),
    (65.0, 80.0, "Kate Green presented the minutes of the previous meeting for approval."),
    (120.0, 124.0, "Item 51, communications and updates."),
    (125.0, 150.0, "There were no communications this time."),
    (180.0, 190.0, "Item 52, Communicating and Engaging on the Regional Sustainability Plan."),
    (191.0, 230.0, "Janet Wheatley reported that Healthwatch had been contacted."),
    (300.0, 304.0, "Item 53, Health and Wellbeing Strategy."),
    (305.0, 340.0, "Giles Ratcliffe gave a presentation on the strategy."),
]


@pytest.fixture
def meeting(board_index):
    return make_meeting(board_index)


@pytest.fixture
def items(meeting):
    return {
        number: AgendaItemFactory(
            meeting=meeting, number=number, title=title, sort_order=number, is_exempt=number == 53
        )
        for number, title in TITLES.items()
    }


@pytest.fixture
def recording(meeting):
    recording = make_recording(meeting, duration=600.0)
    add_segments(recording, SAID)
    return recording


def add_segments(recording, said):
    TranscriptSegment.objects.bulk_create(
        TranscriptSegment(recording=recording, chunk_index=0, start=start, end=end, text=text)
        for start, end, text in said
    )


def alignment_url(recording):
    return reverse("transcription:alignment", args=[recording.pk])


def item_url(recording, item):
    return reverse("transcription:item_transcript", args=[recording.pk, item.pk])


def form_data(items, starts):
    data = {"action": "save"}
    for number, item in items.items():
        data[f"start_{item.pk}"] = starts.get(number, "")
    return data


def saved(recording):
    return [
        (span.agenda_item.number, span.start, span.end, span.source)
        for span in TranscriptSpan.objects.filter(recording=recording)
        .select_related("agenda_item")
        .order_by("start")
    ]


def align_log(recording):
    return ModelLogEntry.objects.filter(action="transcription.align", object_id=str(recording.pk))


def assert_refused_access(response):
    """Wagtail's admin answers PermissionDenied by sending the user to the dashboard."""
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")


def input_value(html, item):
    match = re.search(rf'<input[^>]*name="start_{item.pk}"[^>]*>', html)
    assert match, f"no input for item {item.number}"
    return re.search(r'value="([^"]*)"', match.group()).group(1)


def test_the_page_lists_the_agenda_with_suggested_starts(officer_client, recording, items):
    response = officer_client.get(alignment_url(recording))

    html = response.content.decode()
    assert response.status_code == 200
    assert input_value(html, items[50]) == "0:01:00"
    assert input_value(html, items[52]) == "0:03:00"
    assert input_value(html, items[53]) == "0:05:00"
    assert "Suggested, not saved yet" in html
    assert "Item 52, Communicating and Engaging" in html
    assert "Exempt" in html and "never published" in html
    audio = reverse("transcription:audio", args=[recording.pk])
    assert f'<audio controls preload="metadata" src="{audio}"' in html
    assert "transcription/alignment.js" in html
    assert 'value="suggest"' in html and 'value="save"' in html
    assert not TranscriptSpan.objects.exists()  # suggestions are not saved until accepted


def test_saving_typed_starts_makes_contiguous_spans_and_logs_them(
    officer_client, officer, recording, items
):
    response = officer_client.post(
        alignment_url(recording),
        form_data(items, {50: "1:02", 51: "0:02:05", 52: "185", 53: "0:05:02"}),
    )

    assert response.status_code == 302
    assert saved(recording) == [
        (50, 62.0, 125.0, "manual"),
        (51, 125.0, 185.0, "manual"),
        (52, 185.0, 302.0, "manual"),
        (53, 302.0, 600.0, "manual"),
    ]
    (entry,) = align_log(recording)
    assert entry.user == officer
    assert entry.data == {
        "before": [],
        "after": [["50", 62.0], ["51", 125.0], ["52", 185.0], ["53", 302.0]],
    }
    assert "were saved" in officer_client.get(response.url).content.decode()


def test_a_suggested_start_left_as_shown_is_saved_as_suggested(officer_client, recording, items):
    response = officer_client.post(
        alignment_url(recording), form_data(items, {52: "0:03:00", 53: "0:05:30"})
    )

    assert response.status_code == 302
    spans = {s.agenda_item.number: s for s in TranscriptSpan.objects.select_related("agenda_item")}
    assert (spans[52].source, spans[52].cue) == (SpanSource.SUGGESTED, SAID[5][2])
    assert (spans[53].source, spans[53].cue, spans[53].start) == (SpanSource.MANUAL, "", 330.0)


def test_saving_unchanged_starts_changes_and_logs_nothing(officer_client, recording, items):
    save_starts(recording, {items[50]: 60.4, items[52]: 180.75}, user=None)
    entries = align_log(recording).count()

    response = officer_client.post(
        alignment_url(recording), form_data(items, {50: "0:01:00", 52: "0:03:00"})
    )

    assert response.status_code == 302
    assert saved(recording) == [(50, 60.4, 180.75, "manual"), (52, 180.75, 600.0, "manual")]
    assert align_log(recording).count() == entries
    assert "Nothing had changed" in officer_client.get(response.url).content.decode()


def test_blanking_a_start_removes_that_items_span(officer_client, recording, items):
    save_starts(recording, {items[50]: 60.0, items[52]: 180.0}, user=None)

    officer_client.post(alignment_url(recording), form_data(items, {52: "0:03:00"}))

    assert saved(recording) == [(52, 180.0, 600.0, "manual")]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({51: "abc"}, "“abc” is not a time. Enter it like 0:05:07, 5:07 or 307."),
        ({51: "-2:00"}, "A time cannot be negative"),
        ({51: "2:75"}, "seconds run from 0 to 59"),
        ({51: "0:11:00"}, "0:11:00 is after the end of the recording, which lasts 0:10:00."),
        (
            {51: "0:00:30"},
            "Item 51 cannot start before item 50, which starts at 0:01:00. Items are taken in "
            "agenda order: check the starts of both.",
        ),
    ],
)
def test_a_bad_start_saves_nothing_and_keeps_what_was_typed(
    officer_client, recording, items, typed, message
):
    save_starts(recording, {items[53]: 300.0}, user=None)
    before = saved(recording)
    entries = align_log(recording).count()
    starts = {50: "1:00", 52: "0:03:10", **typed}

    response = officer_client.post(alignment_url(recording), form_data(items, starts))

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html.replace("&#x27;", "'")
    assert "Nothing was saved: 1 start needs correcting below." in html
    assert input_value(html, items[50]) == "1:00"
    assert input_value(html, items[51]) == typed[51]
    assert input_value(html, items[52]) == "0:03:10"
    assert input_value(html, items[53]) == ""  # blanked by the officer, not refilled
    row = re.search(rf'<input[^>]*name="start_{items[51].pk}"[^>]*>', html).group()
    assert 'aria-invalid="true"' in row
    assert saved(recording) == before
    assert align_log(recording).count() == entries


def test_use_suggestions_keeps_marked_starts_and_fills_in_the_rest(
    officer_client, officer, recording, items
):
    save_starts(recording, {items[51]: 110.0}, user=officer)

    response = officer_client.post(alignment_url(recording), {"action": "suggest"})

    assert response.status_code == 302
    assert saved(recording) == [
        (50, 60.0, 110.0, "suggested"),
        (51, 110.0, 180.0, "manual"),
        (52, 180.0, 300.0, "suggested"),
        (53, 300.0, 600.0, "suggested"),
    ]
    span_52 = TranscriptSpan.objects.get(agenda_item=items[52])
    assert span_52.cue.startswith("Item 52, Communicating")
    latest = align_log(recording).order_by("-pk").first()
    assert latest.data["before"] == [["51", 110.0]]
    assert latest.data["after"] == [["50", 60.0], ["51", 110.0], ["52", 180.0], ["53", 300.0]]
    page = officer_client.get(response.url).content.decode()
    assert "Starts suggested for 3 items" in page and "The 1 marked by an officer were kept" in page


def test_use_suggestions_with_nothing_said_saves_nothing(officer_client, meeting, items):
    recording = make_recording(meeting, duration=60.0)
    add_segments(recording, [(1.0, 5.0, "Good morning.")])

    response = officer_client.post(alignment_url(recording), {"action": "suggest"})

    assert response.status_code == 302
    assert not TranscriptSpan.objects.exists()
    assert "mark the starts while listening" in officer_client.get(response.url).content.decode()


def test_viewers_see_the_starts_but_cannot_change_them(client, django_user_model, recording, items):
    save_starts(recording, {items[52]: 180.0}, user=None)
    viewer = django_user_model.objects.create_user("viewer", password="pw")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_recording"),
    )
    client.force_login(viewer)

    html = client.get(alignment_url(recording)).content.decode()
    assert "0:03:00" in html and "<input" not in html.split("<table", 1)[1]
    assert 'value="save"' not in html and 'value="suggest"' not in html

    for data in (form_data(items, {52: "0:04:00"}), {"action": "suggest"}):
        assert_refused_access(client.post(alignment_url(recording), data))
    assert saved(recording) == [(52, 180.0, 600.0, "manual")]
    assert align_log(recording).count() == 1


def test_people_without_recordings_access_are_refused(client, django_user_model, recording, items):
    member = django_user_model.objects.create_user("member", password="pw")
    member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(member)

    assert_refused_access(client.get(alignment_url(recording)))
    assert_refused_access(client.get(item_url(recording, items[52])))


def queries_for(client, method, url, data=None):
    with CaptureQueriesContext(connection) as context:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), response.status_code
    return len(context.captured_queries)


def test_queries_do_not_grow_with_items_or_segments(officer_client, board_index):
    def build(count):
        meeting = make_meeting(board_index)
        items = {
            number: AgendaItemFactory(
                meeting=meeting, number=number, title=f"Report on topic {number}", sort_order=number
            )
            for number in range(100 * count, 100 * count + count)
        }
        recording = make_recording(meeting, duration=10.0 * count * 10)
        add_segments(
            recording,
            [
                (100.0 * i + 5 * j, 100.0 * i + 5 * j + 4, f"Item {number}. Point {j}.")
                for i, number in enumerate(items)
                for j in range(5)
            ],
        )
        starts = {number: str(100 * i + 1) for i, number in enumerate(items)}
        return recording, items, starts

    counts = []
    for count in (3, 12):
        recording, items, starts = build(count)
        url = alignment_url(recording)
        counts.append(
            (
                queries_for(officer_client, "get", url),
                queries_for(officer_client, "post", url, {"action": "suggest"}),
                queries_for(officer_client, "post", url, form_data(items, starts)),
                queries_for(officer_client, "get", item_url(recording, next(iter(items.values())))),
            )
        )
        assert len(saved(recording)) == count
    assert counts[0] == counts[1]


def test_an_items_transcript_opens_the_audio_at_its_span(officer_client, recording, items):
    save_starts(recording, {items[50]: 60.0, items[52]: 180.5, items[53]: 300.0}, user=None)

    response = officer_client.get(item_url(recording, items[52]))

    html = response.content.decode()
    assert response.status_code == 200
    audio = reverse("transcription:audio", args=[recording.pk])
    assert f'src="{audio}#t=180.5,300"' in html
    assert "Janet Wheatley reported" in html and "0:03:00" in html
    assert "Item 53, Health" not in html and "Item 51," not in html
    assert f'href="{item_url(recording, items[50])}" rel="prev"' in html
    assert f'href="{item_url(recording, items[53])}" rel="next"' in html


def test_the_last_items_transcript_runs_to_the_end_and_exempt_is_marked(
    officer_client, recording, items
):
    save_starts(recording, {items[52]: 180.0, items[53]: 300.0}, user=None)

    html = officer_client.get(item_url(recording, items[53])).content.decode()

    assert "#t=300,600" in html
    assert "Giles Ratcliffe gave a presentation" in html
    assert "never published" in html
    assert 'rel="next"' not in html


def test_an_unmarked_items_page_says_so(officer_client, recording, items):
    html = officer_client.get(item_url(recording, items[51])).content.decode()

    assert "has not been marked" in html and alignment_url(recording) in html
    assert "<audio" not in html


def test_an_item_of_another_meeting_is_not_found(officer_client, recording, board_index):
    other = AgendaItemFactory(meeting=make_meeting(board_index), number=1, title="Elsewhere")

    assert officer_client.get(item_url(recording, other)).status_code == 404


def test_save_starts_refuses_bad_starts_and_writes_nothing(recording, items, board_index):
    other = AgendaItemFactory(meeting=make_meeting(board_index), number=52, title="Elsewhere")
    refused = [
        {items[50]: 200.0, items[51]: 100.0},
        {items[50]: 700.0},
        {items[50]: -1.0},
        {other: 100.0},
    ]
    for starts in refused:
        with pytest.raises(AlignmentError):
            save_starts(recording, starts, user=None)
    assert not TranscriptSpan.objects.exists()
    assert not align_log(recording).exists()


def test_save_starts_makes_as_many_queries_for_many_items_as_for_one(recording, items):
    one = {items[50]: 10.0}
    many = {item: 50.0 * n for n, item in enumerate(items.values())}
    save_starts(recording, {items[51]: 5.0}, user=None)  # each save below replaces spans
    counts = []
    for starts in (one, many, one):
        with CaptureQueriesContext(connection) as context:
            save_starts(recording, starts, user=None)
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1] == counts[2] <= 12
    assert len(saved(recording)) == 1


def test_aligning_a_finished_transcript(recording, items):
    assert align_from_transcript(recording) == 4

    assert saved(recording) == [
        (50, 60.0, 120.0, "suggested"),
        (51, 120.0, 180.0, "suggested"),
        (52, 180.0, 300.0, "suggested"),
        (53, 300.0, 600.0, "suggested"),
    ]
    assert align_log(recording).count() == 1


def test_aligning_leaves_starts_an_officer_marked(recording, items, officer):
    save_starts(recording, {items[52]: 200.0}, user=officer)

    assert align_from_transcript(recording) == 0

    assert saved(recording) == [(52, 200.0, 600.0, "manual")]
    assert align_log(recording).count() == 1
