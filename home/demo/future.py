"""Meetings for the next six months of every board, so the calendars and home page have content.

Dates follow each board's usual pattern (`boards.Schedule`: the nth weekday of certain months),
skipping bank holidays, from the first meeting whose agenda can still be published with five
clear days' notice. A meeting that already exists is left as it is, so running the loader again
later only adds the meetings that have come into the six-month window.
"""

import datetime

from django.utils import timezone

from meetings.agenda import standard_opening_items
from meetings.models import AgendaSection, MeetingPage, MeetingStatus
from meetings.publication import is_bank_holiday, publish_by

from .agendas import ItemSpec, meeting_slug, sync_meeting
from .boards import BOARDS, nth_weekday
from .paper_documents import build_docx
from .papers import stored_document

HORIZON_DAYS = 183

DISCUSSION = AgendaSection.DISCUSSION
DECISION = AgendaSection.DECISION
INFORMATION = AgendaSection.INFORMATION

# Business every meeting of the board takes (PACK:888: the SRP has a performance report each time).
STANDING_BUSINESS = {
    "safer-rotherham-partnership": [
        ("Partnership performance report", INFORMATION, "Report by the Community Safety Unit"),
    ],
    "health-select-commission": [
        ("Work programme", INFORMATION, "Report by the Scrutiny Officer"),
    ],
}

# Business the boards take in turn; two items a meeting, chosen by the month.
ROTATING_BUSINESS = {
    "health-and-wellbeing-board": [
        (
            "Health and Wellbeing Strategy: progress on the strategic aims",
            DISCUSSION,
            "Presented by the Director of Public Health",
        ),
        (
            "Better Care Fund: quarterly report of the Better Care Fund Executive Group",
            INFORMATION,
            "Report by the Assistant Director of Commissioning",
        ),
        ("Joint Strategic Needs Assessment: annual refresh", DISCUSSION, ""),
        (
            "Adult Social Care Mental Health Strategy 2026-2029: report of the Mental Health "
            "Partnership Board",
            DISCUSSION,
            "Presented by the co-chairs of the Mental Health Partnership Board",
        ),
        ("Rotherham Place Plan: update", DISCUSSION, "Verbal update by the ICB Place Director"),
    ],
    "health-select-commission": [
        (
            "Adult Social Care Mental Health Strategy 2026-2029: delivery action plan",
            DISCUSSION,
            "Presented by the Strategic Director, Adult Care and Housing",
        ),
        ("Loneliness data and male suicide figures", DISCUSSION, "Report by Public Health"),
        ("Urgent and emergency care: winter pressures", DISCUSSION, ""),
        ("Health scrutiny: response to the Healthwatch annual report", DISCUSSION, ""),
    ],
    "safer-rotherham-partnership": [
        ("Joint Strategic Intelligence Assessment", DISCUSSION, ""),
        ("Domestic homicide reviews: progress on action plans", DISCUSSION, ""),
        ("Community Safety Fund: allocation of funding", DECISION, ""),
    ],
    "safeguarding-adults-board": [
        ("Safeguarding adults reviews: progress on recommendations", DISCUSSION, ""),
        ("Performance and quality assurance report", INFORMATION, ""),
        ("Business plan: progress report", DISCUSSION, ""),
    ],
    "mental-health-partnership-board": [
        ("Delivery action plan: progress against objectives and indicators", DISCUSSION, ""),
        ("What people with lived experience told us", DISCUSSION, "Presented by the co-chairs"),
        ("Crisis pathway review", DISCUSSION, ""),
        ("Support for carers and families", DISCUSSION, ""),
    ],
    "children-and-young-peoples-partnership-board": [
        ("Children and Young People's Plan: progress report", DISCUSSION, ""),
        ("Voice of the child: lifestyle survey results", DISCUSSION, ""),
        ("Special educational needs and disabilities: joint commissioning update", DISCUSSION, ""),
    ],
    "safeguarding-children-partnership": [
        ("Multi-agency safeguarding audit findings", DISCUSSION, ""),
        ("Local child safeguarding practice reviews: learning and actions", DISCUSSION, ""),
        ("Neglect strategy: progress report", DISCUSSION, ""),
    ],
}

# The protocol's duty (PACK:1466): between September and November the safeguarding boards present
# their annual reports for the previous financial year to the HWB and the SRP, and the children's
# board's also to the CYPPB.
ANNUAL_REPORTS = {
    "health-and-wellbeing-board": (
        "Safeguarding Adults Board",
        "Safeguarding Children Partnership",
    ),
    "safer-rotherham-partnership": (
        "Safeguarding Adults Board",
        "Safeguarding Children Partnership",
    ),
    "children-and-young-peoples-partnership-board": ("Safeguarding Children Partnership",),
}
ANNUAL_REPORT_MONTHS = (9, 10, 11)

EXEMPT_BOARD = "safer-rotherham-partnership"
EXEMPT_ITEM_TITLE = "Contract award for domestic abuse support services"
EXEMPT_PUBLIC_INTEREST = (
    "The report contains the prices and financial information of the organisations that "
    "tendered. Disclosing it before the contract is awarded would damage their commercial "
    "interests and the council's ability to obtain best value, so the public interest in "
    "withholding it outweighs the public interest in disclosure. The decision, the provider "
    "chosen and the contract value will be published once the contract is signed."
)
CANCELLED_BOARD = "children-and-young-peoples-partnership-board"
CANCELLED_NOTE = (
    "This meeting has been cancelled because there was not enough business. Its items will be "
    "taken at the next meeting."
)


