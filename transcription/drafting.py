"""Draft minutes from an aligned transcript: proposals per agenda item, added by an officer.

`propose_minutes(recording)` reads the transcript of each agenda item that has a span (the
segments that start inside it) and proposes, sentence by sentence, a short narrative, what was
resolved or agreed, and actions with their owners (drafting_text.py says how). Each proposal
keeps the times of the segments it came from, so the officer can listen to them. Owners heard
are matched to people with the minutes importer's matcher: the meeting's own people first (its
presenters, attendance, board members and the speakers mapped), then everyone the site knows.
A name that fits nobody stays as heard, with no owner, for the officer to settle.

`add_to_minutes(proposals, user=...)` writes the proposals the officer accepted into the
meeting's minutes as a draft (drafting_minutes.py): nothing is published without the officer.

Proposing again replaces the proposals not yet added and keeps those added; a proposal already
added is not proposed again, and adding one twice changes nothing.
"""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from actions_log.importing.names import plain
from actions_log.importing.owners import OwnerMatch, OwnerMatcher
from boards.models import Person
from meetings.minutes import MinutesPage

from .drafting_minutes import (
    DraftingRefused,
    DraftingResult,
    MinutesDraft,
    heard_names,
)
from .drafting_text import content_words, draft_item, spoken_sentences
from .meeting_people import meeting_people
from .models import DraftProposal

__all__ = [
    "DraftingRefused",
    "DraftingResult",
    "OwnerFinder",
    "add_to_minutes",
    "owner_pairs",
    "propose_minutes",
]

PERSON_FIELDS = ("pk", "title", "given_name", "family_name")


class OwnerFinder:
    """Names heard -> people: the meeting's own people first, then anyone the site knows.

    A single given name ("Can you, Kate, …") is a person only when exactly one of the
    meeting's people has it. Each name is looked up once.
    """

    def __init__(self, recording):
        self.recording = recording
        self.meeting_people = list(
            meeting_people(recording.meeting, recording=recording).only(*PERSON_FIELDS[1:])
        )
        self._meeting = OwnerMatcher(self.meeting_people)
        self._everyone = None
        self._given = {}
        for person in self.meeting_people:
            given = plain(person.given_name).split()
            if given:
                self._given.setdefault(given[0], []).append(person)
        self._found = {}

    def match(self, heard):
        key = " ".join(heard.split())
        if key not in self._found:
            self._found[key] = self._match(key)
        return self._found[key]

    def _match(self, heard):
        match = self._meeting.match(heard)
        if match.person is not None:
            return match
        tokens = plain(heard).split()
        if len(tokens) == 1 and len(self._given.get(tokens[0], [])) == 1:
            person = self._given[tokens[0]][0]
            return OwnerMatch(
                heard,
                person,
                needs_review=True,
                note=f'"{heard}" taken to be {person.full_name}, the only one of that name.',
            )
        if self._everyone is None:
            self._everyone = OwnerMatcher(Person.objects.only(*PERSON_FIELDS[1:]))
        everyone = self._everyone.match(heard)
        return everyone if everyone.person is not None else match

    def is_known(self, heard):
        return self.match(heard).person is not None


def owner_pairs(proposal, owners=None):
    """[(name as heard, person or None)] for an action proposal, from its matched owners.

    `owners` defaults to the proposal's (prefetch them for listings). A name no owner fits is
    paired with None: not matched, for the officer to settle.
    """
    owners = list(proposal.owners.all()) if owners is None else list(owners)
    matcher = OwnerMatcher(owners)
    by_given = {}
    for person in owners:
        given = plain(person.given_name).split()
        if given:
            by_given.setdefault(given[0], []).append(person)
    pairs, used = [], set()
    for heard in heard_names(proposal):
        person = matcher.match(heard).person
        tokens = plain(heard).split()
        if person is None and len(tokens) == 1 and len(by_given.get(tokens[0], [])) == 1:
            person = by_given[tokens[0]][0]
        pairs.append((heard, person))
        if person is not None:
            used.add(person.pk)
    # Owners an officer added that were never heard by name.
    pairs.extend((person.full_name, person) for person in owners if person.pk not in used)
    return pairs


# --- Proposing -------------------------------------------------------------------------------


def _segments_by_span(recording, spans):
    """The segments that start inside each span (a boundary belongs to the later item)."""
    segments = list(recording.segments.select_related("speaker__person").order_by("start", "pk"))
    by_span = {span.pk: [] for span in spans}
    for segment in segments:
        speaker = segment.speaker
        person = speaker.person if speaker is not None else None
        segment.speaker_name = person.full_name if person is not None else ""
        segment.person_id = person.pk if person is not None else None
        holders = [span for span in spans if span.start <= segment.start <= span.end]
        if holders:
            by_span[max(holders, key=lambda span: (span.start, span.pk)).pk].append(segment)
    return by_span


def _keywords(agenda_item):
    papers = [paper.title or paper.document.title for paper in agenda_item.papers.all()]
    text = " ".join([agenda_item.title, agenda_item.summary, agenda_item.presenter_text, *papers])
    return content_words(text)


