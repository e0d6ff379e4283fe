"""The minutes page: attendance, then the minutes with their resolutions, checked by the rules
the editor applies, and saved as a draft (or, for published minutes, as a correction).

Minutes already on the site are updated in place by number, resolutions by number within their
minute, attendance by person, so the rows keep their ids (actions and citations point at them)
and an officer's topics and exempt flags stay. What the site has and the file lacks is kept,
with a warning.
"""

import re
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError

from meetings.agenda import previous_meeting_of
from meetings.minute_rules import (
    ProposedMinute,
    citation_problems,
    intrinsic_problems,
    number_minutes,
    sequence_problems,
)
from meetings.minutes import (
    Attendance,
    AttendanceGroup,
    AttendanceStatus,
    MinuteItem,
    MinutesPage,
    Resolution,
)
from meetings.models import StandardItem

from .people import clean_role_text
from .report import ImportRefused

MINUTES_SLUG = "minutes"
ATTENDANCE_GROUPS = {choice for choice, _ in AttendanceGroup.choices}

_PREVIOUS_MINUTES = re.compile(r"minutes of the (?:previous|last) meeting", re.IGNORECASE)
_CORRECT_RECORD = re.compile(r"correct record", re.IGNORECASE)
# A lead-in to the points discussed, and no more: one line, ending with a colon.
_DISCUSSION_LEAD = re.compile(
    r"^(?:discussion\s+ensued|in\s+(?:the\s+)?discussion|during\s+(?:the\s+)?discussion|"
    r"the\s+following\s+(?:issues|points|questions)\s+were\s+(?:raised|discussed)|"
    r"members\s+raised\s+the\s+following)\b[^\n]{0,150}:\s*-?\s*$",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"^(.*?)\s*\(([^)]+)\)\s*$")


def words(text):
    return " ".join(re.findall(r"[a-z0-9]+", (text or "").lower().replace("&", " and ")))


def matching_agenda_item(heading, agenda_items):
    """The agenda item whose title is most like the minute's heading, if any is close."""
    best, best_ratio = None, 0.6
    for item in agenda_items:
        ratio = SequenceMatcher(None, words(heading), words(item.title)).ratio()
        if ratio > best_ratio:
            best, best_ratio = item, ratio
    return best


_NOT_ON_THE_SITE = re.compile(
    r"^Minute (?P<minute>\d+) cites '(?P<written>[^']+)', but .+ has no published minute "
    r"(?P<cited>\d+) before (?P<day>[^.]+)\."
)


def grouped_citation_warnings(problems, board):
    """The rules' citation problems as warnings, one per minute for citations of minutes not
    on the site: importing an archive newest first, or from the middle, meets many."""
    missing, grouped, messages = {}, [], []
    for problem in problems:
        if match := _NOT_ON_THE_SITE.match(problem.message):
            entry = missing.setdefault(match["minute"], ([], [], match["day"]))
            if int(match["cited"]) not in entry[0]:
                entry[0].append(int(match["cited"]))
            entry[1].append(f"'{match['written']}'")
        else:
            messages.append(problem.message)
    for minute, (numbers, written, day) in missing.items():
        listed = ", ".join(str(n) for n in sorted(numbers))
        if len(numbers) > 1:
            listed = listed[: listed.rfind(", ")] + " and " + listed[listed.rfind(", ") + 2 :]
        noun = "minutes" if len(numbers) > 1 else "minute"
        grouped.append(
            f"Minute {minute} cites {noun} {listed} ({', '.join(written)}), which "
            f"{board.title} has not published on the site before {day}: the citations are kept "
            "in the text, and are linked once those minutes are published."
        )
    return grouped + messages


