"""The transcript editor: officers correct text and speakers beside the audio; history is kept.

Segments are inserted directly (sentences of the reference minutes of 11 January 2017); the
forms are posted as a browser would, from the fields of the rendered page.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from boards.factories import MembershipFactory, PersonFactory
from meetings.factories import AgendaItemFactory
from transcription.admin_editor import PAGE_SIZE
from transcription.models import (
    JobStatus,
    Speaker,
    TranscriptionJob,
    TranscriptSegment,
    TranscriptSpan,
)

from .job_helpers import DUMMY_TASKS, make_meeting, make_officer, make_recording

MINUTES = [
    "There were no Declarations of Interest made at this meeting.",
    "There were no members of the public or the press in attendance.",
    "The minutes of the previous meeting of the Health and Wellbeing Board were considered.",
    "All the five Strategic Aims' action plans would be submitted to the May meeting.",
    "A timetable would be sent to all Board sponsors and lead officers.",
    "A discussion would take place with the Chairs of the 2 Safeguarding Boards.",
    "A report back would be given in March.",
    "The Autism Partnership Board was to be launched at the end of the month.",
    "A new working group had been established, Chaired by the Strategic Director.",
    "No further information had been received as yet.",
]


@pytest.fixture(autouse=True)
def worker_down(settings):
    settings.TASKS = DUMMY_TASKS


@pytest.fixture
def meeting(board_index):
    return make_meeting(board_index)


@pytest.fixture
def recording(meeting):
    recording = make_recording(meeting, name="HWB 11 January 2017.mp3")
    TranscriptionJob.objects.create(recording=recording, status=JobStatus.DONE)
    return recording


@pytest.fixture
def voices(recording):
    return [Speaker.objects.create(recording=recording, label=f"Speaker {n}") for n in (1, 2)]


@pytest.fixture
def segments(recording, voices):
    return add_segments(recording, len(MINUTES), speakers=voices)


@pytest.fixture
def kate_green(meeting):
    person = PersonFactory(given_name="Kate", family_name="Green")
    MembershipFactory(board=meeting.get_parent().specific, person=person)
    return person


def add_segments(recording, count, *, offset=0, speakers=()):
    """`count` segments, 7.5 seconds apart, with the minutes' sentences in turn."""
    return TranscriptSegment.objects.bulk_create(
        TranscriptSegment(
            recording=recording,
            chunk_index=(offset + index) // 10,
            start=(offset + index) * 7.5,
            end=(offset + index) * 7.5 + 7,
            text=MINUTES[(offset + index) % len(MINUTES)],
            speaker=speakers[(offset + index) % len(speakers)] if speakers else None,
        )
        for index in range(count)
    )


def editor_url(recording, **params):
    url = reverse("transcription:transcript", args=[recording.pk])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def form_fields(html):
    """The editor form's fields as a browser would post them (unticked boxes left out)."""
    form = BeautifulSoup(html, "html.parser").find("form", id="transcript-editor")
    assert form is not None, "the page has no editing form"
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.name == "input" and field.get("type") in ("submit", "button"):
            continue
        if field.name == "input" and field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field["value"])
            continue
        if field.name == "textarea":
            value = field.text.removeprefix("\n")
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            value = chosen["value"]
        else:
            value = field.get("value", "")
        data.setdefault(name, []).append(value)
    return data


def row(data, segment, field):
    return data[f"s{segment.pk}-{field}"]


def edit(data, segment, **fields):
    for field, value in fields.items():
        data[f"s{segment.pk}-{field}"] = [value]
    return data


def post(client, url, data, action="save"):
    return client.post(url, {**data, "action": action})


def load(client, recording, **params):
    response = client.get(editor_url(recording, **params))
    assert response.status_code == 200
    return form_fields(response.content.decode())


def edits(segment=None):
    entries = ModelLogEntry.objects.filter(action="transcription.edit_segment")
    if segment is not None:
        entries = entries.filter(object_id=str(segment.pk))
    return entries


# The page --------------------------------------------------------------------------------------


