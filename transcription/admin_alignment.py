"""Admin views: marking where each agenda item starts in a recording, and one item's transcript.

URL names (namespace "transcription", registered in wagtail_hooks.py):

    alignment        /admin/recordings/<recording>/agenda/          the starts; save, suggest (POST)
    item_transcript  /admin/recordings/<recording>/agenda/<item>/   one item's transcript and audio

The starts form works without JavaScript (the officer types "0:05:07", "5:07" or "307");
`static/transcription/alignment.js` adds a "Mark start at current time" button to each row.
Nothing is saved while any row is wrong, and every typed value comes back with its error.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import capfirst
from wagtail.admin import messages

from meetings.models import AgendaItem

from .admin_views import AdminTemplateView, may_manage
from .alignment import (
    AlignmentError,
    TimeInputError,
    check_order,
    item_label,
    item_number,
    parse_time,
    save_starts,
    suggest_starts,
    transcript_segments,
)
from .models import Recording, SpanSource, format_timestamp


def field_name(item):
    return f"start_{item.pk}"


class AgendaStartsForm(forms.Form):
    """A start for each agenda item, blank for an item not marked; `starts` once valid."""

    def __init__(self, *args, items, duration, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.duration = duration
        self.starts = {}
        for item in items:
            self.fields[field_name(item)] = forms.CharField(
                required=False,
                max_length=20,
                label=f"Start of {item_label(item)}",
                widget=forms.TextInput(
                    attrs={"size": 9, "autocomplete": "off", "spellcheck": "false"}
                ),
            )

    def clean(self):
        cleaned = super().clean()
        starts = {}
        for item in self.items:
            value = cleaned.get(field_name(item))
            if not value:
                continue
            try:
                starts[item] = parse_time(value, duration=self.duration)
            except TimeInputError as error:
                self.add_error(field_name(item), str(error))
        for item, message in check_order([(i, starts.get(i)) for i in self.items]).items():
            self.add_error(field_name(item), message)
        self.starts = starts
        return cleaned


def same_second(typed, exact):
    """Whether a whole-second time typed (or left as shown) is `exact` as the form shows it."""
    return typed == int(typed) and format_timestamp(typed) == format_timestamp(exact)


def npt(seconds):
    """Seconds for a media fragment: "47.52", "300"."""
    return f"{seconds:.2f}".rstrip("0").rstrip(".")


class RecordingAdminView(AdminTemplateView):
    """A view of one recording, with breadcrumbs back to it."""

    crumb_label = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.recording = get_object_or_404(
            Recording.objects.select_related("meeting"), pk=kwargs["recording_id"]
        )

    def recording_crumbs(self, *items):
        recording = self.recording
        return self.crumbs(
            (
                reverse("transcription:meeting", args=[recording.meeting_id]),
                f"Recordings of {recording.meeting.title}",
            ),
            (reverse("transcription:recording", args=[recording.pk]), recording.original_name),
            *items,
        )


class AlignmentView(RecordingAdminView):
    """Each agenda item's start in the recording: saved, suggested from the transcript, or
    typed by the officer (POST "save"); "suggest" (POST) fills in the items no officer marked."""

    template_name = "transcription/admin/alignment.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.items = list(self.recording.meeting.agenda_items.all())
        self.spans = {span.agenda_item_id: span for span in self.recording.spans.all()}
        self._segments = None

    def get_page_title(self):
        return f"Agenda items in {self.recording.original_name}"

    def get_breadcrumbs_items(self):
        return self.recording_crumbs() + [{"url": "", "label": "Agenda items"}]

    @property
    def segments(self):
        if self._segments is None:
            self._segments = transcript_segments(self.recording)
        return self._segments

    def suggestions(self, fixed):
        """Suggestions for the items not in `fixed` ({item pk: start}), by item pk."""
        if all(item.pk in fixed for item in self.items) or not self.segments:
            return {}
        found = suggest_starts(self.segments, self.items, fixed=fixed)
        return {suggestion.agenda_item.pk: suggestion for suggestion in found}

    def shown_suggestions(self):
        """Suggestions for the items with no saved start, fitted around the saved ones."""
        return self.suggestions({pk: span.start for pk, span in self.spans.items()})

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        suggestions = self.shown_suggestions()
        if form is None:
            initial = {}
            for item in self.items:
                span = self.spans.get(item.pk)
                shown = span or suggestions.get(item.pk)
                if shown is not None:
                    initial[field_name(item)] = format_timestamp(shown.start)
            form = AgendaStartsForm(
                items=self.items, duration=self.recording.duration, initial=initial
            )
        rows = []
        for item in self.items:
            span = self.spans.get(item.pk)
            rows.append(
                {
                    "item": item,
                    "number": item_number(item),
                    "label": item_label(item),
                    "field": form[field_name(item)],
                    "span": span,
                    "span_start": format_timestamp(span.start) if span else "",
                    "suggestion": None if span else suggestions.get(item.pk),
                    "transcript_url": reverse(
                        "transcription:item_transcript", args=[self.recording.pk, item.pk]
                    )
                    if span
                    else "",
                }
            )
        context.update(
            recording=self.recording,
            meeting=self.recording.meeting,
            form=form,
            rows=rows,
            may_manage=may_manage(self.request.user, self.recording.meeting),
            audio_url=reverse("transcription:audio", args=[self.recording.pk]),
            duration=format_timestamp(self.recording.duration) if self.recording.duration else "",
            has_transcript=bool(self.spans) or bool(self.segments),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not may_manage(request.user, self.recording.meeting):
            raise PermissionDenied
        if request.POST.get("action") == "suggest":
            return self.use_suggestions()
        return self.save_typed_starts()

    def redirect(self):
        return HttpResponseRedirect(reverse("transcription:alignment", args=[self.recording.pk]))

    def use_suggestions(self):
        """Keep what officers marked; fill in every other item from the transcript's cues."""
        marked = {
            item: self.spans[item.pk]
            for item in self.items
            if item.pk in self.spans and self.spans[item.pk].source == SpanSource.MANUAL
        }
        suggestions = self.suggestions({item.pk: span.start for item, span in marked.items()})
        if not suggestions:
            messages.warning(
                self.request,
                "No item numbers, titles or “moving on” were found in the transcript: mark the "
                "starts while listening.",
            )
            return self.redirect()
        starts = {item: span.start for item, span in marked.items()}
        sources = dict.fromkeys(marked, SpanSource.MANUAL)
        cues = {item: span.cue for item, span in marked.items()}
        for suggestion in suggestions.values():
            starts[suggestion.agenda_item] = suggestion.start
            sources[suggestion.agenda_item] = SpanSource.SUGGESTED
            cues[suggestion.agenda_item] = suggestion.cue
        save_starts(self.recording, starts, source=sources, cues=cues, user=self.request.user)
        kept = f" The {len(marked)} marked by an officer were kept." if marked else ""
        count = len(suggestions)
        messages.success(
            self.request,
            f"Starts suggested for {count} item{'s' if count != 1 else ''} from the transcript."
            f"{kept} Listen to each to check it.",
        )
        return self.redirect()

    def save_typed_starts(self):
        form = AgendaStartsForm(
            self.request.POST, items=self.items, duration=self.recording.duration
        )
        if form.is_valid():
            starts, sources, cues = self.resolve(form.starts)
            try:
                changed = save_starts(
                    self.recording, starts, source=sources, cues=cues, user=self.request.user
                )
            except AlignmentError as error:
                for item, message in error.errors.items():
                    form.add_error(field_name(item), message)
            else:
                if changed:
                    messages.success(self.request, "The starts of the agenda items were saved.")
                else:
                    messages.success(self.request, "Nothing had changed.")
                return self.redirect()
        count = sum(1 for name in form.errors if name != "__all__")
        messages.error(
            self.request,
            f"Nothing was saved: {count} start{'s' if count != 1 else ''} need"
            f"{'s' if count == 1 else ''} correcting below.",
        )
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def resolve(self, typed):
        """Starts, sources and cues for typed starts: a value left as shown keeps the exact
        saved or suggested start and where it came from; anything else an officer marked."""
        suggestions = self.shown_suggestions()
        starts, sources, cues = {}, {}, {}
        for item, seconds in typed.items():
            span, suggestion = self.spans.get(item.pk), suggestions.get(item.pk)
            if span is not None and same_second(seconds, span.start):
                starts[item], sources[item], cues[item] = span.start, span.source, span.cue
            elif span is None and suggestion and same_second(seconds, suggestion.start):
                starts[item], sources[item] = suggestion.start, SpanSource.SUGGESTED
                cues[item] = suggestion.cue
            else:
                starts[item], sources[item], cues[item] = seconds, SpanSource.MANUAL, ""
        return starts, sources, cues


