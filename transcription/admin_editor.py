"""The transcript editor: an officer corrects text and speakers with the recording beside it.

URL names (namespace "transcription", registered in wagtail_hooks.py):

    transcript          /admin/recordings/<recording>/transcript/           the editor
    transcript_history  /admin/recordings/<recording>/transcript/history/   who changed what

The editor shows `PAGE_SIZE` segments a page (filtered to an agenda item's span with `?item=`,
to a voice with `?speaker=`, to words with `?q=`; `?segment=` opens the page holding a segment).
Each row is a plain form row: saving posts the whole page, but only the rows the officer changed
are saved, each through `TranscriptSegment.correct`, whose log entries (before and after) are the
transcript's revision history.

A row carries what it showed when the page was loaded (a digest of its text, and its speaker).
If the segment has been changed since by someone else, the officer's version is not saved over
theirs: the row comes back with both versions, and saving again keeps the officer's. A row whose
text was emptied is refused the same way; the other rows are saved and nothing typed is lost.

Segments can also be given a speaker in bulk ("assign the selected segments to ..."). Picking a
person rather than a voice gives the segment the recording's speaker for that person, made if
need be. Everything works without JavaScript; `static/transcription/editor.js` only makes the
timestamps seek the player and adds keyboard shortcuts.
"""

import hashlib
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin import messages
from wagtail.admin.paginator import WagtailPaginator
from wagtail.models import ModelLogEntry

from boards.models import Person
from meetings.models import AgendaItem

from .admin_views import AdminTemplateView, may_manage, when
from .bulk_changes import bulk_change
from .meeting_people import meeting_people
from .models import (
    JobStatus,
    Recording,
    Speaker,
    TranscriptSegment,
    TranscriptSpan,
    format_timestamp,
)
from .speaker_assignment import assign_segments, speaker_for_person

PAGE_SIZE = 100
HISTORY_PAGE_SIZE = 50
NO_SPEAKER = ""
UNASSIGNED = "none"

EMPTY_TEXT = (
    "The text cannot be empty. Type the words spoken, or put back what was there; "
    "this segment was not saved."
)
UNKNOWN_SPEAKER = "Choose a speaker from the list; this segment was not saved."
CHOOSE_SPEAKER = "Choose who spoke the selected segments."
CONFLICT = (
    "Someone else changed this segment after you opened the page, so your version was not "
    "saved. Theirs is shown below; save again to keep yours instead."
)


# Text and speakers as the form carries them -------------------------------------------------


def normalise(text):
    """Text as stored: line breaks as \\n, no spaces at either end."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def digest(text):
    """A short fingerprint of a segment's text, to tell whether it changed under the officer."""
    return hashlib.sha256(normalise(text).encode()).hexdigest()[:16]


def speaker_value(speaker_id):
    """The speaker select's value for a segment's speaker."""
    return f"speaker-{speaker_id}" if speaker_id else NO_SPEAKER


def as_id(value):
    """A posted or linked id as a number; None for anything else."""
    return int(value) if value.isascii() and value.isdigit() else None


def posted_ids(values):
    """Whole numbers from a list of posted ids, and whether anything else was posted."""
    ids = [as_id(value) for value in values]
    return list(dict.fromkeys(pk for pk in ids if pk is not None)), None in ids