def test_the_page_plays_the_recording_beside_the_segments(officer_client, recording, segments):
    response = officer_client.get(editor_url(recording))
    page = BeautifulSoup(response.content, "html.parser")

    audio_url = reverse("transcription:audio", args=[recording.pk])
    audio = page.find("audio")
    assert audio["src"] == audio_url
    assert audio.has_attr("controls")
    assert audio["preload"] == "metadata"
    assert "unofficial transcript" in response.content.decode().lower()
    # Each timestamp is a link into the audio (a media fragment), which the script also seeks.
    fourth = page.find(id=f"segment-{segments[3].pk}")
    link = fourth.find("a", attrs={"data-seek": True})
    assert link["href"] == f"{audio_url}#t=22.5"
    assert link.get_text(strip=True) == "0:00:22"
    assert "Alt" in page.find(id="transcript-shortcuts").get_text()
    assert page.find("script", src=lambda src: src and src.endswith("transcription/editor.js"))
    # Rows in time order, each with a select box, a speaker select and the text.
    texts = [textarea.text.strip() for textarea in page.select("textarea")]
    assert texts == MINUTES
    assert page.find("select", attrs={"name": f"s{segments[0].pk}-speaker"})
    assert page.find("input", attrs={"type": "checkbox", "value": str(segments[0].pk)})


def test_the_speaker_choices_are_the_voices_and_the_boards_people(
    officer_client, recording, segments, voices, kate_green
):
    voices[1].assign(PersonFactory(given_name="Sharon", family_name="Kemp"), user=None)

    page = BeautifulSoup(officer_client.get(editor_url(recording)).content, "html.parser")

    select = page.find("select", attrs={"name": f"s{segments[1].pk}-speaker"})
    options = {option["value"]: option.get_text() for option in select.find_all("option")}
    assert options[f"speaker-{voices[0].pk}"] == "Speaker 1"
    assert options[f"speaker-{voices[1].pk}"] == "Sharon Kemp (Speaker 2)"
    assert options[f"person-{kate_green.pk}"] == "Kate Green"
    assert select.find("option", selected=True)["value"] == f"speaker-{voices[1].pk}"


# Correcting ------------------------------------------------------------------------------------


def test_an_officer_corrects_text_and_speaker_and_the_change_is_logged(
    officer_client, officer, recording, segments, voices
):
    data = load(officer_client, recording)
    edit(data, segments[2], text="The minutes of the previous meeting were agreed.")
    edit(data, segments[4], speaker=f"speaker-{voices[1].pk}")

    response = post(officer_client, editor_url(recording), data)

    assert response.status_code == 302
    assert response["Location"] == editor_url(recording)
    corrected, moved = (TranscriptSegment.objects.get(pk=s.pk) for s in segments[2:5:2])
    assert corrected.text == "The minutes of the previous meeting were agreed."
    assert corrected.edited
    assert moved.speaker == voices[1]
    assert edits().count() == 2
    [text_entry] = edits(corrected)
    assert text_entry.user == officer
    assert text_entry.data == {
        "before": {"text": MINUTES[2], "speaker": voices[0].pk},
        "after": {
            "text": "The minutes of the previous meeting were agreed.",
            "speaker": voices[0].pk,
        },
    }
    [speaker_entry] = edits(moved)
    assert speaker_entry.data["before"]["speaker"] == voices[0].pk
    assert speaker_entry.data["after"]["speaker"] == voices[1].pk
    # Unchanged rows were neither saved nor logged.
    assert TranscriptSegment.objects.filter(edited=True).count() == 2

    page = officer_client.get(response["Location"]).content.decode()
    assert "Saved 2 corrections to the transcript." in page
    row_html = str(BeautifulSoup(page, "html.parser").find(id=f"segment-{corrected.pk}"))
    assert "Corrected" in row_html


def test_saving_an_unchanged_page_changes_and_logs_nothing(officer_client, recording, segments):
    data = load(officer_client, recording)
    # A browser sends textarea line breaks as CRLF and may add spaces: not a change.
    edit(data, segments[0], text=f"  {segments[0].text}\r\n")

    response = post(officer_client, editor_url(recording), data)

    assert response.status_code == 302
    assert not edits().exists()
    assert not TranscriptSegment.objects.filter(edited=True).exists()
    assert "Nothing had changed" in officer_client.get(response["Location"]).content.decode()


