"""Minutes of a meeting: attendance, numbered minute items, declarations and resolutions.

The minutes are a page under their meeting, with a lifecycle of their own:
draft (not live) -> published as "draft minutes, not yet approved" -> approved as a correct record
when a later meeting's minutes, once published, record that approval against one of their minute
items (`MinuteItem.approves`). The status is derived from that link, never stored.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
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
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from .minutes_forms import MinutesPageForm


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft, not published"
    UNAPPROVED = "unapproved", "Draft minutes, not yet approved"
    APPROVED = "approved", "Approved as a correct record"


class AttendanceGroup(models.TextChoices):
    MEMBER = "member", "Members"
    SUBSTITUTE = "substitute", "Substitutes"
    PRESENTER = "presenter", "Report presenters"
    OFFICER = "officer", "Officers"
    OBSERVER = "observer", "Observers"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


class MinutesQuerySet(PageQuerySet):
    def with_approval(self):
        """Annotate `is_approved`: a published minute of a later meeting approves them."""
        approvals = MinuteItem.objects.filter(approves=OuterRef("pk"), minutes__live=True)
        return self.annotate(is_approved=Exists(approvals))


class MinutesPageManager(PageManager.from_queryset(MinutesQuerySet)):
    pass


class MinutesPage(RoutablePageMixin, Page):
    """The minutes of one meeting. Lives under its MeetingPage; one per meeting."""

    meeting = models.OneToOneField(
        "meetings.MeetingPage",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="minutes_record",
    )
    board = models.ForeignKey(
        "boards.BoardPage",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="minutes_pages",
    )
    apologies_note = models.TextField(
        blank=True,
        help_text="The apologies paragraph as it should be printed, if not built from attendance.",
    )

    content_panels = [
        FieldPanel("title", help_text="Left blank, it is made from the meeting."),
        InlinePanel("attendance", label="Attendee", heading="Attendance"),
        FieldPanel("apologies_note"),
    ]
    minute_panels = [InlinePanel("minute_items", label="Minute", heading="Minutes")]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Attendance"),
            ObjectList(minute_panels, heading="Minutes"),
            ObjectList(Page.promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )

    search_fields = Page.search_fields + [index.SearchField("public_minutes_text")]

    @classmethod
    def get_indexed_objects(cls):
        # public_minutes_text reads every minute and its resolutions: fetch them with the pages.
        return super().get_indexed_objects().prefetch_related("minute_items__resolutions")

    parent_page_types = ["meetings.MeetingPage"]
    subpage_types = []
    base_form_class = MinutesPageForm

    objects = MinutesPageManager()

    class Meta:
        verbose_name = "minutes"
        verbose_name_plural = "minutes"

    @classmethod
    def can_create_at(cls, parent):
        # One set of minutes per meeting.
        return super().can_create_at(parent) and not parent.get_children().type(cls).exists()

    def _attach_to_meeting(self):
        if self.meeting_id or not self.depth or self.depth < 2:
            return
        parent = self.get_parent().specific
        self.meeting = parent
        self.board_id = parent.get_parent().pk

    def full_clean(self, *args, **kwargs):
        if not self.title and self.depth:
            self.title = f"Minutes: {self.get_parent().title}"
        if not self.slug:
            self.slug = "minutes"
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        self._attach_to_meeting()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.meeting_id:
            kwargs["update_fields"] = list({*update_fields, "meeting", "board"})
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        # The editor checks every rule on what the officer is about to save; while it validates,
        # the instance still holds the minutes as they were, so they are not checked here.
        if getattr(self, "_rules_checked_by_form", False):
            return
        from .minute_rules import check_minutes

        check_minutes(self)

    @property
    def status(self):
        if not self.live:
            return MinutesStatus.DRAFT
        approved = getattr(self, "is_approved", None)
        if approved is None:
            approved = self.approvals.filter(minutes__live=True).exists()
        return MinutesStatus.APPROVED if approved else MinutesStatus.UNAPPROVED

    @property
    def status_label(self):
        return MinutesStatus(self.status).label

    @property
    def corrected_at(self):
        """When published minutes were last corrected, if they have been since first publication.

        Every correction is a new revision; the public page says the minutes were corrected.
        """
        if not (self.first_published_at and self.last_published_at):
            return None
        if (self.last_published_at - self.first_published_at).total_seconds() < 60:
            return None
        return self.last_published_at

    def approving_minute(self):
        """The published minute item of a later meeting that approved these minutes, if any."""
        return (
            self.approvals.filter(minutes__live=True)
            .select_related("minutes", "minutes__meeting")
            .first()
        )

    def public_minutes_text(self):
        """Everything the public may search for in these minutes: exempt minutes are left out."""
        parts = []
        for item in self.minute_items.all():
            if item.is_exempt:
                continue
            parts.extend([item.heading, item.narrative, item.discussion_points])
            parts.extend(resolution.text for resolution in item.resolutions.all())
        return "\n".join(part for part in parts if part)

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if getattr(request, "exempt_minutes_shown", False):
            # Exempt text was shown to an allowed reader: no shared cache may keep this copy.
            from .minutes_views import keep_private

            keep_private(response)
        return response

    def get_context(self, request, *args, **kwargs):
        from .minutes_views import minutes_context

        context = super().get_context(request, *args, **kwargs)
        context.update(minutes_context(self, request))
        return context

    @re_path(r"^minutes\.docx/?$", name="word")
    def word(self, request):
        from .minutes_document import minutes_document_response

        return minutes_document_response(request, minutes=self)

    @re_path(r"^print/$", name="print")
    def print_view(self, request):
        from .minutes_views import minutes_print_response

        return minutes_print_response(request, minutes=self)


class Attendance(Orderable):
    """One person's attendance at a meeting, in the group the minutes list them under."""

    minutes = ParentalKey(MinutesPage, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        "boards.Person", on_delete=models.PROTECT, related_name="attendance_records"
    )
    group = models.CharField(
        max_length=20, choices=AttendanceGroup.choices, default=AttendanceGroup.MEMBER
    )
    status = models.CharField(
        max_length=20, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT
    )
    represents = models.ForeignKey(
        "boards.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For a substitute: the member they represent.",
    )
    role_text = models.CharField(
        max_length=255, blank=True, help_text="As printed, e.g. 'Public Health, RMBC'."
    )
    in_the_chair = models.BooleanField(default=False)

    panels = [
        FieldRowPanel([FieldPanel("person"), FieldPanel("group"), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("represents"), FieldPanel("in_the_chair")]),
        FieldPanel("role_text"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "attendance"
        verbose_name_plural = "attendance"

    def __str__(self):
        return f"{self.person} ({self.get_status_display()})"

    def clean(self):
        super().clean()
        if self.group == AttendanceGroup.SUBSTITUTE and not self.represents_id:
            raise ValidationError({"represents": "Say which member this substitute represents."})
        if self.represents_id and self.represents_id == self.person_id:
            raise ValidationError({"represents": "A person cannot represent themselves."})


class MinuteItemTag(TaggedItemBase):
    """Topic tags of a minute; shared across boards so residents can follow a topic."""

    content_object = ParentalKey(
        "meetings.MinuteItem", on_delete=models.CASCADE, related_name="tagged_items"
    )


class MinuteItem(ClusterableModel, Orderable):
    """One numbered minute: what was said and resolved about an item of business."""

    minutes = ParentalKey(MinutesPage, on_delete=models.CASCADE, related_name="minute_items")
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="minute_items",
    )
    number = models.PositiveIntegerField(
        null=True, blank=True, help_text="Left blank, it follows the board's sequence."
    )
    heading = models.CharField(max_length=500)
    narrative = models.TextField(
        blank=True,
        help_text="Paragraphs separated by blank lines. 'Minute No. 36(2)' links to that minute.",
    )
    discussion_points = models.TextField(blank=True, help_text="One point per line.")
    is_exempt = models.BooleanField(default=False, verbose_name="exempt")
    exempt_paragraph = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=[(n, f"Paragraph {n}") for n in range(1, 8)]
    )
    # SET_NULL, not PROTECT: deleting a meeting or board must never fail with a server error;
    # the admin refuses to delete approved minutes instead (meetings/minutes_admin.py).
    approves = models.ForeignKey(
        MinutesPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approvals",
        help_text=(
            "For 'minutes of the previous meeting': the minutes approved as a correct record."
        ),
    )
    tags = ClusterTaggableManager(through=MinuteItemTag, blank=True, verbose_name="topics")

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("agenda_item")]),
        FieldPanel("heading"),
        FieldPanel("narrative"),
        FieldPanel("discussion_points"),
        InlinePanel("declarations", label="Declaration of interest"),
        InlinePanel("resolutions", label="Resolution"),
        FieldPanel("tags"),
        MultiFieldPanel(
            [FieldPanel("is_exempt"), FieldPanel("exempt_paragraph")], heading="Exempt information"
        ),
        PageChooserPanel("approves", "meetings.MinutesPage"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "minute"

    def __str__(self):
        return f"{self.number}. {self.heading}" if self.number else self.heading

    @property
    def discussion_point_list(self):
        return [line.strip(" -•\t") for line in self.discussion_points.splitlines() if line.strip()]

    @property
    def paragraphs(self):
        return [p.strip() for p in self.narrative.split("\n\n") if p.strip()]

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
        if not (self.heading or "").strip():
            errors["heading"] = "Every minute needs a heading."
        if self.is_exempt and not self.exempt_paragraph:
            errors["exempt_paragraph"] = "Say which paragraph of Schedule 12A applies."
        if errors:
            raise ValidationError(errors)


class Declaration(Orderable):
    """A declaration of interest: who declared it, on which item, and its nature."""

    minute = ParentalKey(MinuteItem, on_delete=models.CASCADE, related_name="declarations")
    person = models.ForeignKey("boards.Person", on_delete=models.PROTECT, related_name="+")
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nature = models.TextField(
        help_text="For example: 'personal interest: her husband works there'."
    )

    panels = [
        FieldRowPanel([FieldPanel("person"), FieldPanel("agenda_item")]),
        FieldPanel("nature"),
    ]

    def __str__(self):
        return f"{self.person}: {self.nature}"


class Resolution(index.Indexed, Orderable):
    """A numbered resolution of a minute: a decision of the board, public once published.

    In the search index only while it is a public decision (see `get_indexed_objects`); the
    publishing signals in meetings/signals.py add and withdraw it.
    """

    minute = ParentalKey(MinuteItem, on_delete=models.CASCADE, related_name="resolutions")
    number = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="(1), (2)… within the minute; left blank, it is the next."
    )
    text = models.TextField(help_text="For example: 'That the report be noted.'")
    action_line = models.CharField(
        max_length=500,
        blank=True,
        help_text="As printed after the resolution, e.g. 'Action: Kate Green'.",
    )

    panels = [FieldRowPanel([FieldPanel("number")]), FieldPanel("text"), FieldPanel("action_line")]

    search_fields = [
        index.SearchField("text"),
        index.SearchField("action_line"),
        # The minute's heading and topics, so "Better Care Fund" or "carers" finds the decision.
        index.RelatedFields(
            "minute",
            [
                index.SearchField("heading"),
                index.RelatedFields("tags", [index.SearchField("name")]),
            ],
        ),
        # The public search narrows decisions to public minutes by these.
        index.FilterField("number"),
        index.FilterField("minute"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "resolution"

    @classmethod
    def get_indexed_objects(cls):
        """Decisions only: resolutions of non-exempt minutes of live minutes, meeting and board.

        Exempt minutes and unpublished minutes never enter the index, whoever saves them.
        """
        return (
            super()
            .get_indexed_objects()
            .filter(
                minute__is_exempt=False,
                minute__minutes__live=True,
                minute__minutes__meeting__live=True,
                minute__minutes__board__live=True,
            )
            .prefetch_related("minute__tags")
        )

    def __str__(self):
        return f"({self.number}) {self.text}" if self.number else self.text


class MinuteCitation(models.Model):
    """A link from a published minute to an earlier minute it cites ("Minute No. 36(2)").

    Rebuilt from the narrative each time the minutes are published.
    """

    citing = models.ForeignKey(MinuteItem, on_delete=models.CASCADE, related_name="citations")
    cited = models.ForeignKey(MinuteItem, on_delete=models.CASCADE, related_name="cited_by")
    resolution_number = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.CharField(max_length=100)

    def __str__(self):
        return self.text