def natural_key(label):
    """'Speaker 2' before 'Speaker 10'."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", label)]


class SpeakerChoices:
    """Who a segment may be said by: the recording's voices, or one of the meeting's people.

    Two queries, whatever the number of rows; every row's select is drawn from them.
    """

    def __init__(self, recording):
        self.recording = recording
        speakers = recording.speakers.select_related("person")
        self.speakers = {
            speaker.pk: speaker
            for speaker in sorted(speakers, key=lambda speaker: natural_key(speaker.label))
        }
        self.people = {person.pk: person for person in meeting_people(recording.meeting)}

    @staticmethod
    def describe(speaker):
        if speaker is None:
            return "No speaker"
        if speaker.person_id is None or speaker.label == speaker.person.full_name:
            return speaker.name
        return f"{speaker.person.full_name} ({speaker.label})"

    def groups(self):
        """(group label, [(value, label)]) for a select's optgroups."""
        mapped = {speaker.person_id for speaker in self.speakers.values()}
        return [
            (
                "Voices in this recording",
                [(speaker_value(pk), self.describe(s)) for pk, s in self.speakers.items()],
            ),
            (
                "Members, attendees and presenters",
                [
                    (f"person-{pk}", person.full_name)
                    for pk, person in self.people.items()
                    if pk not in mapped
                ],
            ),
        ]

    def resolve(self, value):
        """The Speaker or Person a posted value names; None for no speaker.

        Raises KeyError for anything else (a speaker of another recording, say).
        """
        if value == NO_SPEAKER:
            return None
        kind, _, pk = value.partition("-")
        table = {"speaker": self.speakers, "person": self.people}.get(kind)
        if table is None or as_id(pk) not in table:
            raise KeyError(value)
        return table[as_id(pk)]

    def is_current(self, choice, speaker):
        """Whether `choice` (from `resolve`) is what `speaker` already is."""
        if isinstance(choice, Person):
            return speaker is not None and speaker.person_id == choice.pk
        return choice == speaker

    def speaker_for(self, choice):
        """The speaker to give a segment: a person picked directly gets the recording's
        speaker for them, made if there is none yet."""
        if not isinstance(choice, Person):
            return choice
        speaker = speaker_for_person(self.recording, choice)
        self.speakers.setdefault(speaker.pk, speaker)
        return speaker


@dataclass
class Row:
    """One segment's row of the form: what it shows, and what it showed when loaded."""

    segment: TranscriptSegment
    text: str
    speaker: str
    text_version: str
    loaded_speaker: str
    selected: bool = False
    errors: list = field(default_factory=list)
    theirs: dict | None = None

    @classmethod
    def loaded(cls, segment, selected=False):
        return cls(
            segment=segment,
            text=segment.text,
            speaker=speaker_value(segment.speaker_id),
            text_version=digest(segment.text),
            loaded_speaker=speaker_value(segment.speaker_id),
            selected=selected,
        )

    @classmethod
    def posted(cls, segment, data, selected=False):
        """The row as the officer sent it; a field missing from the post counts as unchanged."""
        row = cls.loaded(segment, selected)
        prefix = cls.prefix(segment.pk)
        row.text = data.get(f"{prefix}text", row.text)
        row.speaker = data.get(f"{prefix}speaker", row.speaker)
        row.text_version = data.get(f"{prefix}version", row.text_version)
        row.loaded_speaker = data.get(f"{prefix}loaded-speaker", row.loaded_speaker)
        return row

    @staticmethod
    def prefix(pk):
        return f"s{pk}-"

    @property
    def name_prefix(self):
        return self.prefix(self.segment.pk)

    @property
    def text_changed(self):
        return digest(self.text) != self.text_version

    @property
    def speaker_changed(self):
        return self.speaker != self.loaded_speaker

    @property
    def refused(self):
        return bool(self.errors)

    def save(self, choices, *, user):
        """Save the officer's change, if any, unless it is invalid or would overwrite someone
        else's. Returns whether the segment was changed; a refused row says why."""
        if not (self.text_changed or self.speaker_changed):
            return False
        segment = self.segment
        choice = segment.speaker
        if self.text_changed and not normalise(self.text):
            self.errors.append(EMPTY_TEXT)
        if self.speaker_changed:
            try:
                choice = choices.resolve(self.speaker)
            except KeyError:
                self.errors.append(UNKNOWN_SPEAKER)
        if self.errors:
            return False
        text_clash = (
            self.text_changed
            and digest(segment.text) != self.text_version
            and normalise(self.text) != segment.text
        )
        speaker_clash = (
            self.speaker_changed
            and speaker_value(segment.speaker_id) != self.loaded_speaker
            and not choices.is_current(choice, segment.speaker)
        )
        if text_clash or speaker_clash:
            # Theirs is shown beside the officer's version, and the row now counts as loaded
            # with theirs: saving it again deliberately puts the officer's version over it.
            self.errors.append(CONFLICT)
            self.theirs = {"text": segment.text, "speaker": choices.describe(segment.speaker)}
            self.text_version = digest(segment.text)
            self.loaded_speaker = speaker_value(segment.speaker_id)
            return False
        changes = {}
        if self.text_changed:
            changes["text"] = normalise(self.text)
        if self.speaker_changed:
            changes["speaker"] = choices.speaker_for(choice)
        return segment.correct(user=user, **changes)