def test_line_breaks_in_a_correction_are_kept_as_typed(officer_client, recording, segments):
    data = load(officer_client, recording)
    edit(data, segments[0], text="First line.\r\nSecond line.")
    post(officer_client, editor_url(recording), data)

    assert TranscriptSegment.objects.get(pk=segments[0].pk).text == "First line.\nSecond line."
    # Loaded again, the row counts as unchanged.
    data = load(officer_client, recording)
    assert post(officer_client, editor_url(recording), data).status_code == 302
    assert edits().count() == 1


def test_picking_a_person_gives_the_segment_a_speaker_for_them(
    officer_client, recording, segments, kate_green
):
    data = load(officer_client, recording)
    edit(data, segments[4], speaker=f"person-{kate_green.pk}")
    edit(data, segments[5], speaker=f"person-{kate_green.pk}")

    post(officer_client, editor_url(recording), data)

    kate = Speaker.objects.get(recording=recording, person=kate_green)
    assert kate.label == "Kate Green"
    assert set(kate.segments.values_list("pk", flat=True)) == {segments[4].pk, segments[5].pk}
    # Picked again later, the same speaker is used, not another.
    data = load(officer_client, recording)
    assert f"person-{kate_green.pk}" not in str(data)  # now listed among the voices
    edit(data, segments[6], speaker=f"speaker-{kate.pk}")
    post(officer_client, editor_url(recording), data)
    assert Speaker.objects.filter(recording=recording, person=kate_green).count() == 1
    assert kate.segments.count() == 3


def test_an_officer_takes_a_speaker_off_a_segment(officer_client, recording, segments):
    data = load(officer_client, recording)
    edit(data, segments[0], speaker="")
    post(officer_client, editor_url(recording), data)

    assert TranscriptSegment.objects.get(pk=segments[0].pk).speaker is None
    assert edits(segments[0]).get().data["after"]["speaker"] is None


# Bad input and conflicts -----------------------------------------------------------------------


