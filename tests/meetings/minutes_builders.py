"""Minutes built in code for the minutes page and Word minutes tests.

Modelled on the Health and Wellbeing Board minutes of 11 January 2017 (PACK:63-428), with one
exempt minute added whose every part is marked SECRET, so tests can look for it anywhere.
"""

from boards.factories import BoardPageFactory, MembershipFactory, PersonFactory
from meetings.factories import AgendaItemFactory, MeetingPageFactory, london
from meetings.minutes import (
    Attendance,
    Declaration,
    MinuteItem,
    MinutesPage,
    Resolution,
)

# Every part of the exempt minute: none may reach the public.
SECRETS = [
    "SECRET narrative: the provider's accounts show a deficit",
    "SECRET point: the provider may close its homes",
    "SECRET interest: shareholder in the provider",
    "SECRET resolution: That the contract be varied",
    "Action: SECRET OWNER",
    "secret-topic",
]
EXEMPT_HEADING = "CARE HOME CONTRACT: PROVIDER FINANCES"


def in_order(rows):
    """Give rows built in code the sort order the editor would, so every database agrees."""
    for index, row in enumerate(rows):
        if row.sort_order is None:
            row.sort_order = index
        for relation in ("resolutions", "declarations"):
            if hasattr(row, relation):
                in_order(list(getattr(row, relation).all()))
    return rows


def publish_minutes(meeting, items, attendance=(), apologies_note=""):
    items, attendance = in_order(list(items)), in_order(list(attendance))
    minutes = MinutesPage(title="", slug="", apologies_note=apologies_note)
    minutes.attendance = list(attendance)
    minutes.minute_items = items
    meeting.add_child(instance=minutes)
    minutes.save_revision().publish()
    return MinutesPage.objects.get(pk=minutes.pk)


def save_draft_minutes(meeting, items):
    items = in_order(list(items))
    minutes = MinutesPage(title="Minutes", slug="minutes", live=False)
    minutes.minute_items = items
    meeting.add_child(instance=minutes)
    minutes.save_revision()
    return MinutesPage.objects.get(pk=minutes.pk)


def tag(minutes, number, *names):
    item = minutes.minute_items.get(number=number)
    item.tags.add(*names)
    item.save()


def person(given, family, title="", organisation="RMBC", **kwargs):
    return PersonFactory(
        title=title, given_name=given, family_name=family, organisation=organisation, **kwargs
    )


def hwb_board(board_index):
    return BoardPageFactory(
        parent=board_index,
        title="Health and Wellbeing Board",
        slug="health-and-wellbeing-board",
        short_name="HWB",
    )


def meeting_on(board, year, month, day, slug):
    return MeetingPageFactory(
        parent=board,
        title="Health and Wellbeing Board",
        slug=slug,
        start=london(year, month, day, 9),
    )


def november_minutes(board):
    november = meeting_on(board, 2016, 11, 16, "16-november-2016")
    return publish_minutes(
        november,
        [
            MinuteItem(
                number=36,
                heading="HEALTH AND WELLBEING STRATEGY",
                resolutions=[
                    Resolution(text="That the report be noted."),
                    Resolution(text="That the governance framework be reviewed."),
                ],
            ),
            MinuteItem(
                number=45,
                heading="ROTHERHAM SAFEGUARDING ADULT BOARD 2015-16 ANNUAL REPORT",
                resolutions=[Resolution(text="That the annual report be noted.")],
            ),
        ],
    )


def january_attendance():
    terri = person("Terri", "Roche")
    return [
        Attendance(
            person=person("D.", "Roche", title="Councillor"),
            group="member",
            role_text="Cabinet Member for Adult Social Care and Health",
            in_the_chair=True,
        ),
        Attendance(
            person=person("Jo", "Abbott"),
            group="substitute",
            represents=terri,
            role_text="Public Health, RMBC",
        ),
        Attendance(person=person("Tony", "Clabby"), role_text="Healthwatch Rotherham"),
        Attendance(
            person=person("Sue", "Wilson"),
            group="presenter",
            role_text="Performance and Planning, RMBC",
        ),
        Attendance(
            person=person("Dawn", "Mitchell"),
            group="officer",
            role_text="Democratic Services, RMBC",
        ),
        Attendance(
            person=person("", "Sansome", title="Councillor"),
            group="observer",
            role_text="Chair, Health Select Commission",
        ),
        Attendance(
            person=person("Louise", "Barnett"),
            status="apologies",
            role_text="Rotherham Foundation Trust",
        ),
        Attendance(person=terri, status="apologies"),
        Attendance(
            person=person("", "Watson", title="Councillor", organisation=""), status="apologies"
        ),
        Attendance(person=person("Absent", "Member"), status="absent"),
    ]