# The editor ----------------------------------------------------------------------------------


class RecordingAdminView(AdminTemplateView):
    """A page about one recording's transcript, under the recording in the breadcrumbs."""

    crumb = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.recording = get_object_or_404(
            Recording.objects.select_related("meeting"), pk=kwargs["recording_id"]
        )

    def get_breadcrumbs_items(self):
        recording = self.recording
        return self.crumbs(
            (
                reverse("transcription:meeting", args=[recording.meeting_id]),
                f"Recordings of {recording.meeting.title}",
            ),
            (reverse("transcription:recording", args=[recording.pk]), recording.original_name),
        ) + [{"url": "", "label": self.crumb}]


class TranscriptEditorView(RecordingAdminView):
    """The transcript a page at a time, beside the recording; corrections are POSTed here."""

    template_name = "transcription/admin/transcript.html"
    crumb = "Transcript"

    def get_page_title(self):
        return f"Transcript of {self.recording.original_name}"

    def get(self, request, *args, **kwargs):
        if "segment" in request.GET:
            return self.redirect_to_segment(as_id(request.GET["segment"]))
        return super().get(request, *args, **kwargs)

    def redirect_to_segment(self, segment_id):
        """To the page holding the segment, scrolled to it."""
        segment = self.recording.segments.filter(pk=segment_id).first()
        if segment is None:
            messages.error(self.request, "That segment is not part of this transcript.")
            return HttpResponseRedirect(self.url())
        before = self.recording.segments.filter(
            Q(start__lt=segment.start) | Q(start=segment.start, pk__lt=segment.pk)
        ).count()
        page = before // PAGE_SIZE + 1
        return HttpResponseRedirect(f"{self.url(p=page)}#segment-{segment.pk}")

    def url(self, **params):
        url = reverse("transcription:transcript", args=[self.recording.pk])
        return f"{url}?{urlencode(params)}" if params else url

    # Filters ------------------------------------------------------------------------------

    def agenda_items(self):
        """The meeting's agenda items, each with its span in this recording (or None)."""
        spans = TranscriptSpan.objects.filter(recording=self.recording, agenda_item=OuterRef("pk"))
        return list(
            AgendaItem.objects.filter(meeting=self.recording.meeting)
            .annotate(
                span_start=Subquery(spans.values("start")[:1]),
                span_end=Subquery(spans.values("end")[:1]),
            )
            .order_by("sort_order", "pk")
        )

    def filtered_segments(self, items, choices):
        """The segments the filters ask for, and what the filters are, for the page."""
        params = self.request.GET
        segments = self.recording.segments.select_related("speaker__person").order_by("start", "pk")
        filters = {"item": None, "speaker": "", "q": params.get("q", "").strip(), "notes": []}
        item_id = params.get("item", "")
        if item_id:
            item = next((item for item in items if str(item.pk) == item_id), None)
            if item is None:
                filters["notes"].append("That agenda item is not on this meeting's agenda.")
                segments = segments.none()
            elif item.span_start is None:
                filters["notes"].append(
                    f"Item {item} has not been marked in the recording yet, so none of the "
                    "transcript is known to belong to it."
                )
                segments = segments.none()
            else:
                segments = segments.filter(start__lt=item.span_end, end__gt=item.span_start)
            filters["item"] = item
        speaker = params.get("speaker", "")
        if speaker == UNASSIGNED:
            segments = segments.filter(speaker=None)
            filters["speaker"] = speaker
        elif speaker:
            if as_id(speaker) in choices.speakers:
                segments = segments.filter(speaker_id=as_id(speaker))
                filters["speaker"] = speaker
            else:
                filters["notes"].append("That speaker is not one of this recording's voices.")
                segments = segments.none()
        if filters["q"]:
            segments = segments.filter(text__icontains=filters["q"])
        filters["active"] = bool(item_id or speaker or filters["q"])
        return segments, filters

    # Page ---------------------------------------------------------------------------------

    def get_context_data(self, rows=None, assign_error="", assign_to="", **kwargs):
        context = super().get_context_data(**kwargs)
        recording = self.recording
        choices = self.choices
        items = self.agenda_items()
        segments, filters = self.filtered_segments(items, choices)
        paginator = WagtailPaginator(segments, PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("p"))
        if rows is None:
            rows = [Row.loaded(segment) for segment in page.object_list]
        job = recording.latest_job
        context.update(
            recording=recording,
            meeting=recording.meeting,
            job=job,
            job_running=job is not None and job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
            may_manage=may_manage(self.request.user, recording.meeting),
            audio_url=reverse("transcription:audio", args=[recording.pk]),
            history_url=reverse("transcription:transcript_history", args=[recording.pk]),
            form_action=self.request.get_full_path(),
            rows=rows,
            refused_rows=[row for row in rows if row.refused],
            speaker_groups=choices.groups(),
            voices=[(str(pk), choices.describe(s)) for pk, s in choices.speakers.items()],
            items=items,
            filters=filters,
            page_obj=page,
            paginator=paginator,
            elided_page_range=paginator.get_elided_page_range(page.number),
            assign_error=assign_error,
            assign_to=assign_to,
        )
        return context

    @property
    def choices(self):
        if not hasattr(self, "_choices"):
            self._choices = SpeakerChoices(self.recording)
        return self._choices

    # Saving -------------------------------------------------------------------------------

    def post(self, request, *args, **kwargs):
        if not may_manage(request.user, self.recording.meeting):
            raise PermissionDenied
        ids, _ = posted_ids(request.POST.getlist("segment"))
        selected, bad_selection = posted_ids(request.POST.getlist("selected"))
        rows, saved, missing = self.save_rows(ids, set(selected))
        refused = [row for row in rows if row.refused]
        if refused or missing:
            self.report_refusals(refused, missing, saved)
            return self.render_to_response(self.get_context_data(rows=rows), status=400)
        if saved:
            messages.success(
                request, f"Saved {saved} correction{'s' if saved != 1 else ''} to the transcript."
            )
        if request.POST.get("action") == "assign":
            assign_to = request.POST.get("assign_to", "")
            error = self.assign(selected, bad_selection, assign_to)
            if error:
                messages.error(request, error)
                rows = [Row.loaded(row.segment, row.selected) for row in rows]
                context = self.get_context_data(rows=rows, assign_error=error, assign_to=assign_to)
                return self.render_to_response(context, status=400)
        elif not saved:
            messages.info(request, "Nothing had changed, so nothing was saved.")
        return HttpResponseRedirect(request.get_full_path())

    def save_rows(self, ids, selected):
        """Save the changed rows of the page in one transaction; the others are left alone."""
        rows, saved = [], 0
        # One reindex for the page, not one per corrected row (bulk_changes.py).
        with transaction.atomic(), bulk_change(self.recording):
            segments = self.recording.segments.filter(pk__in=ids).select_related("speaker__person")
            # Locked so that two officers saving at once cannot both pass the conflict check.
            by_pk = {segment.pk: segment for segment in segments.select_for_update(of=("self",))}
            for pk in ids:
                segment = by_pk.get(pk)
                if segment is None:
                    continue
                row = Row.posted(segment, self.request.POST, selected=pk in selected)
                if row.save(self.choices, user=self.request.user):
                    saved += 1
                if not row.refused:
                    row = Row.loaded(segment, selected=pk in selected)
                rows.append(row)
        return rows, saved, len(ids) - len(rows)

    def report_refusals(self, refused, missing, saved):
        parts = []
        if refused:
            count = len(refused)
            parts.append(
                f"{count} segment{'s were' if count != 1 else ' was'} not saved: "
                "see the message beside each."
            )
        if missing:
            parts.append(
                f"{missing} segment{'s' if missing != 1 else ''} of the page no longer "
                "exist in this transcript and could not be saved."
            )
        if saved:
            parts.append(
                f"Your other {saved} correction{'s were' if saved != 1 else ' was'} saved."
            )
        if self.request.POST.get("action") == "assign":
            parts.append("Nothing was assigned; put the rows right and assign again.")
        messages.error(self.request, " ".join(parts))

    def assign(self, selected, bad_selection, assign_to):
        """Give the selected segments a speaker. Returns why not, or "" when done."""
        if not selected and not bad_selection:
            return "Select the segments to assign, then choose who spoke them."
        ours = set(self.recording.segments.filter(pk__in=selected).values_list("pk", flat=True))
        if bad_selection or ours != set(selected):
            return (
                "Some of the selected segments are not part of this recording, so nothing "
                "was assigned."
            )
        if not assign_to:
            return CHOOSE_SPEAKER
        try:
            choice = None if assign_to == UNASSIGNED else self.choices.resolve(assign_to)
        except KeyError:
            return CHOOSE_SPEAKER
        try:
            assign_segments(selected, choice, self.request.user, recording=self.recording)
        except ValidationError as error:
            return " ".join(error.messages)
        name = choice.full_name if isinstance(choice, Person) else self.choices.describe(choice)
        count = len(selected)
        segments = f"{count} segment{'s' if count != 1 else ''}"
        if choice is None:
            messages.success(self.request, f"Took the speaker off {segments}.")
        else:
            messages.success(self.request, f"Assigned {segments} to {name}.")
        return ""


