"""An action for each action line, owned by the people it names.

Each action has a stable `import_key` (meeting date, minute, and the resolution or narrative
paragraph it follows), so a corrected file updates it in place: its text, source and owners
follow the file, while its status, updates and evidence, which officers and owners keep, are
never undone. Owners who had left the board by the meeting stay owners (the minutes name them)
and are listed for an officer to hand the action on.
"""

import datetime
import re

from boards.models import Membership
from meetings.dates import format_date

from ...models import Action, ActionOwner, ActionSource, ActionStatus

ACTION_SOURCES = {
    ActionSource.RESOLUTION,
    ActionSource.MATTERS_ARISING,
    ActionSource.MINUTE_ITEM,
}


def action_key(day, minute_number, position, resolution_number=None, note_index=None):
    """A stable key for an imported action: '2017-01-11/50/r3' (after resolution 3),
    '2017-01-11/50/n4' (after narrative paragraph 4), '2017-01-11/item2/a' (neither)."""
    minute = str(minute_number) if minute_number is not None else f"item{position + 1}"
    if resolution_number is not None:
        part = f"r{resolution_number}"
    elif note_index is not None:
        part = f"n{note_index}"
    else:
        part = "a"
    return f"{day.isoformat()}/{minute}/{part}"


_MONTH_NUMBERS = {
    name: number
    for number in range(1, 13)
    for name in (
        datetime.date(2000, number, 1).strftime("%B").lower(),
        datetime.date(2000, number, 1).strftime("%b").lower(),
    )
}
_MONTH_NUMBERS["sept"] = 9
_NEXT_MEETING = re.compile(r"\b(?:next|following)\s+(?:board\s+)?meeting\b", re.IGNORECASE)
_DAY_MONTH = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?(?:\s+(\d{4}))?\b", re.IGNORECASE
)
_MONTH = re.compile(r"\b([a-z]+)\.?,?(?:\s+(\d{4}))?\b", re.IGNORECASE)
_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b")


def _month_end(year, month):
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def due_from_text(text, raised_on):
    """(due date, due by the next meeting) from a due date printed after an action's owners:
    'by the next meeting', 'by 31st January, 2018', 'by March 2018' (the end of March),
    'by end of June', '31/01/2018' (day first, as in the UK). A date without a year is the first
    such date after the meeting. (None, False) if the words are not understood."""
    text = (text or "").strip()
    if not text:
        return None, True
    if _NEXT_MEETING.search(text):
        return None, True

    def after_meeting(year, make):
        if year:
            return make(int(year))
        for candidate in (raised_on.year, raised_on.year + 1):
            day = make(candidate)
            if day and day >= raised_on:
                return day
        return None

    try:
        if match := _NUMERIC.search(text):
            day, month, year = (int(part) for part in match.groups())
            year = year + 2000 if year < 100 else year
            return datetime.date(year, month, day), False
        if (match := _DAY_MONTH.search(text)) and match.group(2).lower() in _MONTH_NUMBERS:
            day, month = int(match.group(1)), _MONTH_NUMBERS[match.group(2).lower()]
            return after_meeting(match.group(3), lambda y: datetime.date(y, month, day)), False
        for match in _MONTH.finditer(text):
            month = _MONTH_NUMBERS.get(match.group(1).lower())
            if month:
                return after_meeting(match.group(2), lambda y, m=month: _month_end(y, m)), False
    except ValueError:
        return None, False
    return None, False


