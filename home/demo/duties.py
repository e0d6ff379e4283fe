"""The duties between the demo boards: the safeguarding protocol and the reporting lines.

From the Rotherham Safeguarding Partnership Protocol (PACK:1460-1468): the chairs meet twice a
year, with the supporting officers at the Partnership Steering Group; annual update reports on
the HWB Strategy, the SRP Plan and the CYP Plan go to the two safeguarding boards; between
September and November the safeguarding boards' independent chairs present their annual reports
to the HWB and the SRP Board, and the LSCB (now the Safeguarding Children Partnership) also to the
CYPPB: two duties with five receiving boards, so each autumn yields five obligations; and each
board shares its refreshed plan when it is published (event-driven: no events are recorded, as
the papers give no publication dates). Then the reporting lines (DOMAIN.md 1-2): the MHPB reports
to the HWB and gives the Health Select Commission a mid-point update in the second half of 2027;
the Better Care Fund Executive Group reports to the HWB quarterly (PACK:3203); the SRP reports to
the Overview and Scrutiny Management Board quarterly (PACK:823).

Periods start in 2016, so the HWB's minute 45 of 16 November 2016, on the Safeguarding Adult
Board's 2015-16 annual report, meets that year's obligation. Agenda items of the demo's meetings
that plainly meet an obligation (the annual reports, the Better Care Fund and MHPB reports) are
linked to it. Running the loader again changes nothing.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from boards.duties import Duty, DutyFrequency, DutyKind, DutyParty, Obligation, PartyRole
from boards.models import Person
from boards.obligation_status import link_obligation, record_status_changes
from boards.obligations import ensure_obligations, shift_months
from meetings.models import CALLED_OFF, AgendaItem, MeetingPage

from .sync import update_fields

YEARS_AHEAD = 2
PROTOCOL = "Rotherham Safeguarding Partnership Protocol"
ARRANGEMENTS = "Arrangements between the 5 strategic partnership boards"

HWB = "health-and-wellbeing-board"
HSC = "health-select-commission"
SRP = "safer-rotherham-partnership"
RSAB = "safeguarding-adults-board"
MHPB = "mental-health-partnership-board"
CYPPB = "children-and-young-peoples-partnership-board"
RSCP = "safeguarding-children-partnership"
SIGNATORIES = (HWB, CYPPB, SRP, RSCP, RSAB)


def body(name):
    """A party that is not a board of this site."""
    return ("body", name)


@dataclass(frozen=True)
class DutySpec:
    slug: str
    title: str
    kind: str
    what: str
    frequency: str
    first_window_end: datetime.date
    from_parties: tuple
    to_parties: tuple
    first_window_start: datetime.date | None = None
    presented_by: str = ""
    interval_months: int | None = None
    event_description: str = ""
    source_document: str = ""
    source_clause: str = ""
    legal_basis: str = ""
    notes: str = ""
    responsible: tuple = ()  # (given name, family name)

    def fields(self):
        return {
            "title": self.title,
            "kind": self.kind,
            "what": self.what,
            "presented_by": self.presented_by,
            "frequency": self.frequency,
            "interval_months": self.interval_months,
            "first_window_start": self.first_window_start,
            "first_window_end": self.first_window_end,
            "last_period_end": None,
            "event_description": self.event_description,
            "source_document": self.source_document,
            "source_clause": self.source_clause,
            "legal_basis": self.legal_basis,
            "notes": self.notes,
            "is_public": True,
        }


def _plan_update(slug, plan, board):
    return DutySpec(
        slug=f"{slug}-annual-update",
        title=f"{plan}: annual update report to the safeguarding boards",
        kind=DutyKind.UPDATE,
        what=(
            f"An update report on the {plan}, so that the safeguarding boards can challenge "
            "commissioning decisions and outcomes, and their business plans reflect its "
            "priorities."
        ),
        frequency=DutyFrequency.ANNUAL,
        first_window_start=datetime.date(2016, 4, 1),
        first_window_end=datetime.date(2017, 3, 31),
        from_parties=(board,),
        to_parties=(RSAB, RSCP),
        source_document=PROTOCOL,
        source_clause=f"{ARRANGEMENTS}: Annually",
    )


def _refreshed_plan(slug, plan, board):
    return DutySpec(
        slug=f"{slug}-refreshed",
        title=f"Refreshed {plan} shared with the partnership boards",
        kind=DutyKind.PLAN,
        what=f"The refreshed {plan}, shared when it is published, for co-ordination and coherence.",
        frequency=DutyFrequency.ON_EVENT,
        interval_months=3,
        first_window_end=datetime.date(2016, 4, 1),
        event_description=f"when the {plan} is refreshed and published",
        from_parties=(board,),
        to_parties=tuple(other for other in SIGNATORIES if other != board),
        source_document=PROTOCOL,
        source_clause=f"{ARRANGEMENTS}: On-going",
        notes=(
            "Each board's chair and responsible officer factor this into their forward plans. "
            "Record the publication as an event to create the obligations."
        ),
    )


ANNUAL_REPORT_WHAT = (
    "The annual report on performance against the business plan objectives in the previous "
    "financial year, supplemented by a position statement on the current financial year."
)

DUTIES = [
    DutySpec(
        slug="chairs-meet",
        title="Chairs of the partnership boards meet",
        kind=DutyKind.MEETING,
        what=(
            "The chairs of all five boards meet to co-ordinate leadership, keep their plans "
            "coherent and consider strategic risks; the supporting officers meet at the "
            "Partnership Steering Group to follow up key decisions and planning actions."
        ),
        frequency=DutyFrequency.TWICE_YEARLY,
        first_window_start=datetime.date(2016, 4, 1),
        first_window_end=datetime.date(2016, 9, 30),
        from_parties=SIGNATORIES,
        to_parties=(
            body("Meeting of the chairs of the partnership boards"),
            body("Partnership Steering Group (supporting officers)"),
        ),
        source_document=PROTOCOL,
        source_clause=f"{ARRANGEMENTS}: Bi-Annually",
    ),
    _plan_update("hwb-strategy", "Health and Wellbeing Strategy", HWB),
    _plan_update("srp-plan", "Safer Rotherham Partnership Plan", SRP),
    _plan_update("cyp-plan", "Children and Young People's Plan", CYPPB),
    DutySpec(
        slug="safeguarding-adults-board-annual-report",
        title="Safeguarding Adults Board annual report",
        kind=DutyKind.PRESENTATION,
        what=ANNUAL_REPORT_WHAT,
        presented_by="The independent chair of the Safeguarding Adults Board",
        frequency=DutyFrequency.ANNUAL,
        first_window_start=datetime.date(2016, 9, 1),
        first_window_end=datetime.date(2016, 11, 30),
        from_parties=(RSAB,),
        to_parties=(HWB, SRP),
        source_document=PROTOCOL,
        source_clause=f"{ARRANGEMENTS}: Between September and November",
        legal_basis="Care Act 2014, Schedule 2 (the annual report goes to the chair of the HWB)",
        responsible=(("Daniel", "Brooks"),),
    ),
    DutySpec(
        slug="safeguarding-children-annual-report",
        title="Safeguarding Children Partnership annual report",
        kind=DutyKind.PRESENTATION,
        what=ANNUAL_REPORT_WHAT,
        presented_by=(
            "The independent chair of the Local Safeguarding Children Board (now the Safeguarding "
            "Children Partnership)"
        ),
        frequency=DutyFrequency.ANNUAL,
        first_window_start=datetime.date(2016, 9, 1),
        first_window_end=datetime.date(2016, 11, 30),
        from_parties=(RSCP,),
        to_parties=(HWB, SRP, CYPPB),
        source_document=PROTOCOL,
        source_clause=f"{ARRANGEMENTS}: Between September and November",
        notes="The Local Safeguarding Children Board's duty passed to the partnership in 2019.",
    ),
    _refreshed_plan("hwb-strategy", "Health and Wellbeing Strategy", HWB),
    _refreshed_plan("srp-plan", "Safer Rotherham Partnership Plan", SRP),
    _refreshed_plan("cyp-plan", "Children and Young People's Plan", CYPPB),
    _refreshed_plan("scp-business-plan", "Safeguarding Children Partnership business plan", RSCP),
    _refreshed_plan("sab-strategic-plan", "Safeguarding Adults Board strategic plan", RSAB),
    DutySpec(
        slug="mental-health-partnership-board-report",
        title="Mental Health Partnership Board report to the HWB",
        kind=DutyKind.REPORT,
        what="Progress on the delivery of the Adult Social Care Mental Health Strategy 2026-2029.",
        presented_by="The co-chairs of the Mental Health Partnership Board",
        frequency=DutyFrequency.TWICE_YEARLY,
        first_window_start=datetime.date(2026, 4, 1),
        first_window_end=datetime.date(2026, 9, 30),
        from_parties=(MHPB,),
        to_parties=(HWB,),
        source_document="Adult Social Care Mental Health Strategy 2026-2029",
        source_clause="Governance: the Mental Health Partnership Board reports to the HWB",
        responsible=(("Helen", "Marsh"),),
    ),
    DutySpec(
        slug="mental-health-strategy-mid-point-update",
        title="Mental Health Strategy mid-point update to the Health Select Commission",
        kind=DutyKind.UPDATE,
        what="A mid-point update on the delivery of the Mental Health Strategy 2026-2029.",
        presented_by="The Strategic Director, Adult Care and Housing",
        frequency=DutyFrequency.ONCE,
        first_window_start=datetime.date(2027, 7, 1),
        first_window_end=datetime.date(2027, 12, 31),
        from_parties=(MHPB,),
        to_parties=(HSC,),
        source_document="Health Select Commission: scrutiny of the Mental Health Strategy",
        source_clause="A mid-point update in mid-to-late 2027",
        responsible=(("Helen", "Marsh"),),
    ),
    DutySpec(
        slug="better-care-fund-quarterly-report",
        title="Better Care Fund quarterly report",
        kind=DutyKind.REPORT,
        what="The Better Care Fund Executive Group's quarterly report on the delivery of the plan.",
        presented_by="The Better Care Fund Executive Group",
        frequency=DutyFrequency.QUARTERLY,
        first_window_start=datetime.date(2016, 4, 1),
        first_window_end=datetime.date(2016, 6, 30),
        from_parties=(body("Better Care Fund Executive Group"),),
        to_parties=(HWB,),
        source_document="Better Care Fund: terms of reference of the Executive Group",
        source_clause="Report directly to the Health and Wellbeing Board on a quarterly basis",
    ),
    DutySpec(
        slug="safer-rotherham-partnership-scrutiny-report",
        title="Safer Rotherham Partnership quarterly performance report to scrutiny",
        kind=DutyKind.REPORT,
        what=(
            "The latest position on performance against agreed priorities, partnership issues, "
            "risks, emerging issues and action plans."
        ),
        frequency=DutyFrequency.QUARTERLY,
        first_window_start=datetime.date(2016, 4, 1),
        first_window_end=datetime.date(2016, 6, 30),
        from_parties=(SRP,),
        to_parties=(body("Overview and Scrutiny Management Board"),),
        source_document="Safer Rotherham Partnership Plan 2016-2019",
        source_clause="Performance management: quarterly reports to scrutiny",
    ),
]

# Agenda items of the demo's meetings that meet a duty's obligations: (duty slug, title start).
DEMO_EVIDENCE = [
    ("safeguarding-adults-board-annual-report", "Safeguarding Adults Board annual report"),
    ("safeguarding-adults-board-annual-report", "Rotherham Safeguarding Adult Board"),
    ("safeguarding-children-annual-report", "Safeguarding Children Partnership annual report"),
    ("better-care-fund-quarterly-report", "Better Care Fund: quarterly report"),
    ("better-care-fund-quarterly-report", "Better Care Fund Quarter"),
    (
        "mental-health-partnership-board-report",
        "Adult Social Care Mental Health Strategy 2026-2029: report of the Mental Health",
    ),
]


def _party(spec_party, boards, order, role):
    if isinstance(spec_party, tuple):
        return DutyParty(role=role, body_name=spec_party[1], sort_order=order)
    return DutyParty(role=role, board=boards[spec_party], sort_order=order)


def _parties_state(parties):
    return [(p.role, p.board_id, p.body_name, p.sort_order) for p in parties]


def _responsible(spec):
    people = []
    for given, family in spec.responsible:
        person = Person.objects.filter(given_name=given, family_name=family).first()
        if person is not None:
            people.append(person)
    return people


def sync_duty(spec, boards, summary):
    """Create or update one duty with its parties and responsible officers."""
    duty = Duty.objects.filter(slug=spec.slug).first()
    created = duty is None
    if created:
        duty = Duty(slug=spec.slug)
    changed = update_fields(duty, spec.fields())
    wanted = [
        _party(party, boards, order, role)
        for order, (party, role) in enumerate(
            [(p, PartyRole.FROM) for p in spec.from_parties]
            + [(p, PartyRole.TO) for p in spec.to_parties]
        )
    ]
    if created or _parties_state(duty.parties.all()) != _parties_state(wanted):
        duty.parties = wanted
        changed = True
    responsible = _responsible(spec)
    if created or {p.pk for p in duty.responsible.all()} != {p.pk for p in responsible}:
        duty.responsible = responsible
        changed = True
    if changed:
        duty.full_clean(exclude=["latest_revision"])
        duty.save()
        duty.save_revision()
    summary.record("duty", created=created, updated=changed and not created)
    return duty


def _evidence_item(obligation, prefix):
    """The first agenda item of the receiving board's meetings in the window titled `prefix`."""
    if obligation.receiver is None:
        return None
    start = obligation.window_start or obligation.window_end
    meetings = (
        MeetingPage.objects.child_of(obligation.receiver)
        .filter(
            start__date__gte=start - datetime.timedelta(days=1),
            start__date__lte=obligation.window_end + datetime.timedelta(days=1),
        )
        .exclude(status__in=CALLED_OFF)
    )
    candidates = AgendaItem.objects.filter(
        meeting__in=meetings, title__istartswith=prefix
    ).select_related("meeting")
    for item in candidates.order_by("meeting__start", "sort_order"):
        day = timezone.localtime(item.meeting.start).date()
        if start <= day <= obligation.window_end:
            return item
    return None


