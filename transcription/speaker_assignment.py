"""Saying who spoke, many segments at a time: by selection, by agenda item, by the chair's cue.

Every action is one bulk UPDATE (never a query per segment) and one log entry on the recording
saying what was done to how many segments (`transcription.assign_speakers_bulk`). Segments keep
`edited` as it was: an officer saying who spoke is not a correction of the words, and the voice
grouping already leaves alone any segment whose speaker is mapped to a person.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.log_actions import log

from boards.models import Person

from .models import Recording, Speaker, TranscriptSegment


def speaker_for_person(recording, person):
    """The recording's speaker mapped to `person`, created ("Cllr Roche") if there is none."""
    speaker = (
        Speaker.objects.filter(recording=recording, person=person).order_by("label", "pk").first()
    )
    if speaker is not None:
        return speaker
    label = person.full_name[:50]
    taken = set(Speaker.objects.filter(recording=recording).values_list("label", flat=True))
    number = 2
    while label in taken:
        label = f"{person.full_name[:44]} ({number})"
        number += 1
    return Speaker.objects.create(recording=recording, label=label, person=person)


def _speaker(recording, speaker_or_person):
    if isinstance(speaker_or_person, Person):
        return speaker_for_person(recording, speaker_or_person)
    if isinstance(speaker_or_person, Speaker):
        if speaker_or_person.recording_id != recording.pk:
            raise ValidationError("That speaker belongs to another recording.")
        return speaker_or_person
    if speaker_or_person is None:
        return None
    raise TypeError("Give a Speaker, a Person or None.")


def assign_segments(segment_ids, speaker_or_person, user, *, recording=None, how="selection"):
    """Set the speaker of the given segments (a Speaker, a Person, or None to clear it).

    All segments must belong to one recording (`recording` if given): otherwise nothing is
    changed and ValidationError says why. Returns the number of segments changed.
    """
    ids = sorted({int(pk) for pk in segment_ids})
    if not ids:
        raise ValidationError("Choose at least one segment.")
    recordings = set(
        TranscriptSegment.objects.filter(pk__in=ids).values_list("recording_id", flat=True)
    )
    if recording is None and len(recordings) == 1:
        recording = Recording.objects.get(pk=recordings.pop())
        recordings = {recording.pk}
    found = TranscriptSegment.objects.filter(pk__in=ids).count()
    if recording is None or recordings != {recording.pk} or found != len(ids):
        raise ValidationError(
            "Some of the chosen segments are not in this recording's transcript: nothing was "
            "changed. Reload the page and choose again."
        )
    with transaction.atomic():
        speaker = _speaker(recording, speaker_or_person)
        return _assign(recording, TranscriptSegment.objects.filter(pk__in=ids), speaker, user, how)


def assign_agenda_item(recording, agenda_item, speaker_or_person, user, *, only_unlabelled=False):
    """Set the speaker of every segment in the agenda item's span (or those with no speaker)."""
    if agenda_item.meeting_id != recording.meeting_id:
        raise ValidationError(
            "That agenda item is not on this meeting's agenda: nothing was changed."
        )
    span = recording.spans.filter(agenda_item=agenda_item).first()
    if span is None:
        raise ValidationError(
            f"Item {agenda_item.number}{agenda_item.sub_item} has not been marked in the "
            "recording yet: mark where it starts first. Nothing was changed."
        )
    segments = recording.segments.filter(start__gte=span.start, start__lt=span.end)
    if only_unlabelled:
        segments = segments.filter(speaker=None)
    with transaction.atomic():
        speaker = _speaker(recording, speaker_or_person)
        return _assign(
            recording,
            segments,
            speaker,
            user,
            "agenda item",
            agenda_item=agenda_item.pk,
            only_unlabelled=only_unlabelled,
        )


def _assign(recording, segments, speaker, user, how, **details):
    """One UPDATE and one log entry, which records each segment's speaker before (for undoing)."""
    before: dict[str, list[int]] = {}
    for pk, speaker_id in segments.values_list("pk", "speaker_id"):
        before.setdefault(str(speaker_id) if speaker_id else "none", []).append(pk)
    changed = TranscriptSegment.objects.filter(
        pk__in=[pk for pks in before.values() for pk in pks]
    ).update(speaker=speaker)
    log(
        instance=recording,
        action="transcription.assign_speakers_bulk",
        user=user,
        data={
            "how": how,
            "speaker": speaker.pk if speaker else None,
            "label": speaker.label if speaker else "",
            "person": speaker.person_id if speaker else None,
            "segments": changed,
            "before": before,
            **details,
        },
    )
    return changed
