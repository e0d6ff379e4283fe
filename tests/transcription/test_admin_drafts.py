"""The admin page for draft minutes: proposing, editing, choosing and adding to the minutes."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from actions_log.models import Action
from boards.models import BOARD_MEMBERS_GROUP
from meetings.minutes import MinuteItem, MinutesPage
from transcription.drafting import propose_minutes
from transcription.models import DraftKind, DraftProposal

from .drafting_helpers import hwb_meeting
from .job_helpers import make_recording


@pytest.fixture
def hwb(board_index):
    return hwb_meeting(board_index, items=[50, 52, 54])


def url(recording):
    return reverse("transcription:drafts", args=[recording.pk])


def add(client, recording, proposals, texts=None, extra=None):
    data = {"action": "add", "include": [str(p.pk) for p in proposals]}
    for proposal in DraftProposal.objects.filter(recording=recording, added_to_minutes_at=None):
        data[f"text-{proposal.pk}"] = proposal.text
    data.update(texts or {})
    data.update(extra or {})
    return client.post(url(recording), data)


def assert_refused_access(response):
    """Wagtail's admin answers PermissionDenied by sending the user to the dashboard."""
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")


def of_item(hwb, number, kind):
    return list(
        DraftProposal.objects.filter(
            recording=hwb.recording, agenda_item=hwb.item(number), kind=kind
        ).order_by("start", "pk")
    )


# Reading --------------------------------------------------------------------------------------


def test_proposals_are_listed_by_item_with_where_they_came_from(officer_client, hwb):
    propose_minutes(hwb.recording)

    response = officer_client.get(url(hwb.recording))

    assert response.status_code == 200
    html = response.content.decode()
    assert "52. Communicating and engaging on the regional sustainability" in html
    for heading in ("Narrative", "Resolved", "Actions"):
        assert heading in html
    resolution = of_item(hwb, 54, DraftKind.RESOLUTION)[0]
    segment = next(s for s in hwb.segments if s.start == resolution.start)
    transcript = reverse("transcription:item_transcript", args=[hwb.recording.pk, hwb.item(54).pk])
    assert f'href="{transcript}#segment-{segment.pk}"' in html
    assert resolution.source_timestamps in html
    assert f'name="text-{resolution.pk}"' in html
    assert f'name="include" value="{resolution.pk}" checked' in html
    # Owners matched, and a name nobody knows flagged.
    assert "not matched: Anne Marie Lubanski" in html
    assert "not matched: Ian Thomas" in html
    assert "Councillor Roche" not in re.findall(r"Owners:[^<]*", html)


def test_without_alignment_the_page_says_so(officer_client, board_index):
    hwb = hwb_meeting(board_index, items=[48])
    hwb.recording.spans.all().delete()

    response = officer_client.get(url(hwb.recording))

    html = response.content.decode()
    assert "not aligned to the agenda" in html
    assert reverse("transcription:alignment", args=[hwb.recording.pk]) in html
    assert "Propose draft minutes" not in html

    response = officer_client.post(url(hwb.recording), {"action": "propose"})
    assert response.status_code == 400
    assert not DraftProposal.objects.exists()


def test_the_page_takes_the_same_queries_however_many_proposals(officer_client, board_index, hwb):
    propose_minutes(hwb.recording)
    officer_client.get(url(hwb.recording))  # warm caches (permissions, site)
    with CaptureQueriesContext(connection) as few:
        officer_client.get(url(hwb.recording))

    whole = hwb_meeting(board_index)
    proposals = propose_minutes(whole.recording)
    assert len(proposals) > 3 * DraftProposal.objects.filter(recording=hwb.recording).count() / 2
    officer_client.get(url(whole.recording))
    with CaptureQueriesContext(connection) as many:
        response = officer_client.get(url(whole.recording))

    assert response.status_code == 200
    assert len(many) <= len(few)


# Permissions ----------------------------------------------------------------------------------


def test_only_officers_who_manage_the_meeting_may_propose_or_add(
    client, viewer, hwb, django_user_model
):
    proposals = propose_minutes(hwb.recording)
    client.force_login(viewer)

    response = client.get(url(hwb.recording))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Add selected to draft minutes" not in html
    assert "<textarea" not in html
    assert_refused_access(client.post(url(hwb.recording), {"action": "propose"}))
    assert_refused_access(add(client, hwb.recording, proposals[:2]))
    assert DraftProposal.objects.count() == len(proposals)
    assert not MinutesPage.objects.child_of(hwb.meeting).exists()

    member = django_user_model.objects.create_user("member", password="pw")
    member.groups.add(Group.objects.get(name=BOARD_MEMBERS_GROUP))
    client.force_login(member)
    assert_refused_access(client.get(url(hwb.recording)))

    client.logout()
    response = client.get(url(hwb.recording))
    assert reverse("wagtailadmin_login") in response["Location"]