def link_demo_evidence(duties, summary):
    """Link the demo's agenda items that plainly meet an obligation; returns how many."""
    linked = 0
    for slug, prefix in DEMO_EVIDENCE:
        obligations = Obligation.objects.filter(
            duty=duties[slug], agenda_item__isnull=True, receiver__isnull=False
        ).select_related("receiver", "duty")
        for obligation in obligations:
            item = _evidence_item(obligation, prefix)
            if item is not None:
                link_obligation(obligation, item)
                linked += 1
    return linked


def _check_november_2016(duties, boards, summary):
    """Say in the summary how the SAB's 2015-16 report to the HWB stands (the papers' example)."""
    from boards.obligation_status import obligation_status

    obligation = Obligation.objects.filter(
        duty=duties["safeguarding-adults-board-annual-report"],
        receiver=boards[HWB],
        window_end=datetime.date(2016, 11, 30),
    ).first()
    if obligation is None:
        summary.notes.append(
            "Duties: no obligation for the SAB's 2015-16 annual report to the HWB."
        )
        return
    result = obligation_status(obligation)
    summary.notes.append(
        f"Duties: {obligation.duty.title} to the HWB, {obligation.period_label}: "
        f"{result.label.lower()} ({result.reason})."
    )


def sync_duties(boards, summary, today=None):
    """Create the duties, their obligations up to two years ahead, the demo's evidence links
    and the first status history. Running it again adds nothing."""
    today = today or timezone.localdate()
    duties = {spec.slug: sync_duty(spec, boards, summary) for spec in DUTIES}
    report = ensure_obligations(
        until=shift_months(today, 12 * YEARS_AHEAD),
        duties=Duty.objects.filter(pk__in=[duty.pk for duty in duties.values()]),
    )
    for duty, messages in report.refused:
        summary.notes.append(f"Duty '{duty}' yields no obligations: {' '.join(messages)}")
    linked = link_demo_evidence(duties, summary)
    changes = record_status_changes(today)
    summary.notes.append(
        f"Duties: {report.obligations} obligations up to {YEARS_AHEAD} years ahead; "
        f"{linked} newly linked to agenda items; {len(changes)} status changes recorded."
    )
    _check_november_2016(duties, boards, summary)
    return duties
