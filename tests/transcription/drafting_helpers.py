"""An aligned transcript of the Health and Wellbeing Board of 11 January 2017, for drafting tests.

The transcript is the meeting's script (transcription/testing/recordings.py: the reference
minutes spoken by the chair and presenters, "Item 52, …", "Action for Kate Green.", "So,
resolved: …"), one segment per utterance, ten seconds apart, with no audio and no Whisper.
Everyone in the minutes' attendance is a person the site knows (not those who sent apologies,
nor Anne Marie Lubanski, so their names cannot be matched), each voice is mapped to its person,
and each agenda item's span runs from the chair's "Item NN" to the next item's.
"""

import re
from dataclasses import dataclass, field

from boards.factories import BoardPageFactory
from boards.models import Person
from meetings.factories import AgendaItemFactory, MeetingPageFactory, london
from meetings.minutes import MinuteItem
from tests.meetings.minutes_helpers import publish_minutes
from transcription.models import Speaker, TranscriptSegment, TranscriptSpan
from transcription.testing import recordings

from .job_helpers import make_recording

SECONDS_PER_LINE = 10.0
ITEM_CUE = re.compile(r"^Item (\d+), ")


@dataclass
class Meeting:
    board: object
    meeting: object
    recording: object
    agenda: dict  # minute number -> AgendaItem
    people: dict  # name as spoken -> Person
    segments: list = field(default_factory=list)
    spans: dict = field(default_factory=dict)  # minute number -> TranscriptSpan

    def item(self, number):
        return self.agenda[number]

    def segments_of(self, number):
        span = self.spans[number]
        return [s for s in self.segments if span.start <= s.start < span.end]


def person_for(name):
    """'Councillor Roche' -> Councillor Roche; 'Ruth Fletcher-Brown' -> Ruth Fletcher-Brown."""
    title = ""
    if name.startswith("Councillor "):
        title, name = "Councillor", name.removeprefix("Councillor ")
    given, _, family = name.rpartition(" ")
    return Person.objects.create(
        title=title, given_name=given, family_name=family, organisation="RMBC"
    )


def hwb_meeting(board_index, *, items=None, previous_minute=47):
    """The meeting with its agenda (minute numbers as agenda numbers), an aligned transcript
    of `items` (all of 48-57 by default), and last meeting's published minutes ending at
    `previous_minute`, so these minutes number on from it."""
    minutes = recordings.parse_minutes()
    board = BoardPageFactory(parent=board_index, title="Health and Wellbeing Board")
    previous = MeetingPageFactory(
        parent=board, title="Health and Wellbeing Board, 16 November 2016",
        start=london(2016, 11, 16, 9),
    )  # fmt: skip
    if previous_minute:
        publish_minutes(previous, [MinuteItem(number=previous_minute, heading="Date of next")])
    meeting = MeetingPageFactory(
        parent=board,
        title="Health and Wellbeing Board, 11 January 2017",
        start=london(2017, 1, 11, 9),
    )
    agenda = {}
    for order, item in enumerate(minutes.items):
        agenda[item.number] = AgendaItemFactory(
            meeting=meeting,
            number=item.number,
            title=recordings._title(item.title),
            sort_order=order,
        )
    people = {attendee.name: person_for(attendee.name) for attendee in minutes.attendees}
    recording = make_recording(meeting, duration=3600.0)
    result = Meeting(board, meeting, recording, agenda, people)
    script = recordings.meeting_script("long")
    wanted = set(items or agenda)
    lines, current = [], None
    for line in script:
        if match := ITEM_CUE.match(line.text):
            current = int(match.group(1))
        if current in wanted:
            lines.append(line)
    add_transcript(result, lines)
    return result


def add_transcript(meeting, lines):
    """Segments for script lines (speaker, text), voices mapped, and a span per item called."""
    recording = meeting.recording
    speakers = {}
    segments = []
    start = float(len(meeting.segments)) * SECONDS_PER_LINE
    for line in lines:
        speaker = speakers.get(line.speaker)
        if speaker is None:
            speaker, _ = Speaker.objects.get_or_create(
                recording=recording, label=f"Speaker {len(speakers) + 1}: {line.speaker}"[:50]
            )
            person = meeting.people.get(line.speaker)
            if person is not None:
                speaker.person = person
                speaker.save(update_fields=["person"])
            speakers[line.speaker] = speaker
        segments.append(
            TranscriptSegment(
                recording=recording,
                chunk_index=0,
                start=start,
                end=start + SECONDS_PER_LINE - 1,
                text=line.text,
                speaker=speaker,
            )
        )
        start += SECONDS_PER_LINE
    saved = TranscriptSegment.objects.bulk_create(segments)
    meeting.segments.extend(saved)
    cues = [
        (int(match.group(1)), segment.start)
        for segment in saved
        if (match := ITEM_CUE.match(segment.text))
    ]
    for position, (number, cue_start) in enumerate(cues):
        end = cues[position + 1][1] if position + 1 < len(cues) else saved[-1].end
        meeting.spans[number] = TranscriptSpan.objects.create(
            recording=recording, agenda_item=meeting.agenda[number], start=cue_start, end=end
        )
    return saved


@dataclass
class Line:
    speaker: str
    text: str
