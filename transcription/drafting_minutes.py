"""Writing accepted proposals into a meeting's minutes, as a draft for the officer.

The minutes are kept where the editor and the minutes importer keep them: a `MinutesPage`
under the meeting (created unpublished if there is none), a `MinuteItem` per agenda item
(heading, agenda item, narrative, resolutions with their action lines, exempt as the agenda
item is), numbered on from the board's sequence by the minutes' own rules, and an `Action` per
action, owned by the people matched to the names heard, made as the importer makes them.

Nothing is ever published here: minutes not yet published are saved as a draft, and minutes
already published get a new draft revision only, so the public keep seeing what was published
until an officer publishes the draft.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone

from actions_log.importing.owners import split_owners
from actions_log.importing.writer.actions import due_from_text
from actions_log.importing.writer.minutes import MINUTES_SLUG, words
from actions_log.models import Action, ActionOwner, ActionSource, ActionStatus
from meetings.minute_rules import (
    ProposedMinute,
    intrinsic_problems,
    number_minutes,
    sequence_problems,
)
from meetings.minutes import MinuteItem, MinutesPage, Resolution

from .drafting_text import due_phrase
from .models import DraftKind, DraftProposal


class DraftingRefused(Exception):
    """The proposals could not be added; the message says why, in words an officer can act on."""


@dataclass
class DraftingResult:
    """What adding proposals did: the minutes page, what was added and anything to check."""

    minutes: MinutesPage | None
    added: list = field(default_factory=list)
    already_added: list = field(default_factory=list)
    created_minutes: bool = False
    minutes_published: bool = False
    actions: list = field(default_factory=list)
    minute_numbers: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def action_key(proposal):
    """The Action made from a proposal is found again by this key: adding twice makes one."""
    return f"transcript-{proposal.recording_id}/draft-{proposal.pk}"


def action_line(pairs):
    """'Action: Anne Marie Lubanski/Kate Green', as minutes print it: matched names as the
    site knows them, others as heard."""
    names = [person_name(person) if person else heard for heard, person in pairs]
    return "Action: " + "/".join(names)


def person_name(person):
    return " ".join(part for part in (person.given_name, person.family_name) if part) or str(person)


def _sort_key(row):
    return (row.sort_order is None, row.sort_order or 0)


def _has_text(existing, text):
    """Whether `text` is already in `existing` (case, punctuation and spacing aside)."""
    wanted = words(text)
    return bool(wanted) and wanted in words(existing)


class MinutesDraft:
    """Adding one recording's proposals to its meeting's minutes: one call, one revision."""

    def __init__(self, recording, user, pair_owners):
        self.recording = recording
        self.meeting = recording.meeting
        self.board = self.meeting.get_parent().specific
        self.user = user
        self.pair_owners = pair_owners
        self.notes = []
        self.raised_on = timezone.localtime(self.meeting.start).date()

    # The page ---------------------------------------------------------------------------

    def _page(self):
        existing = MinutesPage.objects.child_of(self.meeting).first()
        if existing is None:
            page = MinutesPage(
                title=f"Minutes: {self.meeting.title}",
                slug=MINUTES_SLUG,
                live=False,
                meeting=self.meeting,
                board=self.board,
            )
            return page, True
        lock = existing.get_lock()
        if lock is not None and self.user is not None and lock.for_user(self.user):
            raise DraftingRefused(
                f"{existing.title} are locked for editing, so nothing was added. "
                f"{lock.get_message(self.user)}"
            )
        # The latest draft: an officer's unpublished edits are kept.
        page = existing.get_latest_revision_as_object()
        page.meeting, page.board = self.meeting, self.board
        return page, False

    # The minutes ------------------------------------------------------------------------

    def write(self, proposals):
        page, is_new = self._page()
        self.is_new, self.live = is_new, bool(page.live)
        agenda = list(self.meeting.agenda_items.all())
        order = {item.pk: position for position, item in enumerate(agenda)}
        items = sorted(page.minute_items.all(), key=_sort_key)
        by_item = {minute.agenda_item_id: minute for minute in items if minute.agenda_item_id}
        resolution_sources = self._resolution_sources()

        groups = {}
        for proposal in proposals:
            groups.setdefault(proposal.agenda_item_id, []).append(proposal)
        self.touched, self.action_rows = [], []
        for agenda_item_id in sorted(groups, key=lambda pk: order.get(pk, len(order))):
            group = sorted(groups[agenda_item_id], key=lambda p: (p.start, p.position, p.pk))
            agenda_item = group[0].agenda_item
            minute = by_item.get(agenda_item_id)
            if minute is None:
                minute = self._new_minute(agenda_item, items, order)
                by_item[agenda_item_id] = minute
            self._fill(minute, agenda_item, group, resolution_sources)
            self.touched.append(minute)

        for position, minute in enumerate(items):
            minute.sort_order = position
        page.minute_items = items
        self._check(page, items)
        revision = self._save(page)
        return page, revision

    def _resolution_sources(self):
        """Where each resolution proposal of the recording came from: an action that follows
        a resolution starts where it does."""
        rows = DraftProposal.objects.filter(
            recording=self.recording, kind=DraftKind.RESOLUTION
        ).values_list("agenda_item_id", "start", "text")
        sources = {}
        for agenda_item_id, start, text in rows:
            sources.setdefault((agenda_item_id, round(start, 2)), []).append(text)
        return sources

    def _new_minute(self, agenda_item, items, order):
        """A minute for the agenda item, after the last minute of an earlier item."""
        minute = MinuteItem(
            agenda_item=agenda_item,
            number=None,
            heading=agenda_item.title[:500],
            is_exempt=agenda_item.is_exempt,
            exempt_paragraph=agenda_item.exempt_paragraph if agenda_item.is_exempt else None,
        )
        minute.resolutions = []
        wanted = order.get(agenda_item.pk, len(order))
        position = 0
        for index, other in enumerate(items):
            if other.agenda_item_id is None or order.get(other.agenda_item_id, -1) < wanted:
                position = index + 1
        items.insert(position, minute)
        return minute

    def _fill(self, minute, agenda_item, proposals, resolution_sources):
        if agenda_item.is_exempt and not minute.is_exempt:
            # Never less private than the agenda: exempt business stays exempt in the minutes.
            minute.is_exempt = True
            minute.exempt_paragraph = minute.exempt_paragraph or agenda_item.exempt_paragraph
        paragraphs = [p.strip() for p in (minute.narrative or "").split("\n\n") if p.strip()]
        resolutions = sorted(minute.resolutions.all(), key=_sort_key)

        sentences = []
        for proposal in proposals:
            if proposal.kind != DraftKind.NARRATIVE:
                continue
            if not _has_text(minute.narrative, proposal.text) and proposal.text not in sentences:
                sentences.append(proposal.text.strip())
        if sentences:
            paragraphs.append(" ".join(sentences))

        for proposal in proposals:
            if proposal.kind != DraftKind.RESOLUTION:
                continue
            if any(words(r.text) == words(proposal.text) for r in resolutions):
                continue
            resolution = Resolution(number=None, text=proposal.text.strip(), action_line="")
            resolutions.append(resolution)

        for proposal in proposals:
            if proposal.kind != DraftKind.ACTION:
                continue
            pairs = self.pair_owners(proposal)
            line = action_line(pairs)
            resolution = self._resolution_for(proposal, resolutions, resolution_sources)
            if resolution is not None:
                if not _has_text(resolution.action_line, line):
                    joined = "; ".join(filter(None, [resolution.action_line, line]))
                    resolution.action_line = joined[:500]
            elif not any(_has_text(paragraph, line) for paragraph in paragraphs):
                paragraphs.append(line)
            self.action_rows.append((proposal, minute, resolution, pairs, line))

        for position, resolution in enumerate(resolutions):
            resolution.sort_order = position
        minute.resolutions = resolutions
        minute.narrative = "\n\n".join(paragraphs)

    def _resolution_for(self, proposal, resolutions, resolution_sources):
        """The resolution an action was heard after: one that started where the action did."""
        texts = resolution_sources.get((proposal.agenda_item_id, round(proposal.start, 2)), [])
        for text in texts:
            for resolution in resolutions:
                if words(resolution.text) == words(text):
                    return resolution
        for resolution in resolutions:
            if words(resolution.text) == words(proposal.text):
                return resolution
        return None

    def _check(self, page, items):
        proposed = [
            ProposedMinute(item, sorted(item.resolutions.all(), key=_sort_key)) for item in items
        ]
        number_minutes(page, proposed)
        problems = intrinsic_problems(page, proposed)
        if problems:
            raise DraftingRefused(
                "Nothing was added: the minutes would break the rules for minutes. "
                + " ".join(problem.message for problem in problems)
            )
        self.notes.extend(problem.message for problem in sequence_problems(page, proposed))

    def _save(self, page):
        """A draft: a new page, a draft saved in place, or a draft revision of published
        minutes (their published content does not change)."""
        try:
            if self.is_new:
                page.owner = self.user
                self.meeting.add_child(instance=page)
                return page.save_revision(user=self.user, log_action=True)
            if not page.live:
                page.save()
                return page.save_revision(user=self.user, log_action=True)
            return page.save_revision(user=self.user, log_action=True)
        except ValidationError as error:
            raise DraftingRefused(
                "Nothing was added: the minutes could not be saved. " + " ".join(error.messages)
            ) from error

    # Actions ----------------------------------------------------------------------------

    def write_actions(self):
        """An Action per action proposal, owned by the people matched; none made twice."""
        keys = [action_key(proposal) for proposal, *_ in self.action_rows]
        existing = set(
            Action.objects.filter(board=self.board, import_key__in=keys).values_list(
                "import_key", flat=True
            )
        )
        saved_minutes, saved_resolutions = self._rows_in_database()
        actions = []
        unlinked = 0
        for proposal, minute, resolution, pairs, line in self.action_rows:
            key = action_key(proposal)
            if key in existing:
                continue
            minute_id = minute.pk if minute.pk in saved_minutes else None
            resolution_id = (
                resolution.pk if resolution is not None and resolution.pk in saved_resolutions
                else None
            )  # fmt: skip
            unlinked += minute_id is None
            due_date, by_next_meeting = self._due(proposal.text)
            action = Action(
                board=self.board,
                text=proposal.text.strip(),
                source=ActionSource.RESOLUTION if resolution else ActionSource.MINUTE_ITEM,
                meeting=self.meeting,
                minute_item_id=minute_id,
                resolution_id=resolution_id,
                as_printed=line[:500],
                raised_on=self.raised_on,
                due_date=due_date,
                due_by_next_meeting=by_next_meeting,
                status=ActionStatus.OPEN,
                import_key=key,
            )
            owners, seen = [], set()
            for heard, person, needs_review in self._owners(pairs):
                if person.pk in seen:
                    continue
                seen.add(person.pk)
                owners.append(
                    ActionOwner(
                        person=person,
                        printed_name=heard[:200],
                        needs_review=needs_review,
                        sort_order=len(owners),
                    )
                )
            action.owners = owners
            action.save()
            action.save_revision(user=self.user, log_action="wagtail.create")
            actions.append(action)
            unmatched = [heard for heard, person in pairs if person is None]
            if unmatched:
                self.notes.append(
                    f"'{line}': {', '.join(unmatched)} not matched to anyone the site knows; "
                    "the action keeps the name as heard. Add the owner in the actions log."
                )
        if unlinked:
            self.notes.append(
                f"{unlinked} action{'s are' if unlinked != 1 else ' is'} not yet linked to "
                "a minute: the minute is only in the draft of minutes already published. "
                "Link it in the actions log once the draft is published."
            )
        return actions

    def _rows_in_database(self):
        """The touched minutes and resolutions that exist as rows (not only in a draft)."""
        minute_ids = {minute.pk for minute in self.touched if minute.pk}
        resolution_ids = {
            resolution.pk
            for minute in self.touched
            for resolution in minute.resolutions.all()
            if resolution.pk
        }
        if not self.live:
            return minute_ids, resolution_ids
        return (
            set(MinuteItem.objects.filter(pk__in=minute_ids).values_list("pk", flat=True)),
            set(Resolution.objects.filter(pk__in=resolution_ids).values_list("pk", flat=True)),
        )

    def _owners(self, pairs):
        for heard, person in pairs:
            if person is None:
                continue
            exact = words(heard) in {words(person_name(person)), words(person.full_name)}
            yield heard, person, not exact

    def _due(self, text):
        """(due date, by the next meeting): a date said with the action, else the next meeting."""
        phrase = due_phrase(text)
        due_date = due_from_text(phrase, self.raised_on)[0] if phrase else None
        if due_date is None or due_date < self.raised_on:
            return None, True
        return due_date, False


def heard_names(proposal):
    """The owners of an action proposal as heard: 'Anne Marie Lubanski and Kate Green' -> both."""
    text = re.sub(r"^\s*action\s*:\s*", "", proposal.owner_text or "", flags=re.IGNORECASE)
    return split_owners(f"Action: {text}") if text else []
