"""From a recording to draft minutes: how long it takes and how much of the minutes it finds.

Uses the 15.8-minute espeak-ng meeting made from the minutes of 11 January 2017
(`transcription.testing.recordings.long_meeting()`: 23 voices, the chair calling items 48-57 by
number and title, presenters reading the minutes, the chair reading resolutions and actions). In
a scratch database it builds the board, the meeting with its agenda (items 48-57 as printed) and
everyone in the minutes' attendance, attaches the recording, and runs the real job on this
process (faster-whisper tiny.en, int8, 2 threads; then the follow-up: agenda items marked from
the transcript, voices grouped), then proposes the draft minutes and adds them all to a draft
minutes page. It prints:

- the time of each step and in all, against the length of the recording;
- alignment: items whose start was found, and how far each is from the chair's call in the script;
- resolutions: of the minutes' resolutions read out, how many have a resolution proposal in the
  right item whose words are at least SIMILAR alike (word error rate based similarity);
- actions: of the action lines read out, how many have an action proposal in the right item, and
  how many of those name exactly the minutes' owners.

    .venv/bin/python benchmarks/drafting.py

The database is DATABASE_URL if set, otherwise sqlite:////tmp/benchmark-drafting.sqlite3 (a
PostgreSQL database must have "bench" in its name: it is emptied).
"""

import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/benchmark-drafting.sqlite3")

SIMILAR = 0.6
RESOLUTION_RE = re.compile(r"^(Resolved:-)?\s*\((\d+)\)\s*")
ITEM_CUE = re.compile(r"^Item (\d+), ")


def spoken_truth(minutes, script):
    """(resolutions, actions) read out in the script, by item: {item: [text]}, {item: [names]}."""
    from transcription.testing.recordings import speakable

    said = " ".join(line.text for line in script)
    resolutions, actions = {}, {}
    for item in minutes.items:
        for paragraph in item.paragraphs:
            if RESOLUTION_RE.match(paragraph):
                text = speakable(RESOLUTION_RE.sub("", paragraph))
                if text[:60] in said:
                    resolutions.setdefault(item.number, []).append(text)
            elif paragraph.startswith("Action"):
                names = re.sub(r"^Action:-?\s*", "", paragraph).replace("Ruther ", "Ruth ")
                owners = {name.strip() for name in names.split("/")}
                if any(
                    line.text.startswith("Action for") and all(o in line.text for o in owners)
                    for line in script
                ):
                    actions.setdefault(item.number, []).append(owners)
    return resolutions, actions


def plain_name(name):
    return re.sub(r"^Councillor ", "", name)


def build(minutes):
    from boards.factories import BoardPageFactory
    from boards.models import BoardIndexPage, Person
    from home.models import HomePage
    from meetings.factories import AgendaItemFactory, MeetingPageFactory, london

    home = HomePage.objects.first()
    index = home.add_child(instance=BoardIndexPage(title="Boards", slug="boards"))
    board = BoardPageFactory(parent=index, title="Health and Wellbeing Board")
    meeting = MeetingPageFactory(
        parent=board,
        title="Health and Wellbeing Board, 11 January 2017",
        start=london(2017, 1, 11, 9),
    )
    agenda = {
        item.number: AgendaItemFactory(
            meeting=meeting, number=item.number, title=item.title, sort_order=order
        )
        for order, item in enumerate(minutes.items)
    }
    for attendee in minutes.attendees:
        name = attendee.name
        title = ""
        if name.startswith("Councillor "):
            title, name = "Councillor", name.removeprefix("Councillor ")
        given, _, family = name.rpartition(" ")
        Person.objects.create(title=title, given_name=given, family_name=family)
    return meeting, agenda