# Proposing and adding -------------------------------------------------------------------------


def test_an_officer_proposes_then_adds_edited_sentences(officer_client, officer, hwb):
    response = officer_client.post(url(hwb.recording), {"action": "propose"})
    assert response.status_code == 302
    assert DraftProposal.objects.filter(recording=hwb.recording).exists()
    assert ModelLogEntry.objects.filter(
        action="transcription.propose_minutes", user_id=officer.pk
    ).exists()

    narrative = of_item(hwb, 52, DraftKind.NARRATIVE)
    resolutions = of_item(hwb, 52, DraftKind.RESOLUTION)
    actions = of_item(hwb, 52, DraftKind.ACTION)
    edited = "Janet Wheatley and Tony Clabby reported on engaging the public on the STP."
    response = add(
        officer_client,
        hwb.recording,
        [narrative[0], *resolutions, *actions],
        texts={f"text-{resolutions[0].pk}": "That the outline plans submitted be approved."}
        | {f"text-{narrative[0].pk}": edited},
    )

    assert response.status_code == 302
    minute = MinuteItem.objects.get(agenda_item=hwb.item(52))
    assert not minute.minutes.live
    assert minute.narrative == edited
    texts = [r.text for r in minute.resolutions.order_by("number")]
    assert texts[0] == "That the outline plans submitted be approved."
    assert len(texts) == 4
    assert Action.objects.filter(minute_item=minute).count() == 1
    assert DraftProposal.objects.get(pk=resolutions[0].pk).text == texts[0]
    # Not ticked: not added, and still there to add later.
    assert DraftProposal.objects.get(pk=narrative[1].pk).added_to_minutes_at is None
    entries = ModelLogEntry.objects.filter(action="transcription.draft_minutes")
    assert entries.count() == 1 and entries.get().user_id == officer.pk

    page = officer_client.get(url(hwb.recording)).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[minute.minutes.pk]) in page
    assert "Added to the minutes" in page
    assert f'name="text-{resolutions[0].pk}"' not in page


def test_adding_twice_from_a_stale_page_changes_nothing(officer_client, hwb):
    proposals = propose_minutes(hwb.recording)
    chosen = [p for p in proposals if p.agenda_item_id == hwb.item(54).pk]
    add(officer_client, hwb.recording, chosen)
    minute = MinuteItem.objects.get(agenda_item=hwb.item(54))

    response = add(officer_client, hwb.recording, chosen)

    assert response.status_code == 400
    assert "Nothing was added" in response.content.decode()
    assert MinuteItem.objects.get(pk=minute.pk).resolutions.count() == minute.resolutions.count()
    assert ModelLogEntry.objects.filter(action="transcription.draft_minutes").count() == 1


# Bad input ------------------------------------------------------------------------------------


def test_proposals_of_another_recording_are_refused(officer_client, hwb):
    proposals = propose_minutes(hwb.recording)
    other = make_recording(hwb.meeting, name="afternoon.wav")
    stranger = DraftProposal.objects.create(
        recording=other,
        agenda_item=hwb.item(50),
        kind="narrative",
        text="Not ours.",
        start=0,
        end=1,
    )
    mine = proposals[0]
    typed = "An officer's careful rewording, not to be lost."

    response = add(
        officer_client, hwb.recording, [mine, stranger], texts={f"text-{mine.pk}": typed}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "not this recording" in html
    assert typed.replace("'", "&#x27;") in html  # what the officer typed is shown again
    assert not MinutesPage.objects.child_of(hwb.meeting).exists()
    assert DraftProposal.objects.get(pk=mine.pk).text == mine.text
    assert not DraftProposal.objects.exclude(added_to_minutes_at=None).exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"include": ["not-a-number"]}, "not this recording"),
        ({"include": []}, "tick the proposals"),
        ({"action": "publish"}, "Choose"),
    ],
)
def test_bad_choices_are_refused_with_a_reason(officer_client, hwb, data, message):
    propose_minutes(hwb.recording)

    response = officer_client.post(url(hwb.recording), {"action": "add", **data})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MinutesPage.objects.child_of(hwb.meeting).exists()


def test_an_emptied_sentence_is_refused_and_nothing_is_added(officer_client, hwb):
    proposals = propose_minutes(hwb.recording)
    first, second = proposals[:2]

    response = add(
        officer_client,
        hwb.recording,
        [first, second],
        texts={f"text-{first.pk}": "   ", f"text-{second.pk}": "Kept as typed."},
    )

    assert response.status_code == 400
    assert "is empty" in response.content.decode()
    assert "Kept as typed." in response.content.decode()
    assert not MinutesPage.objects.child_of(hwb.meeting).exists()
