"""End to end with a real worker: an officer uploads a recording, `manage.py db_worker` (a separate
process, faster-whisper with the bundled tiny.en) transcribes it, marks the agenda item the chair
calls and tells the voices apart; the officer reads the transcript and turns it into draft minutes.

The recording is the engine's synthetic meeting (espeak-ng voices reading the minutes of
11 January 2017, about a minute and a half); the transcript is compared with the script it was
spoken from by word error rate, not exact text.
"""

import pytest
from django.urls import reverse
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from actions_log.models import Action
from boards.models import Person
from meetings.factories import AgendaItemFactory
from meetings.minutes import MinutesPage
from transcription.drafting import add_to_minutes, propose_minutes
from transcription.models import DraftKind, JobStatus, Recording, TranscriptSegment
from transcription.scoring import similarity
from transcription.testing import recordings

from .job_helpers import DATABASE_TASKS, make_meeting, make_officer
from .workers import WorkerDatabase, duplicate_segments, start_worker, stop_worker, wait_for

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# tiny.en on synthetic voices: about 0.8 of the words right on this meeting (see the README's
# figures); a broken pipeline (chunks lost or repeated, wrong audio) falls far below.
MIN_SIMILARITY = 0.65
CHUNK_SETTINGS = {"TRANSCRIPTION_CHUNK_SECONDS": 20, "TRANSCRIPTION_CHUNK_OVERLAP": 4}


def test_an_uploaded_recording_is_transcribed_by_a_real_worker(
    client, board_index, django_user_model, settings, meeting_recording, tmp_path
):
    settings.TASKS = DATABASE_TASKS  # the test process enqueues into the database, as the site does
    meeting = make_meeting(board_index)
    officer = make_officer(django_user_model)
    client.force_login(officer)
    item_52 = agenda_of_item_52(meeting)
    owners = {
        Person.objects.create(given_name="Chris", family_name="Edwards"),
        Person.objects.create(given_name="Sharon", family_name="Kemp"),
    }

    with open(meeting_recording.path, "rb") as audio:
        response = client.post(
            reverse("transcription:meeting", args=[meeting.pk]),
            {"file": audio},
        )
    assert response.status_code == 302
    recording = Recording.objects.get()
    job = recording.latest_job
    assert job.status == JobStatus.QUEUED

    database = WorkerDatabase(tmp_path)
    database.push()
    env = database.env(**CHUNK_SETTINGS)
    worker = start_worker(env, tmp_path / "worker.log", "e2e-worker")
    try:
        state = wait_for(
            lambda: (s := database.job(job.pk))["status"] in ("done", "failed") and s,
            timeout=150,
            interval=0.5,
            what="the transcription",
        )
    finally:
        stop_worker(worker)
    log = (tmp_path / "worker.log").read_text()
    assert state["status"] == "done", log
    database.pull()

    job.refresh_from_db()
    recording.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert "e2e-worker" in job.worker_id
    assert job.attempts == 1
    assert job.chunks_done == job.chunks_total == 5  # about 90 seconds in chunks of 20
    assert recording.duration == pytest.approx(meeting_recording.duration, abs=0.5)
    assert duplicate_segments(recording) == {}
    segments = list(TranscriptSegment.objects.filter(recording=recording).order_by("start"))
    assert {segment.chunk_index for segment in segments} == set(range(job.chunks_total))
    transcript = " ".join(segment.text for segment in segments)
    assert similarity(meeting_recording.text, transcript) >= MIN_SIMILARITY, transcript
    [task] = DBTaskResult.objects.filter(task_path__endswith="transcribe_recording_task")
    assert (task.status, task.return_value) == ("SUCCESSFUL", "done")

    page = client.get(reverse("transcription:recording", args=[recording.pk])).content.decode()
    assert "The transcript is ready." in page
    page = client.get(reverse("transcription:transcript", args=[recording.pk])).content.decode()
    assert escape(segments[0].text) in page
    assert "0:00:00" in page

    # The chair's "Item 52, ..." marked the item's start (the script says 47.3 s)...
    [span] = recording.spans.all()
    chair_calls_52 = next(line.start for line in meeting_recording.lines if "Item 52" in line.text)
    assert (span.agenda_item, span.source) == (item_52, "suggested")
    assert span.start == pytest.approx(chair_calls_52, abs=3.0)
    # ... and the voices were told apart (eight in the script).
    assert 4 <= recording.speakers.count() <= 12
    assert TranscriptSegment.objects.filter(recording=recording, speaker__isnull=True).count() <= 2

    # The officer drafts the minutes of item 52 from its span: what was reported and an action
    # owned by the two people the chair named; the minutes stay a draft. (Whether the resolution
    # is found depends on what tiny.en hears: here "That Chris Edwards and Sharon Kemp advise"
    # comes out as "At Chris Edwards and Sharon Kemp and Mise", which is not a resolution.)
    proposals = propose_minutes(recording, user=officer)
    kinds = {proposal.kind for proposal in proposals}
    assert {DraftKind.NARRATIVE, DraftKind.ACTION} <= kinds
    action = next(p for p in proposals if p.kind == DraftKind.ACTION)
    assert set(action.owners.all()) == owners
    assert span.start <= action.start <= action.end <= span.end + 1
    add_to_minutes(proposals, user=officer)
    minutes = MinutesPage.objects.get(meeting=meeting)
    assert not minutes.live
    [minute] = minutes.minute_items.all()
    assert minute.agenda_item == item_52
    assert "engagement" in minute.narrative
    [drafted] = Action.objects.filter(meeting=meeting, minute_item=minute)
    assert {owner.person for owner in drafted.owners.all()} == owners


def agenda_of_item_52(meeting):
    """Items 51 and 52 as the agenda printed them: only 52 is called in the recording."""
    minutes = recordings.parse_minutes()
    title = next(item.title for item in minutes.items if item.number == 52)
    AgendaItemFactory(meeting=meeting, number=51, title="Minutes of the previous meeting")
    return AgendaItemFactory(meeting=meeting, number=52, title=title)