def test_empty_text_is_refused_and_nothing_typed_is_lost(
    officer_client, recording, segments, voices
):
    data = load(officer_client, recording)
    edit(data, segments[1], text="   ", speaker=f"speaker-{voices[1].pk}")
    edit(data, segments[3], text="The action plans would be submitted in May.")

    response = post(officer_client, editor_url(recording), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "The text cannot be empty" in page
    assert "1 segment was not saved" in page
    # The emptied segment is untouched; the other correction was saved.
    assert TranscriptSegment.objects.get(pk=segments[1].pk).text == MINUTES[1]
    assert TranscriptSegment.objects.get(pk=segments[3].pk).text.startswith("The action plans")
    assert edits().count() == 1
    # The page comes back with what the officer chose for the refused row, marked invalid.
    again = form_fields(page)
    assert row(again, segments[1], "text") == ["   "]
    assert row(again, segments[1], "speaker") == [f"speaker-{voices[1].pk}"]
    soup = BeautifulSoup(page, "html.parser")
    textarea = soup.find("textarea", attrs={"name": f"s{segments[1].pk}-text"})
    assert textarea["aria-invalid"] == "true"
    assert soup.find(id=textarea["aria-describedby"]).get_text().strip().startswith("The text")
    # Putting it right saves it.
    edit(again, segments[1], text="There were no members of the public present.")
    assert post(officer_client, editor_url(recording), again).status_code == 302
    assert TranscriptSegment.objects.get(pk=segments[1].pk).speaker == voices[1]


def test_a_speaker_of_another_recording_is_refused(officer_client, meeting, recording, segments):
    other = Speaker.objects.create(
        recording=make_recording(meeting, name="afternoon.mp3"), label="Speaker 9"
    )
    data = load(officer_client, recording)
    edit(data, segments[0], speaker=f"speaker-{other.pk}")

    response = post(officer_client, editor_url(recording), data)

    assert response.status_code == 400
    assert "Choose a speaker from the list" in response.content.decode()
    assert TranscriptSegment.objects.get(pk=segments[0].pk).speaker_id != other.pk


def test_a_segment_changed_by_someone_else_is_not_overwritten(
    officer_client, recording, segments, voices, django_user_model
):
    data = load(officer_client, recording)
    colleague = make_officer(django_user_model, "colleague")
    theirs = TranscriptSegment.objects.get(pk=segments[6].pk)
    theirs.correct(user=colleague, text="A report back would be given in April.")
    edit(data, segments[6], text="A report back would be given at the March meeting.")
    edit(data, segments[7], text="The Autism Partnership Board launches this month.")

    response = post(officer_client, editor_url(recording), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Someone else changed this segment" in page
    assert "A report back would be given in April." in page  # theirs
    again = form_fields(page)
    assert row(again, segments[6], "text") == ["A report back would be given at the March meeting."]
    assert TranscriptSegment.objects.get(pk=segments[6].pk).text.endswith("in April.")
    assert TranscriptSegment.objects.get(pk=segments[7].pk).text.endswith("this month.")

    # Saving again, having seen theirs, keeps the officer's version.
    response = post(officer_client, editor_url(recording), again)
    assert response.status_code == 302
    assert TranscriptSegment.objects.get(pk=segments[6].pk).text.endswith("March meeting.")
    assert edits(segments[6]).count() == 2


def test_a_speaker_changed_by_someone_else_is_not_overwritten(
    officer_client, recording, segments, voices, django_user_model
):
    data = load(officer_client, recording)
    colleague = make_officer(django_user_model, "colleague")
    TranscriptSegment.objects.get(pk=segments[0].pk).correct(user=colleague, speaker=voices[1])
    edit(data, segments[0], speaker="")
    # A text correction of a segment whose speaker someone else changed is no conflict.
    TranscriptSegment.objects.get(pk=segments[2].pk).correct(user=colleague, speaker=voices[1])
    edit(data, segments[2], text="The minutes were considered.")

    response = post(officer_client, editor_url(recording), data)

    assert response.status_code == 400
    assert TranscriptSegment.objects.get(pk=segments[0].pk).speaker == voices[1]
    both = TranscriptSegment.objects.get(pk=segments[2].pk)
    assert (both.text, both.speaker) == ("The minutes were considered.", voices[1])


def test_a_segment_removed_meanwhile_is_reported(officer_client, recording, segments):
    data = load(officer_client, recording)
    edit(data, segments[9], text="Nothing further had been received.")
    TranscriptSegment.objects.filter(pk=segments[9].pk).delete()

    response = post(officer_client, editor_url(recording), data)

    assert response.status_code == 400
    assert "no longer exist" in response.content.decode()


# Permissions -----------------------------------------------------------------------------------


def test_a_viewer_reads_but_cannot_save(client, viewer, officer, recording, segments):
    client.force_login(officer)
    data = load(client, recording)
    edit(data, segments[0], text="Changed by someone who may not.")
    data["selected"] = [str(segments[0].pk)]
    data["assign_to"] = ""

    client.force_login(viewer)
    response = client.get(editor_url(recording))
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.find("textarea") is None
    assert page.find("form", id="transcript-editor") is None
    assert MINUTES[0] in page.get_text()

    for action in ("save", "assign"):
        response = post(client, editor_url(recording), data, action)
        # Wagtail's admin answers PermissionDenied by sending the user to the dashboard.
        assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    assert TranscriptSegment.objects.get(pk=segments[0].pk).text == MINUTES[0]
    assert not ModelLogEntry.objects.filter(action__startswith="transcription.").exists()


def test_people_without_the_recordings_permission_see_nothing(
    client, django_user_model, recording, segments
):
    someone = django_user_model.objects.create_user("someone", password="pw")
    someone.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(someone)
    for url in (
        editor_url(recording),
        reverse("transcription:transcript_history", args=[recording.pk]),
    ):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))


# Assigning by selection ------------------------------------------------------------------------


def test_selected_segments_are_assigned_to_a_person(
    officer_client, officer, recording, segments, kate_green
):
    data = load(officer_client, recording)
    data["selected"] = [str(segments[n].pk) for n in (1, 3, 5)]
    data["assign_to"] = [f"person-{kate_green.pk}"]
    # A correction typed on the page is saved too.
    edit(data, segments[0], text="No Declarations of Interest were made.")

    response = post(officer_client, editor_url(recording), data, "assign")

    assert response.status_code == 302
    kate = Speaker.objects.get(recording=recording, person=kate_green)
    assert set(kate.segments.values_list("pk", flat=True)) == {segments[n].pk for n in (1, 3, 5)}
    assert TranscriptSegment.objects.get(pk=segments[0].pk).edited
    bulk = ModelLogEntry.objects.get(action="transcription.assign_speakers_bulk")
    assert bulk.user == officer
    assert bulk.data["segments"] == 3
    page = officer_client.get(response["Location"]).content.decode()
    assert "Assigned 3 segments to Kate Green." in page


