"""Admin views: a meeting's recordings and upload form, a job's progress, and the transcript.

URL names (namespace "transcription", registered in wagtail_hooks.py):

    index        /admin/recordings/                     recent recordings, recent meetings
    meeting      /admin/recordings/meeting/<meeting>/   a meeting's recordings; upload (POST)
    recording    /admin/recordings/<recording>/         the job's state, cancel, retry
    cancel       /admin/recordings/job/<job>/cancel/    POST
    retry        /admin/recordings/job/<job>/retry/     POST
    publish      /admin/recordings/<recording>/publish/ POST

The transcript editor, alignment, speakers and draft minutes have modules of their own
(admin_editor, admin_alignment, admin_speakers, admin_drafts).

Everything works without JavaScript: cancel and retry are ordinary POST forms, and the progress
page has a "Check progress" link rather than refreshing itself (a page that reloads on its own
moves screen-reader and keyboard users back to the top; WCAG 2.2.1).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from meetings.dates import format_date, format_meeting_datetime, format_time
from meetings.models import MeetingPage

from . import jobs
from .forms import RecordingUploadForm
from .models import JobStatus, Recording, TranscriptionJob
from .publishing import PublishRefused, publication_summary, set_published

RECENT_RECORDINGS = 50
RECENT_MEETINGS = 20


def may_view_recordings(user):
    return user.has_perm("transcription.view_recording")


def may_manage(user, meeting):
    """Officers who may edit the meeting's page may upload, cancel and retry its recordings."""
    return user.has_perm("transcription.add_recording") and (
        meeting.permissions_for_user(user).can_edit()
    )


def describe_seconds(seconds):
    """'less than a minute', 'about 4 minutes', '1 hour 25 minutes'."""
    if seconds is None:
        return ""
    seconds = int(seconds.total_seconds() if isinstance(seconds, datetime.timedelta) else seconds)
    if seconds < 60:
        return "less than a minute"
    hours, rest = divmod(seconds, 3600)
    minutes = round(rest / 60) if hours else max(round(rest / 60), 1)
    if minutes == 60:
        hours, minutes = hours + 1, 0
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    text = " ".join(parts)
    return text if hours else f"about {text}"


def when(value):
    """'Wednesday 8 March 2017 at 10.32am'."""
    if value is None:
        return ""
    return f"{format_date(value)} at {format_time(value)}"


def with_latest_jobs(recordings):
    return recordings.select_related("meeting").prefetch_related(
        Prefetch("jobs", queryset=TranscriptionJob.objects.order_by("created_at", "pk"))
    )


class AdminTemplateView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "media"

    def dispatch(self, request, *args, **kwargs):
        if not may_view_recordings(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def crumbs(self, *items):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse("transcription:index"), "label": "Recordings"},
            *({"url": url, "label": label} for url, label in items),
        ]


