"""Actions built in code for the public action log, carried-forward and Word tests.

On top of the Health and Wellbeing Board minutes of 16 November 2016 and 11 January 2017
(tests.meetings.minutes_builders, PACK:63-428) come the January actions as the minutes print them,
an action recorded in the exempt minute 57, one in draft minutes of a later meeting, and updates of
which some are internal. Everything the public must never see is marked SECRET, DRAFT or INTERNAL
so tests can look for it anywhere.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from actions_log.models import Action, ActionOwner, ActionSource, ActionStatus, ActionUpdate
from boards.factories import PersonFactory
from meetings.factories import AgendaItemFactory
from meetings.minutes import MinuteItem, Resolution
from meetings.models import AgendaSection, StandardItem
from tests.meetings.minutes_builders import hwb_minutes, meeting_on, save_draft_minutes

EXEMPT_ACTION = "SECRET ACTION: renegotiate the care home contract prices"
DRAFT_ACTION = "DRAFT ACTION: circulate the unpublished winter plan"
INTERNAL_UPDATE = "INTERNAL UPDATE: the provider's chief executive is about to resign"
PUBLIC_UPDATE = "The care homes report is on the agenda for 8 March 2017."
OWNER_EMAIL = "kate.green@example.org"
OWNER_PHONE = "01709 555 0199"
NEVER_PUBLIC = [EXEMPT_ACTION, DRAFT_ACTION, INTERNAL_UPDATE, OWNER_EMAIL, OWNER_PHONE]


def owner(given, family, organisation="RMBC", **fields):
    return PersonFactory(given_name=given, family_name=family, organisation=organisation, **fields)


def make_action(board, text, owners=(), *, minute=None, resolution_number=None, **fields):
    """An action with its owners; from `minute` (a MinuteItem) and its resolution if numbered."""
    resolution = None
    if minute is not None and resolution_number is not None:
        resolution = minute.resolutions.get(number=resolution_number)
    if minute is not None:
        fields.setdefault("raised_on", timezone.localdate(minute.minutes.meeting.start))
        fields.setdefault("meeting", minute.minutes.meeting)
        fields.setdefault(
            "source", ActionSource.RESOLUTION if resolution else ActionSource.MATTERS_ARISING
        )
    action = Action.objects.create(
        board=board, text=text, minute_item=minute, resolution=resolution, **fields
    )
    for order, person in enumerate(owners):
        ActionOwner.objects.create(action=action, person=person, sort_order=order)
    return action


def add_update(action, text, on, *, internal=False, author_name="Dawn Mitchell", status=""):
    created = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    return ActionUpdate.objects.create(
        action=action,
        text=text,
        created_at=created,
        author_name=author_name,
        is_internal=internal,
        status=status,
    )


@dataclass
class ActionLog:
    """The board, its meetings and the actions, by what each test needs."""

    board: object
    january: object
    january_minutes: object
    march: object
    previous_minutes_item: object
    care_homes_item: object
    care_homes: Action
    proposals: Action
    key_messages: Action
    matters_arising: Action
    governance: Action
    exempt: Action
    draft: Action


def build_action_log(board_index):
    board, november, january, minutes = hwb_minutes(board_index)
    march = meeting_on(board, 2017, 3, 8, "8-march-2017")
    previous_item = AgendaItemFactory(
        meeting=march,
        number=7,
        title="Minutes of the previous meeting",
        kind=StandardItem.PREVIOUS_MINUTES,
        section=AgendaSection.PROCEDURAL,
        previous_meeting=january,
        sort_order=7,
    )
    care_homes_item = AgendaItemFactory(
        meeting=march, number=12, title="Care homes: quality and market position", sort_order=12
    )
    minute = {item.number: item for item in minutes.minute_items.all()}
    november_minute = november.minute_items.get(number=36)

    kate = owner("Kate", "Green", email=OWNER_EMAIL, phone=OWNER_PHONE)
    anne_marie = owner("Anne Marie", "Lubanski")
    ian = owner("Ian", "Thomas")
    chris = owner("Chris", "Edwards", organisation="Rotherham CCG")
    sharon = owner("Sharon", "Kemp")
    terri = owner("Terri", "Roche")

    care_homes = make_action(
        board,
        "Include the issue of care homes as an agenda item at the next meeting.",
        [anne_marie, kate],
        minute=minute[50],
        resolution_number=3,
        as_printed="Action: Anne Marie Lubanski/Kate Green",
        due_by_next_meeting=True,
        status=ActionStatus.COMPLETED,
        completed_on=datetime.date(2017, 3, 8),
        discharged_by_agenda_item=care_homes_item,
        evidence="Item 12 of the 8 March 2017 agenda.",
    )
    add_update(care_homes, PUBLIC_UPDATE, datetime.date(2017, 2, 20), author_name="Kate Green")
    add_update(care_homes, INTERNAL_UPDATE, datetime.date(2017, 2, 21), internal=True)
    proposals = make_action(
        board,
        "Children and Young People's Services to submit proposals to the next Board meeting.",
        [ian],
        minute=minute[50],
        resolution_number=2,
        due_by_next_meeting=True,
    )
    key_messages = make_action(
        board,
        "Advise on the key messages for communicating the Place Plan.",
        [chris, sharon],
        minute=minute[52],
        resolution_number=4,
        due_date=datetime.date(2099, 1, 31),
        status=ActionStatus.IN_PROGRESS,
    )
    matters_arising = make_action(
        board,
        "Arrange a future discussion on care homes.",
        [terri],
        minute=minute[50],
        due_date=datetime.date(2017, 2, 1),
    )
    governance = make_action(
        board,
        "Review the governance framework.",
        [terri],
        minute=november_minute,
        resolution_number=2,
        due_date=datetime.date(2016, 12, 31),
        status=ActionStatus.COMPLETED,
        completed_on=datetime.date(2016, 12, 1),
    )
    exempt = make_action(
        board,
        EXEMPT_ACTION,
        [kate],
        minute=minute[57],
        resolution_number=1,
        due_by_next_meeting=True,
    )

    may = meeting_on(board, 2017, 5, 17, "17-may-2017")
    draft_minutes = save_draft_minutes(
        may,
        [
            MinuteItem(
                number=1,
                heading="WINTER PLAN",
                resolutions=[Resolution(number=1, text="That the plan be circulated.")],
            )
        ],
    )
    draft = make_action(
        board,
        DRAFT_ACTION,
        [kate],
        minute=draft_minutes.minute_items.get(),
        resolution_number=1,
        due_date=datetime.date(2017, 6, 1),
    )
    # An internal update on every public action: none may reach the public.
    for action in (proposals, key_messages, matters_arising, governance):
        add_update(action, INTERNAL_UPDATE, datetime.date(2017, 2, 1), internal=True)
    add_update(exempt, "SECRET ACTION update", datetime.date(2017, 2, 1))
    return ActionLog(
        board=board,
        january=january,
        january_minutes=minutes,
        march=march,
        previous_minutes_item=previous_item,
        care_homes_item=care_homes_item,
        care_homes=care_homes,
        proposals=proposals,
        key_messages=key_messages,
        matters_arising=matters_arising,
        governance=governance,
        exempt=exempt,
        draft=draft,
    )


def many_actions(board, minute, count, *, first=0):
    """`count` public actions on one minute, each with two owners and updates, one internal."""
    actions = []
    for index in range(first, first + count):
        action = make_action(
            board,
            f"Bulk action {index}",
            [owner(f"Owner{index}", "A"), owner(f"Owner{index}", "B")],
            minute=minute,
            due_date=datetime.date(2017, 2, 1) + datetime.timedelta(days=index),
        )
        add_update(action, f"Public update {index}", datetime.date(2017, 2, 2))
        add_update(action, INTERNAL_UPDATE, datetime.date(2017, 2, 3), internal=True)
        actions.append(action)
    return actions
