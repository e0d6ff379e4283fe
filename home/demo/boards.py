"""The partnership boards of the demo, their places in the site and their memberships."""

import datetime
from dataclasses import dataclass

from boards.models import ROLE_ORDER, BoardIndexPage, BoardKind, BoardPage, Membership

from . import board_texts
from .sync import rows, sync_page

OAK_HOUSE = "Oak House\nMoorhead Way\nBramley\nRotherham S66 1YY"  # PACK:5-8
RIVERSIDE_HOUSE = "Riverside House\nMain Street\nRotherham S60 1AE"  # PACK:1042-1046
TOWN_HALL = "Town Hall\nThe Crofts\nMoorgate Street\nRotherham S60 2TH"

MONDAY, TUESDAY, WEDNESDAY, THURSDAY = range(4)


@dataclass(frozen=True)
class Schedule:
    """When a board usually meets: the nth weekday of the given months, at a time and place."""

    months: tuple
    weekday: int
    nth: int
    hour: int
    minute: int
    minutes_long: int
    venue: str


@dataclass(frozen=True)
class BoardSpec:
    """Everything the demo says about one board."""

    slug: str
    title: str
    short_name: str
    kind: str
    summary: str
    terms_of_reference: str
    cadence: str
    schedule: Schedule
    other_names: tuple = ()
    statutory_basis: str = ""
    reports_to: tuple = ()
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""

    def fields(self):
        return {
            "title": self.title,
            "short_name": self.short_name,
            "other_names": "\n".join(self.other_names),
            "kind": self.kind,
            "statutory_basis": self.statutory_basis,
            "summary": self.summary,
            "terms_of_reference": board_texts.clean(self.terms_of_reference),
            "cadence": self.cadence,
            "contact_name": self.contact_name,
            "contact_email": self.contact_email,
            "contact_phone": self.contact_phone,
            "municipal_year_start_month": 5,
        }


ODD_MONTHS = (1, 3, 5, 7, 9, 11)
EVEN_MONTHS = (2, 4, 6, 8, 10, 12)

# Listed so that a board comes after the boards it reports to. Telephone numbers are in Ofcom's
# range for drama (01632 960xxx) and addresses at example.gov.uk: this is demo data.
BOARDS = [
    BoardSpec(
        slug="health-and-wellbeing-board",
        title="Health and Wellbeing Board",
        short_name="HWB",
        other_names=("HWbB", "RHWBB", "Health & Wellbeing Board"),
        kind=BoardKind.STATUTORY_COMMITTEE,
        statutory_basis="Health and Social Care Act 2012, s194",
        summary=(
            "The statutory committee that brings together the council, the NHS, Healthwatch and "
            "the voluntary sector to improve the health and wellbeing of Rotherham people and "
            "reduce health inequalities. It owns the Joint Strategic Needs Assessment and the "
            "Health and Wellbeing Strategy."
        ),
        terms_of_reference=board_texts.HWB,
        cadence="About every two months, on Wednesdays",
        contact_name="Dawn Mitchell, Democratic Services",
        contact_email="democratic.services@example.gov.uk",
        contact_phone="01632 960101",
        schedule=Schedule(ODD_MONTHS, WEDNESDAY, 2, 9, 0, 150, OAK_HOUSE),
    ),
    BoardSpec(
        slug="health-select-commission",
        title="Health Select Commission",
        short_name="HSC",
        kind=BoardKind.SCRUTINY,
        statutory_basis=(
            "Local Government Act 2000, s9F; health scrutiny under the National Health Service "
            "Act 2006, s244"
        ),
        summary=(
            "The councillors' scrutiny commission for health, public health and adult social "
            "care. It questions the council and NHS bodies and makes recommendations to them."
        ),
        terms_of_reference=board_texts.HSC,
        cadence="About monthly, on Thursdays (not in August)",
        contact_name="Scrutiny Officer, Governance",
        contact_email="scrutiny@example.gov.uk",
        contact_phone="01632 960102",
        schedule=Schedule((1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12), THURSDAY, 2, 10, 0, 150, TOWN_HALL),
    ),
    BoardSpec(
        slug="safer-rotherham-partnership",
        title="Safer Rotherham Partnership",
        short_name="SRP",
        other_names=("Safer Rotherham Partnership Board", "Community Safety Partnership"),
        kind=BoardKind.STATUTORY_PARTNERSHIP,
        statutory_basis="Crime and Disorder Act 1998, ss5-6",
        summary=(
            "Rotherham's community safety partnership: the council, police, fire and rescue, "
            "probation and the NHS working together to make Rotherham safe, keep it safe and "
            "make its communities feel safe."
        ),
        terms_of_reference=board_texts.SRP,
        cadence="Every two months, with a performance report at each meeting",
        contact_name="Community Safety Unit",
        contact_email="community.safety@example.gov.uk",
        contact_phone="01632 960103",
        schedule=Schedule(EVEN_MONTHS, THURSDAY, 3, 10, 0, 120, RIVERSIDE_HOUSE),
    ),
    BoardSpec(
        slug="safeguarding-adults-board",
        title="Safeguarding Adults Board",
        short_name="RSAB",
        other_names=("Rotherham Safeguarding Adults Board", "SAB"),
        kind=BoardKind.STATUTORY_PARTNERSHIP,
        statutory_basis="Care Act 2014, s43 and Schedule 2",
        summary=(
            "The statutory partnership, under an independent chair, that makes sure partners "
            "work together to protect adults at risk of abuse or neglect."
        ),
        terms_of_reference=board_texts.RSAB,
        reports_to=("health-and-wellbeing-board", "safer-rotherham-partnership"),
        cadence="Quarterly, on Tuesday afternoons",
        contact_name="Safeguarding Adults Board Manager",
        contact_email="safeguarding.adults.board@example.gov.uk",
        contact_phone="01632 960104",
        schedule=Schedule((3, 6, 9, 12), TUESDAY, 1, 14, 0, 120, RIVERSIDE_HOUSE),
    ),
    BoardSpec(
        slug="mental-health-partnership-board",
        title="Mental Health Partnership Board",
        short_name="MHPB",
        kind=BoardKind.PARTNERSHIP,
        summary=(
            "Set up by the Adult Social Care Mental Health Strategy 2026-2029 to oversee its "
            "delivery, with co-chairs who have lived experience of mental ill health."
        ),
        terms_of_reference=board_texts.MHPB,
        reports_to=("health-and-wellbeing-board", "health-select-commission"),
        cadence="Quarterly while the board is being established, on Monday afternoons",
        contact_name="Adult Care and Housing, Strategic Commissioning",
        contact_email="mental.health.partnership@example.gov.uk",
        contact_phone="01632 960105",
        schedule=Schedule((2, 5, 8, 11), MONDAY, 2, 13, 30, 120, OAK_HOUSE),
    ),
    BoardSpec(
        slug="children-and-young-peoples-partnership-board",
        title="Children and Young People's Partnership Board",
        short_name="CYPPB",
        other_names=(
            "Rotherham Children and Young People's Partnership Board",
            "RCYPPB",
            "CYPP Board",
        ),
        kind=BoardKind.PARTNERSHIP,
        summary=(
            "Partners from children and young people's services working to improve outcomes for "
            "children, young people and families, and to make Rotherham a child-centred borough."
        ),
        terms_of_reference=board_texts.CYPPB,
        reports_to=("health-and-wellbeing-board",),
        cadence="Every two months, on Tuesdays",
        contact_name="Children and Young People's Services, Partnerships",
        contact_email="cyp.partnership@example.gov.uk",
        contact_phone="01632 960106",
        schedule=Schedule(EVEN_MONTHS, TUESDAY, 4, 10, 0, 120, RIVERSIDE_HOUSE),
    ),
    BoardSpec(
        slug="safeguarding-children-partnership",
        title="Safeguarding Children Partnership",
        short_name="RSCP",
        other_names=(
            "Rotherham Safeguarding Children Partnership",
            "Local Safeguarding Children Board",
            "LSCB",
            "RLSCB",
        ),
        kind=BoardKind.STATUTORY_PARTNERSHIP,
        statutory_basis=(
            "Children Act 2004, as amended by the Children and Social Work Act 2017 "
            "(formerly the Local Safeguarding Children Board)"
        ),
        summary=(
            "The council, the NHS and South Yorkshire Police's joint arrangements to safeguard "
            "and promote the welfare of children. It replaced the Local Safeguarding Children "
            "Board."
        ),
        terms_of_reference=board_texts.SCP,
        reports_to=(
            "health-and-wellbeing-board",
            "safer-rotherham-partnership",
            "children-and-young-peoples-partnership-board",
        ),
        cadence="Quarterly, on Wednesday afternoons",
        contact_name="Safeguarding Children Partnership Business Unit",
        contact_email="safeguarding.children@example.gov.uk",
        contact_phone="01632 960107",
        schedule=Schedule((1, 4, 7, 10), WEDNESDAY, 3, 14, 0, 120, RIVERSIDE_HOUSE),
    ),
]

