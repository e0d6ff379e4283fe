"""The speakers page: map labels to people, assign by agenda item and by cue, in bulk."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from boards.factories import PersonFactory
from meetings.factories import AgendaItemFactory
from transcription.models import Speaker, TranscriptSegment, TranscriptSpan
from transcription.speaker_assignment import assign_segments

from .job_helpers import make_meeting, make_recording


@pytest.fixture
def meeting(board_index):
    return make_meeting(board_index)


@pytest.fixture
def recording(meeting):
    return make_recording(meeting)


def add_segments(recording, texts, speaker=None, first=0):
    return TranscriptSegment.objects.bulk_create(
        TranscriptSegment(
            recording=recording,
            chunk_index=0,
            start=(first + i) * 5.0,
            end=(first + i) * 5.0 + 4,
            text=text,
            speaker=speaker,
        )
        for i, text in enumerate(texts)
    )


def url(recording):
    return reverse("transcription:speakers", args=[recording.pk])


def bulk_logs(recording):
    return ModelLogEntry.objects.filter(
        action="transcription.assign_speakers_bulk", object_id=str(recording.pk)
    )


def test_the_page_lists_voices_with_samples_and_cues(officer_client, recording):
    voice = Speaker.objects.create(recording=recording, label="Speaker 2")
    segments = add_segments(
        recording, ["Good morning.", "Welcome all.", "Item 1.", "Later."], voice
    )
    green = PersonFactory(given_name="Kate", family_name="Green")
    item = AgendaItemFactory(meeting=recording.meeting)
    item.presenters.add(green)
    item.save()
    add_segments(recording, ["I call on Kate Green.", "The fund pays for care."], first=10)

    response = officer_client.get(url(recording))
    html = response.content.decode()

    assert response.status_code == 200
    assert "Speaker 2" in html and "Welcome all." in html and "Later." not in html
    assert f"#segment-{segments[0].pk}" in html
    assert "I call on Kate Green" in html and "Accept" in html
    assert f'<option value="{green.pk}"' in html


def test_query_count_does_not_grow_with_speakers_or_segments(
    officer_client, recording, django_assert_max_num_queries
):
    def grow(count):
        for n in range(count):
            voice = Speaker.objects.create(recording=recording, label=f"Voice {n}-{count}")
            add_segments(
                recording, [f"Line {i}" for i in range(20)], voice, first=n * 100 + count * 10000
            )

    grow(2)
    with django_assert_max_num_queries(80) as small:
        officer_client.get(url(recording))
    grow(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        officer_client.get(url(recording))


def test_mapping_a_label_to_a_person_is_logged(officer_client, recording):
    voice = Speaker.objects.create(recording=recording, label="Speaker 1")
    roche = PersonFactory(title="Councillor", family_name="Roche")

    response = officer_client.post(
        url(recording), {"action": "map", "speaker": voice.pk, "person": roche.pk}
    )

    assert response.status_code == 302
    voice.refresh_from_db()
    assert voice.person == roche
    assert ModelLogEntry.objects.filter(action="transcription.assign_speaker").count() == 1


def test_assigning_an_agenda_item_is_one_update_and_one_log_entry(
    officer_client, recording, django_assert_max_num_queries
):
    item = AgendaItemFactory(meeting=recording.meeting, number=52)
    TranscriptSpan.objects.create(recording=recording, agenda_item=item, start=10, end=40)
    voice = Speaker.objects.create(recording=recording, label="Speaker 3")
    segments = add_segments(recording, [f"Line {i}" for i in range(10)])
    TranscriptSegment.objects.filter(pk=segments[3].pk).update(speaker=voice)
    green = PersonFactory(given_name="Kate", family_name="Green")

    response = officer_client.post(
        url(recording),
        {"action": "item", "agenda_item": item.pk, "person": green.pk, "only_unlabelled": "yes"},
    )

    assert response.status_code == 302
    speakers = dict(TranscriptSegment.objects.values_list("pk", "speaker__person"))
    assert [speakers[s.pk] for s in segments] == [
        None,
        None,
        green.pk,
        None,
        green.pk,
        green.pk,
        green.pk,
        green.pk,
        None,
        None,
    ]
    assert TranscriptSegment.objects.get(pk=segments[3].pk).speaker == voice
    log = bulk_logs(recording).get()
    assert log.data["segments"] == 5 and log.data["how"] == "agenda item"


def test_accepting_a_cue_assigns_its_segments(officer_client, recording):
    segments = add_segments(recording, ["a", "b", "c"])
    sue = PersonFactory(given_name="Sue", family_name="Wilson")

    response = officer_client.post(
        url(recording),
        {"action": "cue", "person": sue.pk, "segment": [segments[1].pk, segments[2].pk]},
    )

    assert response.status_code == 302
    assert list(
        TranscriptSegment.objects.order_by("start").values_list("speaker__person", flat=True)
    ) == [None, sue.pk, sue.pk]
    assert Speaker.objects.get(recording=recording).label == sue.full_name
    assert bulk_logs(recording).count() == 1


@pytest.mark.parametrize("bad", ["unknown_person", "other_meeting_item", "foreign_segment"])
def test_bad_input_changes_nothing(officer_client, recording, board_index, bad):
    item = AgendaItemFactory(meeting=recording.meeting)
    TranscriptSpan.objects.create(recording=recording, agenda_item=item, start=0, end=100)
    segments = add_segments(recording, ["a", "b"])
    person = PersonFactory()
    other = make_recording(make_meeting(board_index))
    foreign = add_segments(other, ["elsewhere"])
    data = {
        "unknown_person": {"action": "item", "agenda_item": item.pk, "person": 999999},
        "other_meeting_item": {
            "action": "item",
            "agenda_item": AgendaItemFactory(meeting=other.meeting).pk,
            "person": person.pk,
        },
        "foreign_segment": {
            "action": "cue",
            "person": person.pk,
            "segment": [segments[0].pk, foreign[0].pk],
        },
    }[bad]

    response = officer_client.post(url(recording), data)

    assert response.status_code == 400
    assert "nothing was changed" in response.content.decode().lower()
    assert not TranscriptSegment.objects.exclude(speaker=None).exists()
    assert not Speaker.objects.exists()
    assert not bulk_logs(recording).exists()


def test_only_managing_officers_may_post(client, django_user_model, recording):
    viewer = django_user_model.objects.create_user("viewer", password="pw")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_recording"),
    )
    client.force_login(viewer)
    segments = add_segments(recording, ["a"])
    person = PersonFactory()

    assert client.get(url(recording)).status_code == 200
    response = client.post(
        url(recording), {"action": "cue", "person": person.pk, "segment": segments[0].pk}
    )

    assert response.status_code in (302, 403)
    assert not TranscriptSegment.objects.exclude(speaker=None).exists()


@pytest.mark.django_db
def test_assign_segments_for_the_editor(recording, officer, django_assert_max_num_queries):
    segments = add_segments(recording, [f"Line {i}" for i in range(30)])
    person = PersonFactory()

    with django_assert_max_num_queries(15):
        changed = assign_segments([s.pk for s in segments], person, officer)

    assert changed == 30
    assert TranscriptSegment.objects.filter(speaker__person=person).count() == 30
    assert bulk_logs(recording).get().data["how"] == "selection"
