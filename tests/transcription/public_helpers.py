"""A published meeting with a transcribed recording: a public item, an exempt item, another public
item, and talk before, between and after them that nobody marked.

The recording lasts 12 seconds. Times (seconds):

    0-2     before the first item (not marked)      "car park" chatter: withheld
    2-5     item 52 (public)                        two segments shown, one running into item 53
    5-8     item 53 (exempt)                        the exempt business: never published
    8-11    item 54 (public)                        two segments shown
    11-12   after the last item (not marked)        withheld

`write_item_tones` writes a matching WAV in which each part has its own pitch, so that a test can
tell from the sound alone whether any of the exempt item (1000 Hz) is audible.
"""

import wave
from dataclasses import dataclass, field

import numpy as np

from boards.factories import BoardPageFactory, PersonFactory
from meetings.factories import AgendaItemFactory, MeetingPageFactory, london
from meetings.models import AgendaSection
from transcription.models import (
    JobStatus,
    Speaker,
    TranscriptionJob,
    TranscriptSegment,
    TranscriptSpan,
)

from .job_helpers import make_recording

DURATION = 12.0
PUBLIC_SPANS = [(2.0, 5.0), (8.0, 11.0)]
EXEMPT_SPAN = (5.0, 8.0)

# From the reference minutes (hwb-2017-03-08-agenda-pack.txt, minutes 52 and 53).
PUBLIC_TEXTS = [
    "Healthwatch and the Voluntary and Community Sector had been contacted to assist with the "
    "engagement and communication of the STP.",
    "Five thousand pounds was being offered from regional funds to undertake the engagement.",
    "Giles Ratcliffe gave a presentation on Aim 4 of the Health and Wellbeing Strategy.",
    "Healthy life expectancy is improved for all Rotherham people.",
]
# Marked words that must never reach the public.
EXEMPT_TEXTS = [
    "Quorndale Care Homes is carrying losses of two million pounds.",
    "The Quorndale contract should be varied before the provider fails.",
]
STRADDLING_TEXT = "Moving into private session, Quorndale figures follow."
UNMARKED_TEXTS = [
    "Morning all, the Tarnbrook car park is full again.",
    "Tarnbrook coffee is in the side room afterwards.",
]
SECRET_WORDS = ["Quorndale", "Tarnbrook"]

# (start, end, text, speaker index)
SEGMENTS = [
    (0.2, 1.5, UNMARKED_TEXTS[0], 1),
    (2.1, 3.0, PUBLIC_TEXTS[0], 0),
    (3.1, 4.0, PUBLIC_TEXTS[1], 1),
    (4.6, 5.4, STRADDLING_TEXT, 0),
    (5.5, 6.5, EXEMPT_TEXTS[0], 1),
    (6.6, 7.8, EXEMPT_TEXTS[1], 0),
    (8.2, 9.5, PUBLIC_TEXTS[2], 0),
    (9.6, 10.8, PUBLIC_TEXTS[3], 1),
    (11.2, 11.9, UNMARKED_TEXTS[1], 1),
]

TONES = [(0.0, 2.0, 300.0), (2.0, 5.0, 440.0), (5.0, 8.0, 1000.0), (8.0, 11.0, 660.0)]
TAIL_TONE = (11.0, DURATION, 300.0)


@dataclass
class PublishedMeeting:
    meeting: object
    public_item: object
    exempt_item: object
    second_item: object
    recording: object
    segments: list = field(default_factory=list)


def write_item_tones(path, *, rate=22050, only_public=False):
    """A 12-second WAV: a different pitch for each part of the meeting (1000 Hz: exempt).

    With `only_public`, the same file with silence wherever the public may not listen.
    """
    t = np.arange(int(DURATION * rate)) / rate
    samples = np.zeros_like(t)
    parts = [*TONES, TAIL_TONE]
    if only_public:
        parts = [part for part in parts if part[:2] in PUBLIC_SPANS]
    for start, end, frequency in parts:
        inside = (t >= start) & (t < end)
        samples[inside] = 0.3 * np.sin(2 * np.pi * frequency * t[inside])
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((samples * 32767).astype(np.int16).tobytes())
    return path


def make_published_meeting(
    board_index,
    *,
    path=None,
    publish=True,
    job_status=JobStatus.DONE,
    segments=SEGMENTS,
    meeting=None,
    slug="health-and-wellbeing-board",
):
    """The meeting, its three items, a recording with spans and segments; published if asked."""
    if meeting is None:
        board = BoardPageFactory(parent=board_index, title="Health and Wellbeing Board", slug=slug)
        meeting = MeetingPageFactory(
            parent=board,
            title="Health and Wellbeing Board",
            slug="11-january-2017",
            start=london(2017, 1, 11, 9),
        )
    public_item = AgendaItemFactory(
        meeting=meeting,
        number=52,
        sort_order=52,
        section=AgendaSection.DISCUSSION,
        title="Communicating and engaging on the Sustainability and Transformation Plan",
    )
    exempt_item = AgendaItemFactory(
        meeting=meeting,
        number=53,
        sort_order=53,
        section=AgendaSection.DECISION,
        title="Care home contract",
        is_exempt=True,
        exempt_paragraph=3,
    )
    second_item = AgendaItemFactory(
        meeting=meeting,
        number=54,
        sort_order=54,
        section=AgendaSection.DECISION,
        title="Health and Wellbeing Strategy",
    )
    recording = make_recording(meeting, path=path, name="HWB 11 Jan incl. private session.wav")
    TranscriptionJob.objects.create(recording=recording, status=job_status)
    chair = PersonFactory(title="Councillor", given_name="David", family_name="Roche")
    speakers = [
        Speaker.objects.create(recording=recording, label="Speaker 1", person=chair),
        Speaker.objects.create(recording=recording, label="Speaker 2"),
    ]
    spans = [PUBLIC_SPANS[0], EXEMPT_SPAN, PUBLIC_SPANS[1]]
    for item, (start, end) in zip((public_item, exempt_item, second_item), spans, strict=True):
        TranscriptSpan.objects.create(recording=recording, agenda_item=item, start=start, end=end)
    rows = TranscriptSegment.objects.bulk_create(
        TranscriptSegment(
            recording=recording,
            chunk_index=0,
            start=start,
            end=end,
            text=text,
            speaker=speakers[speaker],
        )
        for start, end, text, speaker in segments
    )
    if publish:
        recording.publish_recording = True
        recording.save(update_fields=["publish_recording"])
    return PublishedMeeting(meeting, public_item, exempt_item, second_item, recording, rows)


def many_segments(count):
    """`count` public segments, half in each public item, plus the withheld and exempt ones."""
    rows = [row for row in SEGMENTS if row[2] not in PUBLIC_TEXTS]
    for n in range(count):
        start_of_span, _end = PUBLIC_SPANS[n % 2]
        start = start_of_span + 0.1 + (n // 2) * 0.01
        rows.append((start, start + 0.005, f"Public remark number {n}.", n % 2))
    return rows