def january_items(january, november, exempt_declarer):
    declarations = AgendaItemFactory(meeting=january, number=4, title="Declarations of interest")
    previous = AgendaItemFactory(meeting=january, number=7, title="Minutes of the previous meeting")
    engagement = AgendaItemFactory(
        meeting=january, number=9, title="Communicating and engaging on the STP"
    )
    carers = AgendaItemFactory(meeting=january, number=12, title="Caring Together")
    contract = AgendaItemFactory(
        meeting=january,
        number=14,
        title="Care home contract",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_reason="Commercially sensitive.",
    )
    return [
        MinuteItem(
            number=48,
            heading="DECLARATIONS OF INTEREST",
            agenda_item=declarations,
            narrative="There were no Declarations of Interest made at this meeting.",
        ),
        MinuteItem(
            number=50,
            heading="MINUTES OF THE PREVIOUS MEETING",
            agenda_item=previous,
            approves=november,
            narrative=(
                "The minutes of the previous meeting, held on 16th November, 2016, were "
                "considered.\n\n"
                "Minute No. 36(2), it was noted that work was taking place looking at the "
                "governance framework.\n\n"
                "Arising from Minute No. 45, it was felt that there was need for a future "
                "discussion on care homes."
            ),
            resolutions=[
                Resolution(
                    text="That the minutes of the meeting held on 16th November, 2016, be "
                    "approved as a correct record."
                ),
                Resolution(
                    text="That Children and Young People's Services submit proposals to the "
                    "next Board meeting.",
                    action_line="Action: Ian Thomas",
                ),
                Resolution(
                    text="That the issue of care homes be included as an agenda item at the "
                    "next meeting.",
                    action_line="Action: Anne Marie Lubanski/Kate Green",
                ),
            ],
        ),
        MinuteItem(
            number=52,
            heading="COMMUNICATING AND ENGAGING ON THE REGIONAL SUSTAINABILITY AND "
            "TRANSFORMATION PLAN AND ROTHERHAM PLACE PLAN",
            agenda_item=engagement,
            narrative=(
                "Janet Wheatley and Tony Clabby reported that Healthwatch had been contacted.\n\n"
                "- North\n- South\n- Central"
            ),
            discussion_points=(
                "- There was a clear distinction between the STP and Place Plan\n"
                "- A formal route of approval of the Place Plan by Members was still required"
            ),
            resolutions=[
                Resolution(text="That the outline plans submitted be approved."),
                Resolution(text="That officers be nominated in all bodies."),
                Resolution(text="That all stakeholders commit to support the work."),
                Resolution(
                    text="That Chris Edwards and Sharon Kemp advise on the key messages.",
                    action_line="Action: Chris Edwards/Sharon Kemp",
                ),
            ],
        ),
        MinuteItem(
            number=55,
            heading="CARING TOGETHER - THE ROTHERHAM CARERS STRATEGY",
            agenda_item=carers,
            narrative="Sarah Farragher presented the Rotherham Carers Strategy for approval.",
            declarations=[
                Declaration(
                    person=person("", "Mallinder", title="Councillor"),
                    agenda_item=carers,
                    nature="Personal interest: she is a carer.",
                )
            ],
            resolutions=[
                Resolution(text="That the Caring Together Strategy be approved."),
                Resolution(
                    text="That discussions take place with the Rotherham Foundation Trust.",
                    action_line="Action: Sarah Farragher",
                ),
            ],
        ),
        MinuteItem(
            number=57,
            heading=EXEMPT_HEADING,
            agenda_item=contract,
            is_exempt=True,
            exempt_paragraph=3,
            narrative=SECRETS[0] + " of two million pounds.",
            discussion_points=SECRETS[1],
            declarations=[Declaration(person=exempt_declarer, nature=SECRETS[2])],
            resolutions=[Resolution(text=SECRETS[3] + ".", action_line=SECRETS[4])],
        ),
    ]


def hwb_minutes(board_index):
    """(board, november minutes, january meeting, january minutes), all published."""
    board = hwb_board(board_index)
    november = november_minutes(board)
    january = meeting_on(board, 2017, 1, 11, "11-january-2017")
    declarer = person("Secret", "Declarer")
    minutes = publish_minutes(
        january,
        january_items(january, november, declarer),
        attendance=january_attendance(),
    )
    tag(minutes, 55, "Carers")
    tag(minutes, 52, "Engagement", "Mental health")
    tag(minutes, 57, SECRETS[5])
    return board, november, january, minutes


def approve(board, minutes, number=58):
    """Publish the 8 March 2017 minutes, approving `minutes` as a correct record."""
    march = meeting_on(board, 2017, 3, 8, "8-march-2017")
    return publish_minutes(
        march,
        [
            MinuteItem(
                number=number,
                heading="MINUTES OF THE PREVIOUS MEETING",
                approves=minutes,
                resolutions=[Resolution(text="That the minutes be approved.")],
            )
        ],
    )


def board_member(django_user_model, board, username="member"):
    user = django_user_model.objects.create_user(username, password="x")
    MembershipFactory(board=board, person=PersonFactory(user=user))
    return user


def many_minutes(board, meeting, count, first_number=1):
    """Minutes with `count` items, every fifth exempt, each with resolutions, a declaration,
    a topic and a citation of the minute before it."""
    declarer = PersonFactory()
    items = []
    for offset in range(count):
        number = first_number + offset
        exempt = offset % 5 == 4
        items.append(
            MinuteItem(
                number=number,
                heading=f"ITEM {number}",
                narrative=(
                    f"Arising from Minute No. {number - 1}(1), it was noted."
                    if offset
                    else "Opening."
                ),
                discussion_points="First point\nSecond point",
                is_exempt=exempt,
                exempt_paragraph=3 if exempt else None,
                declarations=[Declaration(person=declarer, nature=f"Interest {number}")],
                resolutions=[
                    Resolution(text=f"That item {number} be noted.", action_line="Action: Kate"),
                    Resolution(text=f"That item {number} be approved."),
                ],
            )
        )
    minutes = publish_minutes(meeting, items)
    for item in minutes.minute_items.all():
        item.tags.add("Carers", f"topic-{item.number}")
        item.save()
    return minutes