def meeting_dates(schedule, today, horizon_days=HORIZON_DAYS):
    """The board's meeting days from the first that still allows five clear days' notice."""
    last = today + datetime.timedelta(days=horizon_days)
    dates = []
    for year in (today.year, today.year + 1):
        for month in schedule.months:
            day = nth_weekday(year, month, schedule.weekday, schedule.nth)
            while is_bank_holiday(day):
                day += datetime.timedelta(days=7)
            if publish_by(day) >= today and day <= last:
                dates.append(day)
    return sorted(dates)


def business_for(slug, day):
    """The business items of a board's meeting on `day`, decided by the date alone."""
    items = list(STANDING_BUSINESS.get(slug, []))
    if day.month in ANNUAL_REPORT_MONTHS:
        for board_name in ANNUAL_REPORTS.get(slug, ()):
            items.append(
                (
                    f"{board_name} annual report {day.year - 1}-{str(day.year)[-2:]}",
                    DISCUSSION,
                    f"Presented by the independent chair of the {board_name}",
                )
            )
    pool = ROTATING_BUSINESS.get(slug, [])
    if pool:
        first = (day.year * 12 + day.month) % len(pool)
        items.extend(pool[(first + offset) % len(pool)] for offset in range(min(2, len(pool))))
    return [
        ItemSpec(title=title, section=section, presenter_text=presenter)
        for title, section, presenter in items
    ]


def opening_items():
    return [
        ItemSpec(
            number=item.number,
            title=item.title,
            kind=item.kind,
            section=item.section,
            is_verbal=item.is_verbal,
        )
        for item in standard_opening_items()
    ]


def exempt_item(board, day, summary):
    """The exempt item, with its paper stored straight into the board's private collection."""
    from meetings.exempt import exempt_collection_for

    title = f"Domestic abuse support services: evaluation of tenders ({day:%B %Y})"

    def make_file():
        lines = [
            "EXEMPT: NOT FOR PUBLICATION",
            "Exempt information under paragraph 3 of Part 1 of Schedule 12A to the Local "
            "Government Act 1972 (information relating to the financial or business affairs of "
            "any particular person, including the authority holding that information).",
            "This is demonstration content: the bidders, prices and scores are invented.",
            "Evaluation of tenders",
            "Bidder\tQuality score (60%)\tPrice score (40%)\tTotal",
            "Bidder A\t52.0\t31.5\t83.5",
            "Bidder B\t47.5\t38.0\t85.5",
            "Bidder C\t41.0\t40.0\t81.0",
            "Recommendation",
            "That the contract be awarded to Bidder B for three years with an option to extend "
            "for a further two.",
        ]
        return "srp-exempt-tender-evaluation.docx", build_docx(title, lines)

    document = stored_document(title, [exempt_collection_for(board)], make_file, summary)
    return ItemSpec(
        title=EXEMPT_ITEM_TITLE,
        section=DECISION,
        presenter_text="Report by the Head of Community Safety",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_reason=EXEMPT_PUBLIC_INTEREST,
        papers=[(document, "", None, None)],
    )


def london(day, hour, minute):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _has_future(board, now, **filters):
    return MeetingPage.objects.child_of(board).filter(start__gte=now, **filters).exists()


def sync_future_meetings(boards, summary, now=None):
    """Create the coming meetings of every board; returns the meetings created."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    created = []
    for spec in BOARDS:
        board = boards[spec.slug]
        schedule = spec.schedule
        existing = set(MeetingPage.objects.child_of(board).values_list("slug", flat=True))
        new_days = []
        for day in meeting_dates(schedule, today):
            if meeting_slug(day) in existing:
                summary.record("meeting")
            else:
                new_days.append(day)
        wants_exempt = spec.slug == EXEMPT_BOARD and not _has_future(
            board, now, agenda_items__is_exempt=True
        )
        wants_cancelled = spec.slug == CANCELLED_BOARD and not _has_future(
            board, now, status=MeetingStatus.CANCELLED
        )
        for index, day in enumerate(new_days):
            start = london(day, schedule.hour, schedule.minute)
            items = opening_items() + business_for(spec.slug, day)
            if wants_exempt and index == 0:
                items.append(exempt_item(board, day, summary))
            cancelled = wants_cancelled and index == min(1, len(new_days) - 1)
            meeting, _ = sync_meeting(
                board,
                start,
                start + datetime.timedelta(minutes=schedule.minutes_long),
                schedule.venue,
                items,
                summary,
                status=MeetingStatus.CANCELLED if cancelled else MeetingStatus.SCHEDULED,
                status_note=CANCELLED_NOTE if cancelled else "",
            )
            created.append(meeting)
    return created


def mark_past_meetings_held(boards, summary, now=None):
    """Meetings the loader scheduled that have since taken place are recorded as held.

    Only pages without an owner are touched: the loader creates those, officers' pages have one.
    """
    now = now or timezone.now()
    for board in boards.values():
        past = MeetingPage.objects.child_of(board).filter(
            start__lt=now, status=MeetingStatus.SCHEDULED, owner__isnull=True
        )
        for meeting in past:
            meeting.status = MeetingStatus.HELD
            meeting.save_revision().publish()
            summary.record("meeting", updated=True)