class MinutesSteps:
    """The minutes page and its rows, for `_Import`."""

    # The minutes page -----------------------------------------------------------------------

    def _minutes_page(self, meeting):
        existing = MinutesPage.objects.child_of(meeting).first()
        if existing is None:
            page = MinutesPage(
                title=f"Minutes: {meeting.title}",
                slug=MINUTES_SLUG,
                live=False,
                meeting=meeting,
                board=self.board,
            )
            return page, True
        if existing.live and existing.has_unpublished_changes:
            self.report.warn(
                f"{existing.title} had unpublished changes; they are published with this import."
            )
        # The latest revision: an officer's draft edits are kept where the file does not
        # change them.
        page = existing.get_latest_revision_as_object()
        page.meeting, page.board = meeting, self.board
        return page, False

    def _attendance(self, page):
        existing = {row.person_id: row for row in page.attendance.all()}
        rows, seen = [], set()

        def add_row(person, printed, **values):
            if person.pk in seen:
                self.report.warn(
                    f"{person.full_name} is listed twice in the attendance ('{printed}'); kept "
                    "once, as first listed."
                )
                return
            seen.add(person.pk)
            row = existing.get(person.pk) or Attendance(person=person)
            for name, value in values.items():
                setattr(row, name, value)
            row.sort_order = len(rows)
            rows.append(row)
            self.report.attendance.append(
                {
                    "printed": printed,
                    "matched": person.full_name,
                    "person_id": None
                    if self.dry_run and person.pk in self.created_people
                    else person.pk,
                    "group": row.group,
                    "status": row.status,
                }
            )

        for attendee in self.parsed.attendees:
            person, _ = self.person_for(
                attendee.name, attendee.role_text, attendee.in_the_chair, "attendance"
            )
            group = attendee.group if attendee.group in ATTENDANCE_GROUPS else "member"
            represents = None
            if attendee.represents:
                represents, _ = self.person_for(attendee.represents, purpose="represented")
                group = AttendanceGroup.SUBSTITUTE
            elif group == AttendanceGroup.SUBSTITUTE:
                self.report.warn(
                    f"{attendee.name} is listed as a substitute without saying for whom: kept "
                    "as a member."
                )
                group = AttendanceGroup.MEMBER
            add_row(
                person,
                attendee.name,
                group=group,
                status=AttendanceStatus.PRESENT,
                represents=represents,
                role_text=clean_role_text(attendee.role_text)[:255],
                in_the_chair=attendee.in_the_chair,
            )

        for printed in self.parsed.apologies:
            name, organisation = self._apology(printed)
            person, _ = self.person_for(name, organisation, purpose="apologies")
            add_row(
                person,
                name,
                group=AttendanceGroup.MEMBER,
                status=AttendanceStatus.APOLOGIES,
                represents=None,
                role_text=organisation[:255],
                in_the_chair=False,
            )
        for person_id, row in existing.items():
            if person_id not in seen:
                self.report.warn(
                    f"{row.person} is in the attendance on the site but not in this file: "
                    "left as they are."
                )
                row.sort_order = len(rows)
                rows.append(row)
        page.attendance = rows
        page.apologies_note = self.parsed.apologies_text.strip() or page.apologies_note

    def _apology(self, printed):
        """'Louise Barnett (Rotherham Foundation Trust)' -> name and organisation; the
        organisation is looked for in the apologies paragraph if the name came without it."""
        if match := _BRACKETED.match(printed.strip()):
            return match.group(1).strip(), match.group(2).strip()
        text = self.parsed.apologies_text or ""
        found = re.search(re.escape(printed.strip()) + r"\s*\(([^)]+)\)", text)
        return printed.strip(), found.group(1).strip() if found else ""

    # Minutes and resolutions ----------------------------------------------------------------

    def _minute_items(self, page, meeting):
        """Set the page's minutes from the file, updating those already there by number.

        Returns [(parsed item, MinuteItem)] in the file's order."""
        self.discussion_leads_left_out = 0
        self._numbers_of = {}
        existing = list(page.minute_items.all())
        by_number = {item.number: item for item in existing if item.number is not None}
        # An unnumbered minute (a modern.gov item page) took the next number in the board's
        # sequence when first imported: found again by its heading.
        by_heading = {words(item.heading): item for item in existing}
        agenda_items = list(meeting.agenda_items.all())
        pairs, used = [], set()
        for parsed_item in self.parsed.minute_items:
            if parsed_item.number is not None:
                item = by_number.get(parsed_item.number)
            else:
                item = by_heading.get(words(parsed_item.heading))
            if item is None or id(item) in used:
                item = MinuteItem()
            used.add(id(item))
            self._fill_minute(item, parsed_item, agenda_items, meeting, page)
            pairs.append((parsed_item, item))

        kept = [item for item in existing if id(item) not in used]
        for item in kept:
            self.report.warn(
                f"Minute {item.number or item.heading} is in the minutes on the site but not in "
                "this file: left as it is."
            )
        # The file's order stands (numbers out of order are refused by the rules); a minute
        # kept from the site goes after the last one numbered below it.
        items = [item for _, item in pairs]
        for item in sorted(kept, key=lambda item: (item.number is None, item.number or 0)):
            position = len(items)
            if item.number is not None:
                below = [i for i, other in enumerate(items) if (other.number or 0) < item.number]
                position = below[-1] + 1 if below else 0
            items.insert(position, item)
        for order, item in enumerate(items):
            item.sort_order = order
        page.minute_items = items
        if self.discussion_leads_left_out:
            self.report.notes.append(
                f"{self.discussion_leads_left_out} lead-ins such as 'Discussion ensued with the "
                "following issues raised/clarified:-' are not kept in the narrative: the site "
                "prints its own before each list of discussion points."
            )
        return pairs

    def _fill_minute(self, item, parsed_item, agenda_items, meeting, page):
        if parsed_item.number is not None or item.pk is None:
            item.number = parsed_item.number
        item.heading = parsed_item.heading.strip()[:500] or "(No heading printed)"
        item.narrative = self._narrative(parsed_item)
        item.discussion_points = "\n".join(parsed_item.discussion_points)
        item.agenda_item = matching_agenda_item(item.heading, agenda_items) or (
            item.agenda_item if item.agenda_item_id else None
        )

        numbers = self._resolution_numbers(parsed_item)
        action_lines = {}
        for action in parsed_item.actions:
            number = self.resolution_number_of(parsed_item, action)
            if number is not None:
                action_lines.setdefault(number, []).append(action.as_printed)
        existing = {r.number: r for r in item.resolutions.all() if r.number is not None}
        resolutions = []
        for position, parsed_resolution in enumerate(parsed_item.resolutions):
            number = numbers[position]
            resolution = existing.pop(number, None) or Resolution()
            resolution.number = number
            resolution.text = parsed_resolution.text.strip()
            resolution.action_line = "; ".join(action_lines.get(number, []))[:500]
            resolution.sort_order = position
            resolutions.append(resolution)
        for resolution in existing.values():
            self.report.warn(
                f"Resolution {parsed_item.number}({resolution.number}) is in the minutes on the "
                "site but not in this file: left as it is."
            )
            resolution.sort_order = len(resolutions)
            resolutions.append(resolution)
        item.resolutions = resolutions
        self._approval(item, parsed_item, meeting, page)

    def _resolution_numbers(self, parsed_item):
        """The number each resolution is kept under: as printed, the next one if unnumbered,
        and numbered on when a later "Resolved" block starts again from (1)."""
        numbers, used, last = [], set(), 0
        restarted = False
        for resolution in parsed_item.resolutions:
            number = resolution.number or last + 1
            if number in used:
                number = max(used) + 1
                restarted = True
            used.add(number)
            numbers.append(number)
            last = number
        if restarted:
            self.report.warn(
                f"Minute {parsed_item.number or parsed_item.heading} numbers the resolutions of "
                "a later 'Resolved' block from the start again: they are numbered on from the "
                "first block's, so that each has its own number; their text is as printed."
            )
        self._numbers_of[id(parsed_item)] = numbers
        return numbers

    def resolution_number_of(self, parsed_item, action):
        """The number (as kept) of the resolution an action line follows, or None."""
        numbers = self._numbers_of.get(id(parsed_item), [])
        index = getattr(action, "resolution_index", None)
        if index is not None and 0 <= index < len(numbers):
            return numbers[index]
        return action.resolution_number

    def _narrative(self, parsed_item):
        """The narrative as printed, less a lead-in to the discussion points ('Discussion
        ensued with the following issues raised/clarified:-'), which the site prints itself
        before them; with the words printed before a block of resolutions ('That the Health
        Select Commission:') last, where they are read before them."""
        paragraphs = list(parsed_item.paragraphs)
        if parsed_item.discussion_points:
            leads = [p for p in paragraphs if _DISCUSSION_LEAD.match(p)]
            if leads:
                paragraphs = [p for p in paragraphs if p not in leads]
                self.discussion_leads_left_out += len(leads)
        for resolution in parsed_item.resolutions:
            lead_in = (getattr(resolution, "lead_in", "") or "").strip()
            if lead_in and lead_in not in paragraphs:
                paragraphs.append(lead_in)
        return "\n\n".join(paragraphs)

    def _approval(self, item, parsed_item, meeting, page):
        """'Minutes of the previous meeting … approved as a correct record': link the approval
        to those minutes when the site has them published and not yet approved."""
        agenda = item.agenda_item if item.agenda_item_id else None
        is_previous = _PREVIOUS_MINUTES.search(item.heading) or (
            agenda is not None and agenda.kind == StandardItem.PREVIOUS_MINUTES
        )
        if not is_previous:
            return
        if not any(_CORRECT_RECORD.search(r.text) for r in parsed_item.resolutions):
            return
        if item.approves_id:
            return
        previous = agenda.previous_meeting if agenda and agenda.previous_meeting_id else None
        previous = previous or previous_meeting_of(meeting, board=self.board)
        minutes = MinutesPage.objects.child_of(previous).first() if previous else None
        label = f"Minute {item.number}"
        if minutes is None:
            self.report.warn(
                f"{label} approves the minutes of the previous meeting, which are not on the "
                "site: the approval is kept in the text only."
            )
            return
        if not minutes.live:
            self.report.warn(
                f"{label} approves {minutes.title}, which are not published: publish them, then "
                "record the approval in the editor."
            )
            return
        other = (
            MinuteItem.objects.filter(approves=minutes, minutes__live=True)
            .exclude(minutes_id=page.pk)
            .select_related("minutes")
            .first()
        )
        if other is not None:
            self.report.warn(
                f"{label} approves {minutes.title}, already approved by {other.minutes.title}: "
                "the approval is kept in the text only."
            )
            return
        item.approves = minutes

    def _save_minutes(self, page, meeting, is_new):
        """Check the minutes by the editor's rules, then save them: a draft revision, or a
        published correction of minutes already published."""
        items = list(page.minute_items.all())
        proposed = [ProposedMinute(item, list(item.resolutions.all())) for item in items]
        number_minutes(page, proposed)
        problems = intrinsic_problems(page, proposed)
        if problems:
            raise ImportRefused(
                f"The minutes in {self.source_name} break the rules for minutes: "
                + " ".join(problem.message for problem in problems)
            )
        for problem in sequence_problems(page, proposed):
            self.report.warn(problem.message)
        for message in grouped_citation_warnings(citation_problems(page, proposed), self.board):
            self.report.warn(message)

        try:
            if is_new:
                page.owner = self.user
                meeting.add_child(instance=page)  # logs the creation, by its owner
                page.save_revision(user=self.user, log_action=True)
                status = "draft"
            elif not page.live:
                page.save()
                page.save_revision(user=self.user, log_action=True)
                status = "draft"
            else:
                revision = page.save_revision(user=self.user, log_action=True)
                revision.publish(user=self.user)
                status = "published"
        except ValidationError as error:
            raise ImportRefused(
                f"The minutes in {self.source_name} could not be saved: " + " ".join(error.messages)
            ) from error

        page = MinutesPage.objects.get(pk=page.pk)
        self.report.minutes = {
            "id": page.pk,
            "title": page.title,
            "created": is_new,
            "status": status,
        }
        if status == "draft":
            saved = "would be saved" if self.dry_run else "saved"
            self.report.notes.append(
                f"{page.title} {saved} as a draft: check them, then publish them in the admin."
            )
        else:
            corrected = "would be corrected" if self.dry_run else "corrected"
            self.report.notes.append(f"{page.title} were published already: {corrected} in place.")
        return page