def propose_minutes(recording, *, user=None):
    """Propose draft minutes for every agenda item of `recording` that has a span.

    Replaces the recording's proposals not yet added to the minutes (those added are kept, and
    not proposed again). Returns the new proposals, in agenda order. A handful of queries
    whatever the length of the meeting.
    """
    spans = list(
        recording.spans.select_related("agenda_item")
        .prefetch_related("agenda_item__papers__document", "agenda_item__presenters")
        .order_by("start", "pk")
    )
    by_span = _segments_by_span(recording, spans) if spans else {}
    finder = OwnerFinder(recording)
    added = {
        (agenda_item_id, kind, round(start, 2), round(end, 2))
        for agenda_item_id, kind, start, end in DraftProposal.objects.filter(
            recording=recording, added_to_minutes_at__isnull=False
        ).values_list("agenda_item_id", "kind", "start", "end")
    }

    rows, owners = [], []
    for span in sorted(spans, key=lambda span: _agenda_position(span.agenda_item)):
        item = span.agenda_item
        drafts = draft_item(
            spoken_sentences(by_span[span.pk]),
            keywords=_keywords(item),
            presenter_ids={person.pk for person in item.presenters.all()},
            is_known=finder.is_known,
        )
        positions = {}
        for draft in drafts:
            if (item.pk, draft.kind, round(draft.start, 2), round(draft.end, 2)) in added:
                continue
            position = positions[draft.kind] = positions.get(draft.kind, -1) + 1
            rows.append(
                DraftProposal(
                    recording=recording,
                    agenda_item=item,
                    kind=draft.kind,
                    position=position,
                    text=draft.text,
                    owner_text=draft.owner_text[:255],
                    start=draft.start,
                    end=draft.end,
                )
            )
            people = [finder.match(name).person for name in draft.owners]
            owners.append(list(dict.fromkeys(p for p in people if p is not None)))

    with transaction.atomic():
        DraftProposal.objects.filter(recording=recording, added_to_minutes_at__isnull=True).delete()
        proposals = DraftProposal.objects.bulk_create(rows)
        through = DraftProposal.owners.through
        through.objects.bulk_create(
            through(draftproposal_id=proposal.pk, person_id=person.pk)
            for proposal, people in zip(proposals, owners, strict=True)
            for person in people
        )
        log(
            instance=recording,
            action="transcription.propose_minutes",
            user=user,
            data={
                "proposals": len(proposals),
                "agenda_items": len({proposal.agenda_item_id for proposal in proposals}),
            },
        )
    return proposals


def _agenda_position(agenda_item):
    return (agenda_item.sort_order is None, agenda_item.sort_order or 0, agenda_item.pk)


# --- Adding ----------------------------------------------------------------------------------


def add_to_minutes(proposals, *, user):
    """Write `proposals` (of one recording) into its meeting's minutes as a draft.

    A minute per agenda item, created if the minutes have none for it; narrative, resolutions
    with their action lines, and an Action per action owned by the people matched. The minutes
    page is created unpublished if there is none; published minutes get a new draft revision
    only. One log entry ("transcription.draft_minutes") and one page revision per call.
    Proposals already added are skipped, so adding twice changes nothing.

    Raises DraftingRefused, with nothing written, if the proposals cannot be added. The caller
    checks the user may edit the meeting.
    """
    ids = [proposal.pk for proposal in proposals]
    if not ids:
        raise DraftingRefused("Choose at least one proposal to add to the minutes.")
    with transaction.atomic():
        # Locked, so two officers adding at once cannot both add the same proposal.
        fresh_ids = set(
            DraftProposal.objects.select_for_update()
            .filter(pk__in=ids, added_to_minutes_at__isnull=True)
            .values_list("pk", flat=True)
        )
        loaded = list(
            DraftProposal.objects.filter(pk__in=ids)
            .select_related("agenda_item", "recording__meeting")
            .prefetch_related("owners")
            .order_by("agenda_item__sort_order", "start", "pk")
        )
        if len({proposal.recording_id for proposal in loaded}) > 1:
            raise DraftingRefused(
                "Proposals from more than one recording cannot be added together: add each "
                "recording's from its own page."
            )
        if not loaded:
            raise DraftingRefused("Those proposals no longer exist: propose the minutes again.")
        recording = loaded[0].recording
        fresh = [proposal for proposal in loaded if proposal.pk in fresh_ids]
        already = [proposal for proposal in loaded if proposal.pk not in fresh_ids]
        if not fresh:
            minutes = MinutesPage.objects.child_of(recording.meeting).first()
            return DraftingResult(minutes=minutes, already_added=already)

        draft = MinutesDraft(recording, user, owner_pairs)
        page, revision = draft.write(fresh)
        actions = draft.write_actions()
        DraftProposal.objects.filter(pk__in=[p.pk for p in fresh]).update(
            added_to_minutes_at=timezone.now()
        )
        numbers = [minute.number for minute in draft.touched]
        log(
            instance=recording,
            action="transcription.draft_minutes",
            user=user,
            data={
                "minutes_id": page.pk,
                "minutes": page.title,
                "revision_id": revision.pk if revision else None,
                "created_minutes": draft.is_new,
                "minutes_published": draft.live,
                "proposals": [proposal.pk for proposal in fresh],
                "minute_numbers": numbers,
                "actions": [action.pk for action in actions],
            },
        )
    return DraftingResult(
        minutes=page,
        added=fresh,
        already_added=already,
        created_minutes=draft.is_new,
        minutes_published=draft.live,
        actions=actions,
        minute_numbers=numbers,
        notes=draft.notes,
    )