BOARDS_BY_SLUG = {spec.slug: spec for spec in BOARDS}
HWB_SLUG = "health-and-wellbeing-board"

BOARD_INDEX_INTRO = (
    "<p>The partnership boards bring the council together with the NHS, the police, the "
    "voluntary sector and the people who use services. Each board's page has its members, terms "
    "of reference, agendas and papers.</p>"
)


def sync_board_index(home, summary):
    """The "Partnership boards" section under the home page."""
    page, _ = sync_page(
        home,
        BoardIndexPage,
        "boards",
        {"title": "Partnership boards", "intro": BOARD_INDEX_INTRO},
        summary,
        "board index page",
    )
    return page


MEMBERSHIP_FIELDS = ("person_id", "role", "seat", "represents_id", "start_date", "end_date")


def _membership_state(page):
    return rows(page.memberships.all(), MEMBERSHIP_FIELDS)


def sync_boards(index, seats_for, summary):
    """Create or update every board with its memberships; returns {slug: BoardPage}.

    `seats_for(slug)` gives the SeatSpecs the board should have. Memberships are part of the
    board page (an InlinePanel), so they go into its revision: editing the board in the admin
    later keeps them.
    """
    boards = {}
    for spec in BOARDS:
        seats = sorted(seats_for(spec.slug), key=lambda seat: ROLE_ORDER.index(seat.role))
        reports_to = [boards[slug] for slug in spec.reports_to]

        def apply(page, seats=seats, reports_to=reports_to):
            page.memberships = [
                Membership(
                    person=seat.person,
                    role=seat.role,
                    seat=seat.seat,
                    represents=seat.represents,
                    start_date=seat.start_date,
                    end_date=seat.end_date,
                    sort_order=order,
                )
                for order, seat in enumerate(seats)
            ]
            page.reports_to = reports_to

        def state(page):
            return (_membership_state(page), sorted(board.pk for board in page.reports_to.all()))

        page, _ = sync_page(
            index, BoardPage, spec.slug, spec.fields(), summary, "board", state=state, apply=apply
        )
        boards[spec.slug] = page
    return boards


def nth_weekday(year, month, weekday, nth):
    """The `nth` (1-4) `weekday` (0 = Monday) of a month."""
    first = datetime.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + datetime.timedelta(days=offset + 7 * (nth - 1))