def test_selected_segments_are_assigned_to_a_voice_or_to_nobody(
    officer_client, recording, segments, voices
):
    data = load(officer_client, recording)
    data["selected"] = [str(segments[0].pk), str(segments[2].pk)]
    data["assign_to"] = [f"speaker-{voices[1].pk}"]
    post(officer_client, editor_url(recording), data, "assign")
    assert {TranscriptSegment.objects.get(pk=s.pk).speaker for s in segments[0:3:2]} == {voices[1]}

    data["assign_to"] = ["none"]
    post(officer_client, editor_url(recording), data, "assign")
    assert {TranscriptSegment.objects.get(pk=s.pk).speaker for s in segments[0:3:2]} == {None}


def test_segments_of_another_recording_are_never_assigned(
    officer_client, meeting, recording, segments, voices
):
    other = make_recording(meeting, name="afternoon.mp3")
    [stranger] = add_segments(other, 1)
    data = load(officer_client, recording)
    data["selected"] = [str(segments[0].pk), str(stranger.pk)]
    data["assign_to"] = [f"speaker-{voices[1].pk}"]

    response = post(officer_client, editor_url(recording), data, "assign")

    assert response.status_code == 400
    assert "not part of this recording" in response.content.decode()
    assert TranscriptSegment.objects.get(pk=segments[0].pk).speaker == voices[0]
    assert TranscriptSegment.objects.get(pk=stranger.pk).speaker is None
    # The selection is kept for the officer to put right.
    again = form_fields(response.content.decode())
    assert again["selected"] == [str(segments[0].pk)]
    assert again["assign_to"] == [f"speaker-{voices[1].pk}"]


@pytest.mark.parametrize(
    "selected, assign_to, message",
    [
        ([], "speaker", "Select the segments to assign"),
        (["first"], "", "Choose who spoke the selected segments."),
        (["first"], "speaker-0", "Choose who spoke the selected segments."),
        (["x"], "speaker", "not part of this recording"),
    ],
)
def test_assigning_needs_segments_and_a_speaker(
    officer_client, recording, segments, voices, selected, assign_to, message
):
    data = load(officer_client, recording)
    data["selected"] = [str(segments[0].pk) if pk == "first" else pk for pk in selected]
    data["assign_to"] = [f"speaker-{voices[1].pk}" if assign_to == "speaker" else assign_to]

    response = post(officer_client, editor_url(recording), data, "assign")

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ModelLogEntry.objects.filter(action="transcription.assign_speakers_bulk").exists()


def test_nothing_is_assigned_while_a_row_is_refused(officer_client, recording, segments, voices):
    data = load(officer_client, recording)
    data["selected"] = [str(segments[0].pk)]
    data["assign_to"] = [f"speaker-{voices[1].pk}"]
    edit(data, segments[4], text="")

    response = post(officer_client, editor_url(recording), data, "assign")

    assert response.status_code == 400
    assert "Nothing was assigned" in response.content.decode()
    assert TranscriptSegment.objects.get(pk=segments[0].pk).speaker == voices[0]
    assert form_fields(response.content.decode())["selected"] == [str(segments[0].pk)]


# Finding -----------------------------------------------------------------------------------------


def shown(client, recording, **params):
    page = BeautifulSoup(client.get(editor_url(recording, **params)).content, "html.parser")
    return [int(tr["id"].removeprefix("segment-")) for tr in page.select("tr[id^=segment-]")]


