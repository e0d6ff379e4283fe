"""The meeting the minutes record: the board's meeting on that date, or a new one, held.

Found by the board and the day in UK time. A board whose archive predates the site has no
meeting pages for those years, so a meeting is created, held, at the time printed (or 10am),
with the venue "not recorded"; it is published at once, as a record of a meeting that took
place, while its minutes wait as a draft for an officer.
"""

import datetime

from django.utils import timezone

from meetings.dates import format_date, format_time
from meetings.models import CALLED_OFF, MeetingPage, MeetingStatus

from .minutes import words

DEFAULT_START = datetime.time(10, 0)
NO_VENUE = "Not recorded in the imported minutes"
MEETING_NOTE = "Recorded from its imported minutes; the agenda is not on this site."


class MeetingSteps:
    """Checking the file's header and finding or creating the meeting, for `_Import`."""

    # Checks ---------------------------------------------------------------------------------

    def _check_header(self):
        printed = self.parsed.board_name.strip()
        if printed:
            names = [self.board.title, self.board.short_name, *self.board.alias_list]
            if words(printed) not in {words(name) for name in names if name}:
                self.report.warn(
                    f"The file is headed '{printed}', but is being imported as minutes of "
                    f"{self.board.title}: check it is the right board."
                )
        printed_day = self.parsed.meeting_date
        if printed_day and printed_day != self.day:
            self.report.warn(
                f"The file gives the meeting date as {format_date(printed_day)}; it was "
                f"imported as the meeting of {format_date(self.day)}, as asked."
            )

    # The meeting ----------------------------------------------------------------------------

    def _meeting(self):
        first = timezone.make_aware(datetime.datetime.combine(self.day, datetime.time.min))
        last = timezone.make_aware(
            datetime.datetime.combine(self.day + datetime.timedelta(days=1), datetime.time.min)
        )
        meetings = list(
            MeetingPage.objects.child_of(self.board)
            .filter(start__gte=first, start__lt=last)
            .order_by("start")
        )
        held = [meeting for meeting in meetings if meeting.status not in CALLED_OFF]
        if meetings:
            meeting = (held or meetings)[0]
            if len(meetings) > 1:
                self.report.warn(
                    f"{self.board.title} has {len(meetings)} meetings on "
                    f"{format_date(self.day)}; the minutes were put under {meeting.title} "
                    f"({format_time(meeting.start)})."
                )
            if meeting.status in CALLED_OFF:
                self.report.warn(
                    f"The meeting of {format_date(self.day)} is marked "
                    f"'{meeting.get_status_display()}' on the site, yet these are its minutes: "
                    "check its status."
                )
            self.report.meeting = {
                "id": meeting.pk,
                "title": meeting.title,
                "created": False,
            }
            return meeting
        return self._create_meeting()

    def _create_meeting(self):
        printed_time = getattr(self.parsed, "start_time", None) or getattr(
            self.parsed, "meeting_time", None
        )
        start = timezone.make_aware(
            datetime.datetime.combine(self.day, printed_time or DEFAULT_START)
        )
        local = timezone.localtime(start)
        slug = f"{local:%Y-%m-%d}"
        taken = set(self.board.get_children().values_list("slug", flat=True))
        suffix = 2
        base = slug
        while slug in taken:
            slug = f"{base}-{suffix}"
            suffix += 1
        meeting = MeetingPage(
            title=f"{self.board.title}, {local.day} {local:%B %Y}",
            slug=slug,
            start=start,
            venue=NO_VENUE,
            status=MeetingStatus.HELD,
            status_note=MEETING_NOTE,
            live=False,
        )
        # Saving a new page logs its creation, by its owner.
        meeting.owner = self.user
        self.board.add_child(instance=meeting)
        # A record of a meeting already held: published at once, as there is no agenda to
        # give notice of; its minutes wait for an officer.
        meeting.save_revision(user=self.user, log_action=True).publish(user=self.user)
        meeting = MeetingPage.objects.get(pk=meeting.pk)
        time_note = "" if printed_time else " (the minutes print no time: 10am is assumed)"
        self.report.meeting = {"id": meeting.pk, "title": meeting.title, "created": True}
        self.report.notes.append(
            f"{self.board.title} had no meeting on {format_date(self.day)} on the site: "
            f"{'it would be' if self.dry_run else 'it was'} created, held at "
            f"{format_time(start)}{time_note}, venue not recorded."
        )
        return meeting