# History -------------------------------------------------------------------------------------


BULK_ASSIGNMENT = "transcription.assign_speakers_bulk"


def keys(queryset):
    """A queryset's primary keys as text, as log entries store them (a subquery)."""
    return queryset.annotate(key=Cast("pk", CharField())).values("key")


def transcript_log(recording, segment_id=None):
    """Log entries of the transcript, newest first: segments corrected, voices said to be a
    person, speakers assigned in bulk (or one segment's corrections). One query."""
    segment_type = ContentType.objects.get_for_model(TranscriptSegment)
    if segment_id is not None:
        wanted = Q(content_type=segment_type, object_id=str(segment_id))
    else:
        wanted = (
            Q(
                content_type=segment_type,
                object_id__in=keys(TranscriptSegment.objects.filter(recording=recording)),
            )
            | Q(
                content_type=ContentType.objects.get_for_model(Speaker),
                object_id__in=keys(Speaker.objects.filter(recording=recording)),
            )
            | Q(
                content_type=ContentType.objects.get_for_model(Recording),
                object_id=str(recording.pk),
                action=BULK_ASSIGNMENT,
            )
        )
    return ModelLogEntry.objects.filter(wanted).select_related("user").order_by("-timestamp", "-pk")


class ChangeDescriber:
    """Log entries in words: when, who, which segment or voice, and before -> after.

    Three queries for a page of entries, whatever its length: the recording's speakers, the
    segments' times, the people named.
    """

    def __init__(self, recording, entries):
        self.segment_type = ContentType.objects.get_for_model(TranscriptSegment)
        self.speaker_type = ContentType.objects.get_for_model(Speaker)
        self.speakers = {s.pk: s for s in recording.speakers.select_related("person")}
        segment_ids = [e.object_id for e in entries if e.content_type_id == self.segment_type.pk]
        self.starts = dict(
            TranscriptSegment.objects.filter(pk__in=segment_ids).values_list("pk", "start")
        )
        person_ids = [
            (entry.data or {}).get(key)
            for entry in entries
            if entry.content_type_id == self.speaker_type.pk
            for key in ("before", "after")
        ]
        self.people = Person.objects.in_bulk([pk for pk in person_ids if isinstance(pk, int)])

    def speaker(self, pk):
        if not pk:
            return "No speaker"
        speaker = self.speakers.get(int(pk))
        return SpeakerChoices.describe(speaker) if speaker else "A voice since removed"

    def person(self, pk):
        if not pk:
            return "Not known"
        person = self.people.get(pk)
        return person.full_name if person else "Someone since removed"

    def describe(self, entry):
        data = entry.data or {}
        row = {
            "when": when(entry.timestamp),
            "who": entry.user_display_name,
            "what": entry.message,
            "segment_id": None,
        }
        if entry.content_type_id == self.segment_type.pk:
            row.update(self.correction(entry, data.get("before") or {}, data.get("after") or {}))
        elif entry.content_type_id == self.speaker_type.pk:
            row["where"] = f"Voice {data.get('label') or entry.label}"
            row["changes"] = [
                ("Person", self.person(data.get("before")), self.person(data.get("after")))
            ]
        else:
            row.update(self.bulk_assignment(data))
        return row

    def correction(self, entry, before, after):
        segment_id = int(entry.object_id)
        start = self.starts.get(segment_id)
        changes = []
        if before.get("text") != after.get("text"):
            changes.append(("Text", before.get("text", ""), after.get("text", "")))
        if before.get("speaker") != after.get("speaker"):
            changes.append(
                ("Speaker", self.speaker(before.get("speaker")), self.speaker(after.get("speaker")))
            )
        if start is None:
            return {"where": f"{entry.label} (segment since removed)", "changes": changes}
        return {
            "where": f"Segment at {format_timestamp(start)}",
            "segment_id": segment_id,
            "changes": changes,
        }

    def bulk_assignment(self, data):
        count = data.get("segments", 0)
        how = data.get("how", "")
        before = ", ".join(
            f"{self.speaker(None if key == 'none' else key)} ({len(pks)})"
            for key, pks in (data.get("before") or {}).items()
        )
        return {
            "where": f"{count} segment{'s' if count != 1 else ''}" + (f", by {how}" if how else ""),
            "changes": [("Speaker", before, self.speaker(data.get("speaker")))],
        }


class TranscriptHistoryView(RecordingAdminView):
    """Every correction of the transcript and every voice mapped: who, when, before -> after."""

    template_name = "transcription/admin/transcript_history.html"
    crumb = "History"

    def get_page_title(self):
        return f"Changes to the transcript of {self.recording.original_name}"

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        transcript = reverse("transcription:transcript", args=[self.recording.pk])
        return items[:-1] + [{"url": transcript, "label": "Transcript"}, items[-1]]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        segment_id = self.request.GET.get("segment", "")
        segment_id = as_id(segment_id)
        paginator = WagtailPaginator(
            transcript_log(self.recording, segment_id=segment_id), HISTORY_PAGE_SIZE
        )
        page = paginator.get_page(self.request.GET.get("p"))
        entries = list(page.object_list)
        describer = ChangeDescriber(self.recording, entries)
        context.update(
            recording=self.recording,
            segment_id=segment_id,
            changes=[describer.describe(entry) for entry in entries],
            page_obj=page,
            paginator=paginator,
            elided_page_range=paginator.get_elided_page_range(page.number),
            transcript_url=reverse("transcription:transcript", args=[self.recording.pk]),
        )
        return context
