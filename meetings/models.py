"""Meetings of a board, their agendas (ordered items) and the papers behind each item."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, re_path
from wagtail.models import Orderable, Page
from wagtail.search import index

from boards.duty_panels import SuggestedObligationsPanel

from .dates import format_meeting_datetime
from .forms import MeetingPageForm


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"
    POSTPONED = "postponed", "Postponed"
    MOVED = "moved", "Moved to another date"


CALLED_OFF = (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED, MeetingStatus.MOVED)


class AgendaSection(models.TextChoices):
    PROCEDURAL = "procedural", "Procedural"
    DECISION = "decision", "For decision"
    DISCUSSION = "discussion", "For discussion"
    INFORMATION = "information", "For information"


class StandardItem(models.TextChoices):
    """What kind of business an item is; the standard opening items are recognised by it."""

    BUSINESS = "business", "Business item"
    PRIVATE_DETERMINATION = "private_determination", "Items to be considered in private"
    URGENT_ITEMS = "urgent_items", "Urgent items"
    APOLOGIES = "apologies", "Apologies for absence"
    DECLARATIONS = "declarations", "Declarations of interest"
    PUBLIC_QUESTIONS = "public_questions", "Questions from the public and the press"
    COMMUNICATIONS = "communications", "Communications"
    PREVIOUS_MINUTES = "previous_minutes", "Minutes of the previous meeting"
    FUTURE_MEETINGS = "future_meetings", "Date, time and venue of future meetings"


# Titles as the council's agendas word them (PACK:16-23). Officers can edit any of them.
STANDARD_OPENING_ITEMS = [
    (
        StandardItem.PRIVATE_DETERMINATION,
        "To determine if the following matters are to be considered under the categories "
        "suggested in accordance with the Local Government Act 1972",
    ),
    (
        StandardItem.URGENT_ITEMS,
        "To determine any item which the Chair is of the opinion should be considered "
        "as a matter of urgency",
    ),
    (StandardItem.APOLOGIES, "Apologies for absence"),
    (StandardItem.DECLARATIONS, "Declarations of interest"),
    (StandardItem.PUBLIC_QUESTIONS, "Questions from members of the public and the press"),
    (StandardItem.PREVIOUS_MINUTES, "Minutes of the previous meeting"),
]

SCHEDULE_12A_PARAGRAPHS = [
    (1, "1. Information relating to any individual"),
    (2, "2. Information which is likely to reveal the identity of an individual"),
    (3, "3. Information relating to the financial or business affairs of any particular person"),
    (
        4,
        "4. Information relating to consultations or negotiations in connection with "
        "labour relations matters",
    ),
    (5, "5. Information in respect of which a claim to legal professional privilege could be made"),
    (6, "6. Information revealing that the authority proposes to give a notice or make an order"),
    (7, "7. Information relating to the prevention, investigation or prosecution of crime"),
]


class MeetingPage(RoutablePageMixin, Page):
    """One meeting of a board, with its agenda. Lives under its board's page."""

    start = models.DateTimeField(help_text="Date and start time (UK time).")
    end = models.DateTimeField(null=True, blank=True, help_text="Expected finish (UK time).")
    venue = models.TextField(help_text="Building and address, one part per line.")
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    moved_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moved_from",
        help_text="For a meeting moved to another date: the meeting that replaces it.",
    )
    status_note = models.TextField(
        blank=True, help_text="Shown with the status, e.g. why the meeting was cancelled."
    )
    is_private = models.BooleanField(
        default=False,
        verbose_name="held in private",
        help_text="The whole meeting is closed to the public (exempt items are marked one by one).",
    )
    urgency_reason = models.TextField(
        blank=True,
        help_text=(
            "Needed when the agenda is published fewer than 5 clear days before the meeting; "
            "shown with the agenda."
        ),
    )

    content_panels = [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")], heading="When"),
        FieldPanel("venue"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("status"), FieldPanel("is_private")]),
                PageChooserPanel("moved_to", "meetings.MeetingPage"),
                FieldPanel("status_note"),
            ],
            heading="Status",
        ),
        FieldPanel("title", help_text="Left blank, it is made from the board and date."),
    ]
    agenda_panels = [
        SuggestedObligationsPanel(),
        InlinePanel("agenda_items", label="Agenda item", heading="Agenda"),
        FieldPanel("urgency_reason"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Meeting"),
            ObjectList(agenda_panels, heading="Agenda"),
            ObjectList(Page.promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )
    base_form_class = MeetingPageForm

    search_fields = Page.search_fields + [
        index.SearchField("public_agenda_text"),
        index.FilterField("start"),
        index.FilterField("status"),
    ]

    parent_page_types = ["boards.BoardPage"]
    subpage_types = ["meetings.MinutesPage"]

    class Meta:
        verbose_name = "meeting"
        ordering = ["start"]

    def __str__(self):
        return self.title

    # Dates -----------------------------------------------------------------

    @property
    def local_start(self):
        return timezone.localtime(self.start)

    @property
    def local_end(self):
        return timezone.localtime(self.end) if self.end else None

    @property
    def when(self):
        """'Wednesday 8 March 2017, 10am'."""
        return format_meeting_datetime(self.start)

    @property
    def is_upcoming(self):
        return self.start >= timezone.now()

    @property
    def is_called_off(self):
        return self.status in (
            MeetingStatus.CANCELLED,
            MeetingStatus.POSTPONED,
            MeetingStatus.MOVED,
        )

    # Publication -----------------------------------------------------------

    @property
    def agenda_published_at(self):
        return self.first_published_at

    @property
    def agenda_updated_at(self):
        """When a published agenda was last changed, if it has been since first publication."""
        if not (self.first_published_at and self.last_published_at):
            return None
        if (self.last_published_at - self.first_published_at).total_seconds() < 60:
            return None
        return self.last_published_at

    def publication_problem(self, at=None):
        """Why this agenda may not be published now, or None. See `meetings.publication`."""
        from .publication import publication_problem

        return publication_problem(self, at=at)

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = "The meeting must end after it starts."
        if self.status == MeetingStatus.MOVED and not (self.moved_to_id or self.status_note):
            errors["moved_to"] = "Choose the meeting it moved to, or say where in the status note."
        if self.moved_to_id and self.moved_to_id == self.pk:
            errors["moved_to"] = "A meeting cannot be moved to itself."
        if errors:
            raise ValidationError(errors)
        self._complete_agenda()

    def _complete_agenda(self):
        """Number unnumbered items and link 'minutes of the previous meeting' to that meeting."""
        from .agenda import number_items, previous_meeting_of

        items = list(self.agenda_items.all())
        number_items(items)
        if not (self.start and self.depth):
            return
        for item in items:
            if item.kind == StandardItem.PREVIOUS_MINUTES and not item.previous_meeting_id:
                previous = previous_meeting_of(self)
                if previous:
                    item.previous_meeting = previous

    # Search ----------------------------------------------------------------

    def public_agenda_text(self):
        """Everything the public may search for on this agenda: exempt items are left out."""
        parts = []
        for item in self.agenda_items.all():
            if item.is_exempt:
                continue
            parts.extend([item.title, item.summary, item.presenter_text])
            parts.extend(paper.title for paper in item.papers.all())
        return "\n".join(part for part in parts if part)

    # Views -----------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        from .views import meeting_context

        context = super().get_context(request, *args, **kwargs)
        context.update(meeting_context(self, request))
        return context

    @re_path(r"^calendar\.ics/?$", name="calendar")
    def calendar(self, request):
        from .calendars import meeting_calendar_response

        return meeting_calendar_response(request, meeting=self)

    @re_path(r"^agenda-pack\.docx/?$", name="agenda_pack")
    def agenda_pack(self, request):
        from .agenda_pack import agenda_pack_response

        return agenda_pack_response(request, meeting=self, members_pack=False)

    @re_path(r"^members-pack\.docx/?$", name="members_pack")
    def members_pack(self, request):
        from .agenda_pack import agenda_pack_response

        return agenda_pack_response(request, meeting=self, members_pack=True)

    @re_path(
        r"^recordings/(?P<recording_id>\d+)/"
        r"(?P<name>audio|captions\.vtt|captions\.srt|transcript\.txt)/?$",
        name="recording_file",
    )
    def recording_file(self, request, recording_id, name):
        """A published recording's audio, captions or transcript (transcription.public_views)."""
        from transcription.public_views import recording_file_response

        return recording_file_response(
            request, meeting=self, recording_id=int(recording_id), name=name
        )


class AgendaItem(ClusterableModel, Orderable):
    """One numbered item of business on a meeting's agenda."""

    meeting = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Left blank, it follows on from the item before."
    )
    sub_item = models.CharField(
        max_length=3, blank=True, help_text="A letter for a sub-item such as 10(a)."
    )
    title = models.CharField(max_length=500)
    kind = models.CharField(
        max_length=30, choices=StandardItem.choices, default=StandardItem.BUSINESS
    )
    section = models.CharField(
        max_length=20, choices=AgendaSection.choices, default=AgendaSection.DISCUSSION
    )
    presenters = ParentalManyToManyField(
        "boards.Person", blank=True, related_name="presented_items"
    )
    presenter_text = models.CharField(
        max_length=500,
        blank=True,
        help_text="The presenter line as printed, e.g. 'Presentation by Rob O'Dell, South "
        "Yorkshire Police'.",
    )
    summary = models.TextField(blank=True)
    is_verbal = models.BooleanField(default=False, help_text="A verbal item has no papers.")
    is_exempt = models.BooleanField(
        default=False,
        verbose_name="exempt",
        help_text="Exempt information under Schedule 12A: its papers are withheld from the public.",
    )
    exempt_paragraph = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=SCHEDULE_12A_PARAGRAPHS
    )
    public_interest_reason = models.TextField(
        blank=True,
        help_text="Why the public interest in withholding the information outweighs disclosing it.",
    )
    previous_meeting = models.ForeignKey(
        MeetingPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For 'minutes of the previous meeting': the meeting whose minutes these are.",
    )

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("sub_item"), FieldPanel("section")]),
        FieldPanel("title"),
        FieldPanel("kind"),
        FieldPanel("presenter_text"),
        FieldPanel("presenters"),
        FieldPanel("summary"),
        FieldPanel("is_verbal"),
        MultiFieldPanel(
            [
                FieldPanel("is_exempt"),
                FieldPanel("exempt_paragraph"),
                FieldPanel("public_interest_reason"),
            ],
            heading="Exempt information",
        ),
        PageChooserPanel("previous_meeting", "meetings.MeetingPage"),
        InlinePanel("papers", label="Paper"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "agenda item"

    def __str__(self):
        return f"{self.display_number}. {self.title}" if self.display_number else self.title

    @property
    def display_number(self):
        if self.number is None:
            return ""
        return f"{self.number}({self.sub_item})" if self.sub_item else str(self.number)

    @property
    def page_range(self):
        """(first, last) page of this item's papers in the agenda pack, or None."""
        pages = [
            (paper.page_start, paper.page_end or paper.page_start)
            for paper in self.papers.all()
            if paper.page_start
        ]
        if not pages:
            return None
        return min(p[0] for p in pages), max(p[1] for p in pages)

    @property
    def page_range_label(self):
        pages = self.page_range
        if not pages:
            return ""
        first, last = pages
        return f"Page {first}" if first == last else f"Pages {first} - {last}"

    @property
    def exempt_label(self):
        if not self.is_exempt:
            return ""
        if self.exempt_paragraph:
            return f"Exempt under paragraph {self.exempt_paragraph} of Schedule 12A"
        return "Exempt under Schedule 12A"

    def clean(self):
        super().clean()
        errors = {}
        if not (self.title or "").strip():
            errors["title"] = "Every agenda item needs a title."
        if self.is_exempt and not self.exempt_paragraph:
            errors["exempt_paragraph"] = "Say which paragraph of Schedule 12A applies."
        if self.is_exempt and not self.public_interest_reason.strip():
            errors["public_interest_reason"] = "Record the public interest test for an exempt item."
        if self.sub_item and not self.sub_item.isalpha():
            errors["sub_item"] = "A sub-item is a letter such as a or b."
        if errors:
            raise ValidationError(errors)


class AgendaPaper(Orderable):
    """A report, appendix or presentation attached to an agenda item."""

    item = ParentalKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.PROTECT, related_name="agenda_papers"
    )
    title = models.CharField(
        max_length=255, blank=True, help_text="Left blank, the document's title is used."
    )
    page_start = models.PositiveIntegerField(
        null=True, blank=True, help_text="First page in the agenda pack."
    )
    page_end = models.PositiveIntegerField(
        null=True, blank=True, help_text="Last page in the agenda pack."
    )

    panels = [
        FieldPanel("document"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("page_start"), FieldPanel("page_end")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "paper"

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        return self.title or self.document.title

    def clean(self):
        super().clean()
        if self.page_start and self.page_end and self.page_end < self.page_start:
            raise ValidationError({"page_end": "The last page cannot come before the first."})
        if self.page_end and not self.page_start:
            raise ValidationError({"page_start": "Give the first page too."})


class MeetingCalendarState(models.Model):
    """What calendar subscribers were last told about a meeting.

    Kept outside the page so that revisions never rewind it: SEQUENCE must only ever rise.
    """

    meeting = models.OneToOneField(
        MeetingPage, on_delete=models.CASCADE, primary_key=True, related_name="calendar_state"
    )
    sequence = models.PositiveIntegerField(default=0)
    fingerprint = models.CharField(max_length=64, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.meeting} (sequence {self.sequence})"


class ExemptCollection(models.Model):
    """The private collection that holds a board's exempt papers.

    Documents in it are served only to officers and the board's current members.
    """

    board = models.OneToOneField(
        "boards.BoardPage", on_delete=models.CASCADE, related_name="exempt_collection"
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection", on_delete=models.PROTECT, related_name="exempt_for"
    )

    def __str__(self):
        return f"Exempt papers of {self.board}"


# Approval and exempt papers ------------------------------------------------
# Imported here so that Django registers the task model with this app.
# Minutes, resolutions and citations: see meetings/minutes.py.
from .minutes import (  # noqa: E402, F401
    Attendance,
    Declaration,
    MinuteCitation,
    MinuteItem,
    MinuteItemTag,
    MinutesPage,
    Resolution,
)
from .workflows import AgendaApprovalTask  # noqa: E402, F401


def _secure_exempt_papers_in_draft(sender, instance, raw=False, **kwargs):
    """Move an exempt item's papers into the private collection as soon as a draft is saved."""
    if raw:
        return
    from .exempt import secure_exempt_papers_in_revision

    secure_exempt_papers_in_revision(instance)


# Connected here rather than in signals.py so that it is in place wherever the models are loaded:
# a draft must never leave an exempt paper public.
models.signals.post_save.connect(
    _secure_exempt_papers_in_draft,
    sender="wagtailcore.Revision",
    dispatch_uid="meetings.secure_exempt_papers_in_draft",
)
