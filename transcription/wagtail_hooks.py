"""Admin hooks: Recordings views and menu item, a "Recordings" action on meetings, log actions."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem

from meetings.models import MeetingPage

from . import (
    admin_alignment,
    admin_audio,
    admin_drafts,
    admin_editor,
    admin_speakers,
    admin_views,
)

app_name = "transcription"

urlpatterns = [
    path("", admin_views.IndexView.as_view(), name="index"),
    path("meeting/<int:meeting_id>/", admin_views.MeetingRecordingsView.as_view(), name="meeting"),
    path("<int:recording_id>/", admin_views.RecordingView.as_view(), name="recording"),
    path(
        "<int:recording_id>/transcript/",
        admin_editor.TranscriptEditorView.as_view(),
        name="transcript",
    ),
    path(
        "<int:recording_id>/transcript/history/",
        admin_editor.TranscriptHistoryView.as_view(),
        name="transcript_history",
    ),
    path(
        "<int:recording_id>/publish/",
        admin_views.PublishRecordingView.as_view(),
        name="publish",
    ),
    path("job/<int:job_id>/cancel/", admin_views.CancelJobView.as_view(), name="cancel"),
    path("job/<int:job_id>/retry/", admin_views.RetryJobView.as_view(), name="retry"),
    path("<int:recording_id>/audio/", admin_audio.RecordingAudioView.as_view(), name="audio"),
    path("<int:recording_id>/agenda/", admin_alignment.AlignmentView.as_view(), name="alignment"),
    path(
        "<int:recording_id>/agenda/<int:agenda_item_id>/",
        admin_alignment.ItemTranscriptView.as_view(),
        name="item_transcript",
    ),
    path("<int:recording_id>/speakers/", admin_speakers.SpeakersView.as_view(), name="speakers"),
    path("<int:recording_id>/drafts/", admin_drafts.DraftsView.as_view(), name="drafts"),
]


@hooks.register("register_admin_urls")
def register_recordings_urls():
    return [path("recordings/", include((urlpatterns, app_name), namespace=app_name))]


class RecordingsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_view_recordings(request.user)


@hooks.register("register_admin_menu_item")
def register_recordings_menu_item():
    return RecordingsMenuItem(
        "Recordings",
        reverse("transcription:index"),
        name="recordings",
        icon_name="media",
        order=350,
    )


class MeetingRecordingsButton(PageMenuItem):
    """ "Recordings" in a meeting's header and listing menus: upload and follow transcriptions."""

    label = "Recordings"
    icon_name = "media"
    url_name = "transcription:meeting"

    def is_shown(self, user):
        return admin_views.may_view_recordings(user) and (
            self.page.permissions_for_user(user).can_edit()
        )


def _is_meeting(page):
    return page.specific_class is MeetingPage


@hooks.register("register_page_header_buttons")
def meeting_recordings_header_button(page, user, view_name, next_url=None):
    if _is_meeting(page):
        yield MeetingRecordingsButton(page=page, priority=45)


@hooks.register("register_page_listing_more_buttons")
def meeting_recordings_listing_button(page, user, next_url=None):
    if _is_meeting(page):
        yield MeetingRecordingsButton(page=page, priority=45)


@hooks.register("register_log_actions")
def register_transcription_log_actions(actions):
    actions.register_action("transcription.upload", "Upload recording", "Recording uploaded")
    actions.register_action("transcription.queue", "Queue transcription", "Transcription queued")
    actions.register_action(
        "transcription.cancel", "Cancel transcription", "Transcription cancelled"
    )
    actions.register_action("transcription.retry", "Retry transcription", "Transcription retried")
    actions.register_action(
        "transcription.requeue", "Requeue transcription", "Worker stopped; transcription requeued"
    )
    actions.register_action(
        "transcription.fail",
        "Transcription failed",
        "Worker stopped repeatedly; transcription failed",
    )
    actions.register_action(
        "transcription.publish", "Publish recording", "Recording and transcript published"
    )
    actions.register_action(
        "transcription.unpublish", "Withdraw recording", "Recording and transcript withdrawn"
    )
    actions.register_action("transcription.edit_segment", "Edit transcript", "Transcript corrected")
    actions.register_action(
        "transcription.align", "Mark agenda items", "Agenda item starts marked in the recording"
    )
    actions.register_action("transcription.assign_speaker", "Assign speaker", "Speaker assigned")
    actions.register_action(
        "transcription.propose_minutes", "Propose minutes", "Draft minutes proposed"
    )
    actions.register_action(
        "transcription.draft_minutes", "Add to minutes", "Proposals added to the draft minutes"
    )
    actions.register_action(
        "transcription.assign_speakers_bulk", "Assign speakers", "Speakers assigned in bulk"
    )