def test_filters_by_agenda_item_speaker_and_words(
    officer_client, meeting, recording, segments, voices
):
    minutes_item = AgendaItemFactory(meeting=meeting, title="Minutes of the previous meeting")
    unmarked = AgendaItemFactory(meeting=meeting, title="Better Care Fund")
    TranscriptSpan.objects.create(recording=recording, agenda_item=minutes_item, start=15, end=45)

    # Segments overlapping the span (15-45 s): those starting at 15, 22.5, 30 and 37.5 seconds.
    assert shown(officer_client, recording, item=minutes_item.pk) == [s.pk for s in segments[2:6]]
    assert shown(officer_client, recording, speaker=voices[1].pk) == [s.pk for s in segments[1::2]]
    assert shown(officer_client, recording, q="BOARD") == [segments[n].pk for n in (2, 4, 5, 7)]
    assert shown(officer_client, recording, item=minutes_item.pk, speaker=voices[0].pk) == [
        segments[2].pk,
        segments[4].pk,
    ]
    page = officer_client.get(editor_url(recording, item=unmarked.pk)).content.decode()
    assert "has not been marked in the recording yet" in page
    assert shown(officer_client, recording, item=unmarked.pk) == []

    TranscriptSegment.objects.filter(pk=segments[0].pk).update(speaker=None)
    assert shown(officer_client, recording, speaker="none") == [segments[0].pk]
    assert (
        "not one of this recording"
        in officer_client.get(editor_url(recording, speaker="banana")).content.decode()
    )


def test_saving_a_filtered_page_returns_to_it(officer_client, recording, segments):
    url = editor_url(recording, q="board")
    data = form_fields(officer_client.get(url).content.decode())
    assert data["segment"] == [str(segments[n].pk) for n in (2, 4, 5, 7)]
    # The correction no longer matches the words looked for: it is saved all the same.
    edit(data, segments[2], text="The minutes of the previous meeting were considered.")

    response = post(officer_client, url, data)

    assert (response.status_code, response["Location"]) == (302, url)
    assert TranscriptSegment.objects.get(pk=segments[2].pk).edited


def test_the_transcript_is_paged_and_a_segment_can_be_found(officer_client, recording, voices):
    segments = add_segments(recording, PAGE_SIZE + 20, speakers=voices)
    last = segments[-1]

    assert len(shown(officer_client, recording)) == PAGE_SIZE
    assert shown(officer_client, recording, p=2) == [s.pk for s in segments[PAGE_SIZE:]]
    page = officer_client.get(editor_url(recording)).content.decode()
    assert "Page 1 of 2" in page

    response = officer_client.get(editor_url(recording, segment=last.pk))
    assert response["Location"] == editor_url(recording, p=2) + f"#segment-{last.pk}"


def test_a_running_transcription_can_be_corrected_as_it_goes(officer_client, recording, segments):
    TranscriptionJob.objects.filter(recording=recording).update(status=JobStatus.CANCELLED)
    TranscriptionJob.objects.create(
        recording=recording, status=JobStatus.RUNNING, chunks_total=4, chunks_done=1, progress=25
    )
    response = officer_client.get(editor_url(recording))
    assert "The transcription is still running" in response.content.decode()

    data = form_fields(response.content.decode())
    edit(data, segments[0], text="No declarations of interest were made.")
    assert post(officer_client, editor_url(recording), data).status_code == 302
    assert TranscriptSegment.objects.get(pk=segments[0].pk).edited


# History -----------------------------------------------------------------------------------------


def history_url(recording, **params):
    url = reverse("transcription:transcript_history", args=[recording.pk])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def test_the_history_lists_who_changed_what_before_and_after(
    officer_client, officer, recording, segments, voices, kate_green, meeting
):
    officer.first_name, officer.last_name = "Dawn", "Mitchell"
    officer.save()
    data = load(officer_client, recording)
    edit(data, segments[6], text="A report back would be given in April.")
    edit(data, segments[7], speaker=f"speaker-{voices[0].pk}")
    post(officer_client, editor_url(recording), data)
    voices[1].assign(kate_green, user=officer)
    other = make_recording(meeting, name="afternoon.mp3")
    [elsewhere] = add_segments(other, 1)
    elsewhere.correct(user=officer, text="Not this recording's.")

    response = officer_client.get(history_url(recording))

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    rows = [tr.get_text(" ", strip=True) for tr in page.select("tbody tr")]
    assert len(rows) == 3
    assert "Voice Speaker 2" in rows[0] and "Kate Green" in rows[0]
    corrections = " ".join(rows[1:])
    assert "Dawn Mitchell" in corrections
    assert "Segment at 0:00:45" in corrections
    assert "A report back would be given in March." in corrections  # before
    assert "A report back would be given in April." in corrections  # after
    assert "Segment at 0:00:52" in corrections and "Speaker 1" in corrections
    assert "Not this recording" not in response.content.decode()

    one = officer_client.get(history_url(recording, segment=segments[6].pk)).content.decode()
    assert "in April." in one and "Segment at 0:00:52" not in one