def main():
    import django

    django.setup()
    from django.core.files import File
    from django.core.management import call_command
    from django.test.utils import override_settings

    from benchmarks.pages import reset_database

    media = tempfile.mkdtemp(prefix="benchmark-drafting-media-")
    override_settings(
        MEDIA_ROOT=media,
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
        TRANSCRIPTION_CPU_THREADS=2,
    ).enable()
    reset_database()
    call_command("migrate", verbosity=0, interactive=False)

    from meetings.minutes import MinutesPage
    from transcription import jobs
    from transcription.drafting import add_to_minutes, propose_minutes
    from transcription.models import DraftKind, Recording
    from transcription.scoring import similarity
    from transcription.testing import recordings

    audio = recordings.long_meeting()
    minutes = recordings.parse_minutes()
    meeting, agenda = build(minutes)
    recording = Recording(meeting=meeting, original_name="hwb.mp3", size=audio.path.stat().st_size)
    with audio.path.open("rb") as source:
        recording.file.save("hwb.mp3", File(source), save=False)
    recording.save()
    job = jobs.queue_transcription(recording)

    started = time.perf_counter()
    outcome = jobs.run_job(job.pk)
    transcribed = time.perf_counter()
    if outcome != "done":
        job.refresh_from_db()
        sys.exit(f"The transcription ended {outcome}: {job.error}")
    proposals = propose_minutes(recording)
    proposed = time.perf_counter()
    add_to_minutes(proposals, user=None)
    added = time.perf_counter()

    length = audio.duration
    total = added - started
    print(f"Recording: {length / 60:.1f} minutes, {len(audio.lines)} utterances")
    print(
        f"Transcribed, items marked and voices grouped: {transcribed - started:.1f} s; "
        f"proposed: {proposed - transcribed:.2f} s; added to the minutes: {added - proposed:.2f} s"
    )
    print(f"From upload to draft minutes: {total:.1f} s ({total / length:.3f} s per audio second)")

    calls = {
        int(match.group(1)): line.start
        for line in audio.lines
        if line.speaker == recordings.CHAIR and (match := ITEM_CUE.match(line.text))
    }
    spans = {
        span.agenda_item.number: span for span in recording.spans.select_related("agenda_item")
    }
    errors = [
        abs(spans[number].start - start) for number, start in calls.items() if number in spans
    ]
    print(
        f"Alignment: {len(errors)} of {len(calls)} items called found; start off by median "
        f"{statistics.median(errors):.1f} s, at most {max(errors):.1f} s"
        if errors
        else f"Alignment: none of {len(calls)} items found"
    )

    resolutions, actions = spoken_truth(minutes, audio.lines)
    by_item = {}
    for proposal in proposals:
        by_item.setdefault((proposal.agenda_item.number, proposal.kind), []).append(proposal)
    found = 0
    for number, texts in resolutions.items():
        proposed_texts = [p.text for p in by_item.get((number, DraftKind.RESOLUTION), [])]
        for text in texts:
            found += any(similarity(text, candidate) >= SIMILAR for candidate in proposed_texts)
    total_resolutions = sum(len(texts) for texts in resolutions.values())
    print(
        f"Resolutions: {found} of {total_resolutions} read out proposed in the right item "
        f"(similarity >= {SIMILAR}); {sum(p.kind == DraftKind.RESOLUTION for p in proposals)} "
        "proposed in all"
    )
    with_action, right_owners = 0, 0
    for number, owner_sets in actions.items():
        # Each action read out is paired with one proposal of its item, the right owners first.
        unused = [
            {plain_name(person.full_name) for person in proposal.owners.all()}
            for proposal in by_item.get((number, DraftKind.ACTION), [])
        ]
        for owners in owner_sets:
            wanted = {plain_name(owner) for owner in owners}
            if wanted in unused:
                unused.remove(wanted)
                with_action, right_owners = with_action + 1, right_owners + 1
            elif unused:
                unused.pop()
                with_action += 1
    total_actions = sum(len(sets) for sets in actions.values())
    print(
        f"Actions: {with_action} of {total_actions} read out proposed in the right item, "
        f"{right_owners} with exactly the minutes' owners; "
        f"{sum(p.kind == DraftKind.ACTION for p in proposals)} proposed in all"
    )
    draft = MinutesPage.objects.get(meeting=meeting)
    print(
        f"Draft minutes: {draft.minute_items.count()} minutes, live: {draft.live} "
        f"(nothing is published by drafting)"
    )


if __name__ == "__main__":
    main()