class ActionSteps:
    """Actions and their owners, for `_Import`."""

    def _actions(self, page, meeting, pairs):
        rows = {
            item.number: item
            for item in page.minute_items.prefetch_related("resolutions", "agenda_item")
        }
        prefix = f"{self.day.isoformat()}/"
        existing = {
            action.import_key: action
            for action in Action.objects.filter(
                board=self.board, import_key__startswith=prefix
            ).prefetch_related("owners")
        }
        seen = set()
        for position, (parsed_item, item) in enumerate(pairs):
            row = rows.get(item.number)
            resolutions = {r.number: r for r in row.resolutions.all()} if row else {}
            self.report.minute_items.append(
                {
                    "number": item.number,
                    "heading": item.heading,
                    "resolutions": len(parsed_item.resolutions),
                    "actions": len(parsed_item.actions),
                    "discussion_points": len(parsed_item.discussion_points),
                    "agenda_item": str(row.agenda_item) if row and row.agenda_item else None,
                    "approves": row.approves.title if row and row.approves_id else None,
                    # A modern.gov page's summary and papers: not minutes, kept in the report.
                    "summary": getattr(parsed_item, "summary", ""),
                    "supporting_documents": list(getattr(parsed_item, "supporting_documents", [])),
                }
            )
            numbers = self._numbers_of.get(id(parsed_item), [])
            for position_in_item, resolution in enumerate(parsed_item.resolutions):
                self.report.resolutions.append(
                    {
                        "minute": item.number,
                        "number": numbers[position_in_item],
                        "label": resolution.label,
                        "block": resolution.block,
                        "text": resolution.text,
                    }
                )
            for parsed_action in parsed_item.actions:
                number = self.resolution_number_of(parsed_item, parsed_action)
                key = action_key(self.day, item.number, position, number, parsed_action.note_index)
                base, count = key, 2
                while key in seen:
                    key = f"{base}-{count}"
                    count += 1
                seen.add(key)
                self._action(
                    key,
                    parsed_action,
                    meeting,
                    row,
                    resolutions.get(number),
                    existing.get(key),
                )
        for key in sorted(set(existing) - seen):
            self.report.warn(
                f"The action '{existing[key]}' ({key}) came from an earlier import of these "
                "minutes but is not in this file: left as it is."
            )
        self._owners_who_left()

    def _action(self, key, parsed_action, meeting, minute_row, resolution_row, action):
        is_new = action is None
        if is_new:
            action = Action(board=self.board, import_key=key, status=ActionStatus.OPEN)
        source = parsed_action.source if parsed_action.source in ACTION_SOURCES else "minute_item"
        text = parsed_action.text.strip() or (resolution_row.text if resolution_row else "")
        values = {
            "text": text or parsed_action.as_printed,
            "source": source,
            "meeting_id": meeting.pk,
            "minute_item_id": minute_row.pk if minute_row else None,
            "resolution_id": resolution_row.pk if resolution_row else None,
            "as_printed": parsed_action.as_printed.strip()[:500],
            "raised_on": self.day,
        }
        if is_new or action.as_printed != values["as_printed"]:
            values.update(self._due(parsed_action, key))
        changed = is_new
        for name, value in values.items():
            if getattr(action, name) != value:
                setattr(action, name, value)
                changed = True

        before = sorted((o.person_id, o.printed_name, o.needs_review) for o in action.owners.all())
        current = {owner.person_id: owner for owner in action.owners.all()}
        owners, reported = [], []
        if not parsed_action.owners:
            self.report.warn(f"'{parsed_action.as_printed}' names no one: the action has no owner.")
        for printed in parsed_action.owners:
            person, match = self.person_for(printed, purpose="action owner")
            needs_review = bool(match.needs_review)
            created = person.pk in self.created_people
            if any(owner.person_id == person.pk for owner in owners):
                self.report.warn(
                    f"'{parsed_action.as_printed}' names {person.full_name} twice: kept once."
                )
                continue
            owner = current.pop(person.pk, None) or ActionOwner(person=person)
            owner.printed_name = printed[:200]
            owner.needs_review = needs_review
            owner.sort_order = len(owners)
            owners.append(owner)
            reported.append(
                {
                    "printed": printed,
                    "matched": person.full_name,
                    "person_id": None if self.dry_run and created else person.pk,
                    "needs_review": needs_review,
                    "created": created,
                    "note": getattr(match, "note", "") or "",
                    "_person": person,
                }
            )
        # Owners added on the site (no printed name) stay; those of an earlier import go.
        for owner in current.values():
            if not owner.printed_name:
                owner.sort_order = len(owners)
                owners.append(owner)
        action.owners = owners
        after = sorted((o.person_id, o.printed_name, o.needs_review) for o in owners)
        changed = changed or after != before

        if changed:
            action.save()
            action.save_revision(
                user=self.user, log_action="wagtail.create" if is_new else "wagtail.edit"
            )
        self.report.actions.append(
            {
                "import_key": key,
                "minute": minute_row.number if minute_row else None,
                "resolution": resolution_row.number if resolution_row else None,
                "source": source,
                "as_printed": parsed_action.as_printed,
                "text": action.text,
                "owners": reported,
                "due_date": action.due_date.isoformat() if action.due_date else None,
                "due_by_next_meeting": action.due_by_next_meeting,
                "status": "created" if is_new else ("updated" if changed else "unchanged"),
                "action_id": None if self.dry_run else action.pk,
            }
        )

    def _due(self, parsed_action, key):
        """When the action is due, from a due date printed after its owners; by the next meeting
        if none is printed, or if the printed one cannot be read or is before the meeting."""
        printed = (getattr(parsed_action, "due_text", "") or "").strip()
        due_date, by_next_meeting = due_from_text(printed, self.day)
        if printed and due_date is None and not by_next_meeting:
            self.report.warn(
                f"'{parsed_action.as_printed}' ({key}): the due date '{printed}' was not "
                "understood; the action is due by the next meeting until an officer sets it."
            )
            by_next_meeting = True
        elif due_date is not None and due_date < self.day:
            self.report.warn(
                f"'{parsed_action.as_printed}' ({key}) is printed as due on "
                f"{format_date(due_date)}, before the meeting that raised it: the action is due "
                "by the next meeting until an officer checks the date."
            )
            due_date, by_next_meeting = None, True
        return {"due_date": due_date, "due_by_next_meeting": by_next_meeting}

    def _owners_who_left(self):
        """Owners whose membership of the board had ended before the meeting: kept as owners
        (the minutes name them), listed so an officer can hand the action on."""
        owners = {
            owner["_person"].pk: owner["_person"]
            for action in self.report.actions
            for owner in action["owners"]
        }
        memberships = {}
        for membership in Membership.objects.filter(board=self.board, person_id__in=owners):
            memberships.setdefault(membership.person_id, []).append(membership)
        for person_id, seats in memberships.items():
            current = any(
                (seat.start_date is None or seat.start_date <= self.day)
                and (seat.end_date is None or seat.end_date >= self.day)
                for seat in seats
            )
            ended = [seat.end_date for seat in seats if seat.end_date and seat.end_date < self.day]
            if current or not ended:
                continue
            person = owners[person_id]
            keys = [
                action["import_key"]
                for action in self.report.actions
                if any(owner["_person"].pk == person_id for owner in action["owners"])
            ]
            self.report.warn(
                f"{person.full_name} left {self.board.title} on {format_date(max(ended))}, "
                f"before this meeting, but owns {len(keys)} action"
                f"{'s' if len(keys) != 1 else ''} ({', '.join(keys)}): kept as owner; check "
                "who should take it on."
            )
        for action in self.report.actions:
            for owner in action["owners"]:
                owner.pop("_person", None)