def test_the_history_shows_speakers_assigned_in_bulk(
    officer_client, recording, segments, voices, kate_green
):
    data = load(officer_client, recording)
    data["selected"] = [str(segments[0].pk), str(segments[1].pk)]
    data["assign_to"] = [f"person-{kate_green.pk}"]
    post(officer_client, editor_url(recording), data, "assign")

    page = officer_client.get(history_url(recording)).content.decode()

    assert "2 segments, by selection" in page
    assert "Kate Green" in page
    assert "Speaker 1 (1), Speaker 2 (1)" in page


def test_the_history_is_paged_with_few_queries(
    officer_client, officer, recording, voices, django_assert_max_num_queries
):
    segments = add_segments(recording, 3, speakers=voices)
    for n, segment in enumerate(segments):
        segment.correct(user=officer, text=f"Correction {n}.", speaker=voices[1])
    with django_assert_max_num_queries(30) as few:
        assert officer_client.get(history_url(recording)).status_code == 200

    for n, segment in enumerate(add_segments(recording, 60, offset=3, speakers=voices)):
        segment.correct(user=officer, text=f"Later correction {n}.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = officer_client.get(history_url(recording)).content.decode()
    assert "Page 1 of 2" in page
    assert "Later correction 59." in page


# Queries -----------------------------------------------------------------------------------------


def test_the_page_needs_the_same_queries_however_long_the_transcript(
    officer_client, recording, voices, kate_green, django_assert_max_num_queries
):
    """As many queries for 10 segments, 2 voices and 1 person as for 150, 8 and 6."""
    add_segments(recording, 10, speakers=voices)
    officer_client.get(editor_url(recording))  # content types and the like, cached
    with django_assert_max_num_queries(QUERY_BUDGET) as few:
        response = officer_client.get(editor_url(recording))
    assert response.content.decode().count("<textarea") == 10

    board = kate_green.memberships.get().board
    MembershipFactory.create_batch(5, board=board)
    voices += [
        Speaker.objects.create(recording=recording, label=f"Speaker {n}") for n in range(3, 9)
    ]
    add_segments(recording, 140, offset=10, speakers=voices)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = officer_client.get(editor_url(recording))
    page = response.content.decode()
    assert page.count("<textarea") == PAGE_SIZE
    assert "Speaker 8" in page
    assert page.count(f'value="person-{kate_green.pk}"') == PAGE_SIZE + 1  # rows and assign


def test_saving_needs_the_same_queries_however_many_rows_are_unchanged(
    officer_client, recording, voices, django_assert_max_num_queries
):
    segments = add_segments(recording, 150, speakers=voices)

    def save(changed):
        data = load(officer_client, recording)
        for segment in changed:
            edit(data, segment, text=f"{segment.text} (checked)")
        with django_assert_max_num_queries(QUERY_BUDGET * 4) as queries:
            assert post(officer_client, editor_url(recording), data).status_code == 302
        return len(queries.captured_queries)

    assert save([]) <= QUERY_BUDGET
    one = save(segments[:1])
    # A changed row costs its own writes (the UPDATE, its log entry and whatever listens to a
    # segment being saved); the unchanged rows of the page cost nothing.
    per_change = save(segments[1:3]) - one
    assert save(segments[3:13]) <= one + 9 * per_change
    assert edits().count() == 13


QUERY_BUDGET = 30


def test_dates_in_the_history_are_uk_style(officer_client, officer, recording, segments):
    segments[0].correct(user=officer, text="Corrected.")
    ModelLogEntry.objects.filter(action="transcription.edit_segment").update(
        timestamp=datetime.datetime(2017, 1, 11, 10, 32, tzinfo=datetime.UTC)
    )
    page = officer_client.get(history_url(recording)).content.decode()
    assert "Wednesday 11 January 2017 at 10.32am" in page
