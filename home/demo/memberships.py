"""Who sits on which demo board, and in what role.

The HWB's people come from the attendance of the 11 January 2017 minutes. The other boards get a
few memberships: people the pack names in those roles (the SRP's chair, PACK:598-601, and leads,
PACK:532-536; the Health Select Commission's chair and vice-chair, PACK:98-99) and invented people,
whose organisation says "(demo)" and whose email is at example.org, where the papers name no one.
"""

import datetime

from boards.models import MembershipRole

from .people import SeatSpec, demo_person, january_2017_attendance, pack_person

# The account the README's "member" sign-in uses.
DEMO_MEMBER = ("", "Alex", "Morgan")


def demo_member(people):
    """The invented HWB member behind the demo "member" sign-in."""
    return demo_person(
        people,
        *DEMO_MEMBER,
        job_title="Voluntary and community sector representative",
        organisation="Demo account (not a real person)",
        email="alex.morgan@example.org",
    )


def board_seats(people):
    """{board slug: [SeatSpec]} for every demo board."""
    hwb = january_2017_attendance(people)
    hwb.append(SeatSpec(demo_member(people), MembershipRole.MEMBER))

    sansome = pack_person(people, "Councillor Sansome")
    short = pack_person(people, "Councillor Short")
    spurling = pack_person(people, "Janet Spurling")
    hsc = [
        SeatSpec(sansome, MembershipRole.CHAIR),
        SeatSpec(short, MembershipRole.VICE_CHAIR),
        SeatSpec(spurling, MembershipRole.OFFICER),
    ]

    srp = [
        SeatSpec(
            pack_person(people, "Councillor Emma Hoddinott", organisation="RMBC"),
            MembershipRole.CHAIR,
        ),
        SeatSpec(
            pack_person(people, "Supt Sarah Poolman", organisation="South Yorkshire Police"),
            MembershipRole.MEMBER,
            seat="South Yorkshire Police",
        ),
        SeatSpec(
            pack_person(people, "Karen Hanson", organisation="RMBC"),
            MembershipRole.MEMBER,
            seat="Rotherham Metropolitan Borough Council",
        ),
    ]

    rsab = [
        SeatSpec(
            demo_person(
                people,
                "",
                "Margaret",
                "Ellison",
                job_title="Independent Chair",
                organisation="Independent (demo)",
                email="margaret.ellison@example.org",
            ),
            MembershipRole.INDEPENDENT_CHAIR,
        ),
        SeatSpec(
            demo_person(
                people,
                "",
                "Daniel",
                "Brooks",
                job_title="Safeguarding Adults Board Manager",
                organisation="RMBC (demo)",
                email="daniel.brooks@example.org",
            ),
            MembershipRole.OFFICER,
        ),
    ]

    mhpb = [
        SeatSpec(
            demo_person(
                people,
                "",
                "Jordan",
                "Reeve",
                job_title="Lived experience co-chair",
                organisation="Rotherham mental health service users' forum (demo)",
                email="jordan.reeve@example.org",
            ),
            MembershipRole.CO_CHAIR,
        ),
        SeatSpec(
            demo_person(
                people,
                "",
                "Asha",
                "Patel",
                job_title="Lived experience co-chair",
                organisation="Carers' forum (demo)",
                email="asha.patel@example.org",
            ),
            MembershipRole.CO_CHAIR,
        ),
        SeatSpec(
            demo_person(
                people,
                "",
                "Helen",
                "Marsh",
                job_title="Head of Mental Health Commissioning",
                organisation="NHS South Yorkshire ICB (demo)",
                email="helen.marsh@example.org",
            ),
            MembershipRole.MEMBER,
            seat="Integrated care board",
        ),
    ]

    cyppb = [
        SeatSpec(
            demo_person(
                people,
                "",
                "Sam",
                "Okafor",
                job_title="Chair",
                organisation="Children and young people's partnership (demo)",
                email="sam.okafor@example.org",
            ),
            MembershipRole.CHAIR,
        ),
        SeatSpec(
            demo_person(
                people,
                "",
                "Nadia",
                "Hussain",
                job_title="Youth Cabinet co-ordinator",
                organisation="RMBC (demo)",
                email="nadia.hussain@example.org",
            ),
            MembershipRole.CO_OPTEE,
            seat="Voice of children and young people",
        ),
    ]

    scp = [
        SeatSpec(
            demo_person(
                people,
                "",
                "Ruth",
                "Lindley",
                job_title="Independent Scrutineer",
                organisation="Independent (demo)",
                email="ruth.lindley@example.org",
            ),
            MembershipRole.CO_OPTEE,
            seat="Independent scrutineer",
        ),
        # The LSCB's independent chair, kept as a past membership when the partnership replaced
        # the board (LSCBs ended by 29 September 2019).
        SeatSpec(
            demo_person(
                people,
                "",
                "Peter",
                "Hardcastle",
                job_title="Independent Chair of the LSCB",
                organisation="Independent (demo)",
                email="peter.hardcastle@example.org",
            ),
            MembershipRole.INDEPENDENT_CHAIR,
            start_date=datetime.date(2015, 6, 1),
            end_date=datetime.date(2019, 9, 28),
        ),
    ]

    return {
        "health-and-wellbeing-board": hwb,
        "health-select-commission": hsc,
        "safer-rotherham-partnership": srp,
        "safeguarding-adults-board": rsab,
        "mental-health-partnership-board": mhpb,
        "children-and-young-peoples-partnership-board": cyppb,
        "safeguarding-children-partnership": scp,
    }
