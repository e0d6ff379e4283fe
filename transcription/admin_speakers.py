"""Admin page: say who each voice is, and assign speakers by agenda item or by the chair's cues.

    speakers   /admin/recordings/<recording>/speakers/   GET: the page; POST (action=...):
               "map" (a label is a person), "item" (an agenda item's segments are a person's),
               "cue" (accept a cue's suggestion)

Every POST is one bulk write and one log entry, and only officers who may manage the meeting's
recordings may make it. Bad input (an unknown person, an agenda item of another meeting, a
suggestion that no longer applies) gets a clear message and changes nothing. No JavaScript.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Sum
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from wagtail.admin import messages

from boards.models import Person
from meetings.models import AgendaItem

from .admin_views import AdminTemplateView, describe_seconds, may_manage
from .meeting_people import meeting_people
from .models import Recording, Speaker, TranscriptSegment
from .speaker_assignment import assign_agenda_item, assign_segments
from .speaker_cues import recording_suggestions

SAMPLE_LINES = 3


class SpeakersView(AdminTemplateView):
    template_name = "transcription/admin/speakers.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.recording = get_object_or_404(
            Recording.objects.select_related("meeting"), pk=kwargs["recording_id"]
        )

    def get_page_title(self):
        return f"Speakers in {self.recording.original_name}"

    def get_breadcrumbs_items(self):
        recording = self.recording
        return self.crumbs(
            (
                reverse("transcription:meeting", args=[recording.meeting_id]),
                f"Recordings of {recording.meeting.title}",
            ),
            (reverse("transcription:recording", args=[recording.pk]), recording.original_name),
        ) + [{"url": "", "label": "Speakers"}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recording = self.recording
        people = list(meeting_people(recording.meeting))
        context.update(
            recording=recording,
            meeting=recording.meeting,
            may_manage=may_manage(self.request.user, recording.meeting),
            speakers=self.speaker_rows(),
            people=people,
            agenda_items=list(
                AgendaItem.objects.filter(transcript_spans__recording=recording)
                .order_by("transcript_spans__start")
                .distinct()
            ),
            suggestions=recording_suggestions(recording, people),
            unlabelled=recording.segments.filter(speaker=None).count(),
            transcript_url=reverse("transcription:transcript", args=[recording.pk]),
        )
        return context

    def speaker_rows(self):
        speakers = list(
            Speaker.objects.filter(recording=self.recording)
            .select_related("person")
            .annotate(
                segment_count=Count("segments"),
                seconds=Sum(F("segments__end") - F("segments__start")),
            )
            .order_by("label")
        )
        # The first few lines of every speaker: one query, whatever the number of speakers.
        samples: dict[int, list] = {}
        segments = (
            TranscriptSegment.objects.filter(recording=self.recording)
            .exclude(speaker=None)
            .only("pk", "recording_id", "start", "end", "text", "speaker_id")
            .order_by("start", "pk")
        )
        wanted = {speaker.pk for speaker in speakers}
        for segment in segments.iterator(chunk_size=2000):
            lines = samples.setdefault(segment.speaker_id, [])
            if len(lines) < SAMPLE_LINES:
                lines.append(segment)
                if len(lines) == SAMPLE_LINES:
                    wanted.discard(segment.speaker_id)
                    if not wanted:
                        break
        for speaker in speakers:
            speaker.samples = samples.get(speaker.pk, [])
            speaker.spoke = describe_seconds(speaker.seconds or 0)
        return speakers

    def post(self, request, *args, **kwargs):
        recording = self.recording
        if not may_manage(request.user, recording.meeting):
            raise PermissionDenied
        action = request.POST.get("action")
        handler = {"map": self.map_speaker, "item": self.by_item, "cue": self.by_cue}.get(action)
        try:
            if handler is None:
                raise ValidationError("Choose what to do: nothing was changed.")
            message = handler(request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.render_to_response(self.get_context_data(), status=400)
        messages.success(request, message)
        return HttpResponseRedirect(reverse("transcription:speakers", args=[recording.pk]))

    def person(self, value, *, required=True):
        if not value:
            if required:
                raise ValidationError("Choose a person: nothing was changed.")
            return None
        try:
            return Person.objects.get(pk=int(value))
        except (ValueError, Person.DoesNotExist):
            raise ValidationError(
                "That person is not known (they may have been deleted): nothing was changed."
            ) from None

    def map_speaker(self, request):
        try:
            speaker = Speaker.objects.get(
                recording=self.recording, pk=int(request.POST.get("speaker", ""))
            )
        except (ValueError, Speaker.DoesNotExist):
            raise ValidationError(
                "That speaker is not in this recording: nothing was changed."
            ) from None
        person = self.person(request.POST.get("person"), required=False)
        speaker.assign(person, user=request.user)
        if person is None:
            return f"{speaker.label} is no longer said to be anyone."
        return f"{speaker.label} is {person.full_name}."

    def by_item(self, request):
        try:
            item = AgendaItem.objects.get(pk=int(request.POST.get("agenda_item", "")))
        except (ValueError, AgendaItem.DoesNotExist):
            raise ValidationError("Choose an agenda item: nothing was changed.") from None
        person = self.person(request.POST.get("person"))
        only_unlabelled = request.POST.get("only_unlabelled") == "yes"
        changed = assign_agenda_item(
            self.recording, item, person, request.user, only_unlabelled=only_unlabelled
        )
        return (
            f"{changed} segment{'s' if changed != 1 else ''} of item "
            f"{item.number}{item.sub_item} are now {person.full_name}'s."
        )

    def by_cue(self, request):
        person = self.person(request.POST.get("person"))
        try:
            ids = [int(pk) for pk in request.POST.getlist("segment")]
        except ValueError:
            ids = []
        if not ids:
            raise ValidationError("That suggestion has no segments: nothing was changed.")
        changed = assign_segments(ids, person, request.user, recording=self.recording, how="cue")
        return f"{changed} segment{'s' if changed != 1 else ''} are now {person.full_name}'s."