class IndexView(AdminTemplateView):
    """Recently uploaded recordings with their state, and recent meetings to add one to."""

    template_name = "transcription/admin/index.html"
    page_title = "Recordings"

    def get_breadcrumbs_items(self):
        return self.crumbs()[:-1] + [{"url": "", "label": "Recordings"}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recordings = with_latest_jobs(Recording.objects.order_by("-uploaded_at", "-pk"))
        meetings = (
            MeetingPage.objects.filter(start__lte=timezone.now() + datetime.timedelta(days=1))
            .annotate(recording_count=Count("recordings"))
            .order_by("-start")[:RECENT_MEETINGS]
        )
        context["recordings"] = [
            recording_row(recording) for recording in recordings[:RECENT_RECORDINGS]
        ]
        context["meetings"] = [
            {
                "title": meeting.title,
                "when": format_meeting_datetime(meeting.start),
                "url": reverse("transcription:meeting", args=[meeting.pk]),
                "recording_count": meeting.recording_count,
            }
            for meeting in meetings
        ]
        return context


def recording_row(recording):
    job = recording.latest_job
    return {
        "recording": recording,
        "job": job,
        "meeting_title": recording.meeting.title,
        "uploaded": when(recording.uploaded_at),
        "url": reverse("transcription:recording", args=[recording.pk]),
        "duration": describe_seconds(recording.duration) if recording.duration else "",
    }


class MeetingRecordingsView(AdminTemplateView):
    """A meeting's recordings, and the form to upload another (POST here)."""

    template_name = "transcription/admin/meeting.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.meeting = get_object_or_404(MeetingPage, pk=kwargs["meeting_id"])

    def get_page_title(self):
        return f"Recordings of {self.meeting.title}"

    def get_breadcrumbs_items(self):
        return self.crumbs(
            (reverse("wagtailadmin_pages:edit", args=[self.meeting.pk]), self.meeting.title)
        ) + [{"url": "", "label": "Recordings"}]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        recordings = with_latest_jobs(self.meeting.recordings.order_by("uploaded_at", "pk"))
        context.update(
            meeting=self.meeting,
            meeting_when=format_meeting_datetime(self.meeting.start),
            recordings=[recording_row(recording) for recording in recordings],
            may_manage=may_manage(self.request.user, self.meeting),
            form=form or RecordingUploadForm(),
            upload_url=reverse("transcription:meeting", args=[self.meeting.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not may_manage(request.user, self.meeting):
            raise PermissionDenied
        form = RecordingUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, "The recording was not uploaded. Check the error below.")
            return self.render_to_response(self.get_context_data(form=form), status=400)
        upload = form.cleaned_data["file"]
        recording = Recording(
            meeting=self.meeting,
            original_name=upload.name[:255],
            size=upload.size,
            content_type=(upload.content_type or "")[:100],
            duration=getattr(form.audio_info, "duration", None),
            uploaded_by=request.user,
        )
        recording.file.save(upload.name, upload, save=False)
        recording.save()
        log(instance=recording, action="transcription.upload", user=request.user)
        job = jobs.queue_transcription(recording, user=request.user)
        messages.success(
            request,
            f"'{recording.original_name}' was uploaded. {job.status_message}",
        )
        return HttpResponseRedirect(reverse("transcription:recording", args=[recording.pk]))


class RecordingView(AdminTemplateView):
    """Where the transcription of one recording has got to, with Cancel and Retry."""

    template_name = "transcription/admin/recording.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.recording = get_object_or_404(
            Recording.objects.select_related("meeting", "uploaded_by"), pk=kwargs["recording_id"]
        )

    def get_page_title(self):
        return self.recording.original_name

    def get_breadcrumbs_items(self):
        meeting = self.recording.meeting
        return self.crumbs(
            (reverse("transcription:meeting", args=[meeting.pk]), f"Recordings of {meeting.title}")
        ) + [{"url": "", "label": self.recording.original_name}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recording = self.recording
        job = recording.latest_job
        context.update(
            recording=recording,
            meeting=recording.meeting,
            job=job,
            may_manage=may_manage(self.request.user, recording.meeting),
            uploaded=when(recording.uploaded_at),
            duration=describe_seconds(recording.duration) if recording.duration else "",
            time_left=describe_seconds(job.time_left) if job and job.time_left else "",
            started=when(job.started_at) if job else "",
            finished=when(job.finished_at) if job else "",
            segment_count=recording.segments.count(),
            transcribed=bool(job and job.status == JobStatus.DONE),
            publication=publication_summary(recording),
        )
        return context


class PublishRecordingView(View):
    """POST only: publish the recording and its transcript with the meeting, or withdraw it."""

    http_method_names = ["post"]

    def post(self, request, recording_id):
        recording = get_object_or_404(Recording.objects.select_related("meeting"), pk=recording_id)
        if not may_manage(request.user, recording.meeting):
            raise PermissionDenied
        publish = request.POST.get("publish") == "yes"
        try:
            changed = set_published(recording, publish, user=request.user)
        except PublishRefused as refusal:
            messages.error(request, str(refusal))
        else:
            if changed and publish:
                messages.success(
                    request,
                    "The recording and its transcript are published with the meeting, except "
                    "exempt items and anything not marked as an agenda item.",
                )
            elif changed:
                messages.success(request, "The recording and its transcript were withdrawn.")
        return HttpResponseRedirect(reverse("transcription:recording", args=[recording.pk]))


class JobActionView(View):
    """POST only: cancel or retry a job, then back to the recording's page."""

    http_method_names = ["post"]

    def post(self, request, job_id):
        job = get_object_or_404(
            TranscriptionJob.objects.select_related("recording__meeting"), pk=job_id
        )
        if not may_manage(request.user, job.recording.meeting):
            raise PermissionDenied
        self.act(request, job)
        return HttpResponseRedirect(reverse("transcription:recording", args=[job.recording_id]))


class CancelJobView(JobActionView):
    def act(self, request, job):
        if jobs.cancel(job, user=request.user):
            messages.success(
                request, "The transcription was cancelled. Parts already done are kept."
            )
        else:
            messages.error(
                request, "The transcription had already finished, so it was not cancelled."
            )


class RetryJobView(JobActionView):
    def act(self, request, job):
        if jobs.retry(job, user=request.user):
            messages.success(request, f"The transcription was queued again. {job.status_message}")
        else:
            messages.error(
                request,
                "Only a failed or cancelled transcription can be retried; this one is "
                f"{job.get_status_display().lower()}.",
            )