class ItemTranscriptView(RecordingAdminView):
    """One agenda item's part of the transcript, with the audio opened at the item's start."""

    template_name = "transcription/admin/item_transcript.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.item = get_object_or_404(
            AgendaItem, pk=kwargs["agenda_item_id"], meeting_id=self.recording.meeting_id
        )

    def get_page_title(self):
        return f"{capfirst(item_label(self.item))}: {self.item.title}"

    def get_breadcrumbs_items(self):
        return self.recording_crumbs(
            (reverse("transcription:alignment", args=[self.recording.pk]), "Agenda items")
        ) + [{"url": "", "label": capfirst(item_label(self.item))}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recording = self.recording
        spans = list(recording.spans.select_related("agenda_item").order_by("start", "pk"))
        position = next((i for i, s in enumerate(spans) if s.agenda_item_id == self.item.pk), None)
        span = spans[position] if position is not None else None
        segments = []
        if span is not None:
            # Segments that overlap the span: one the item starts in the middle of is shown here
            # as well as under the item before.
            segments = (
                recording.segments.filter(start__lt=span.end, end__gt=span.start)
                .select_related("speaker__person")
                .order_by("start", "pk")
            )
        audio_url = reverse("transcription:audio", args=[recording.pk])

        def link(neighbour):
            return {
                "url": reverse(
                    "transcription:item_transcript", args=[recording.pk, neighbour.agenda_item_id]
                ),
                "label": str(neighbour.agenda_item),
            }

        context.update(
            recording=recording,
            meeting=recording.meeting,
            item=self.item,
            item_label=item_label(self.item),
            span=span,
            span_start=format_timestamp(span.start) if span else "",
            span_end=format_timestamp(span.end) if span else "",
            segments=segments,
            audio_src=f"{audio_url}#t={npt(span.start)},{npt(span.end)}" if span else "",
            previous=link(spans[position - 1]) if span and position > 0 else None,
            next=link(spans[position + 1]) if span and position + 1 < len(spans) else None,
            alignment_url=reverse("transcription:alignment", args=[recording.pk]),
        )
        return context
