"""Partnership boards, the people who sit on them and their memberships."""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, re_path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, RevisionMixin
from wagtail.search import index


class Person(RevisionMixin, index.Indexed, models.Model):
    """Someone who sits on, presents to, or supports a board.

    Contact details are for officers only: public templates never show them.
    """

    title = models.CharField(
        max_length=40, blank=True, help_text="For example Councillor, Dr, Professor."
    )
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100)
    organisation = models.CharField(max_length=200, blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True, help_text="Never shown to the public.")
    phone = models.CharField(max_length=40, blank=True, help_text="Never shown to the public.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="The sign-in account of this person, if they have one.",
    )
    needs_review = models.BooleanField(
        default=False,
        help_text="Created or matched by an import from a printed name: an officer should check.",
    )
    review_note = models.CharField(
        max_length=255,
        blank=True,
        help_text="Why the record needs checking, e.g. the printed name.",
    )

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("given_name"), FieldPanel("family_name")]),
        FieldRowPanel([FieldPanel("job_title"), FieldPanel("organisation")]),
        MultiFieldPanel(
            [FieldPanel("email"), FieldPanel("phone"), FieldPanel("user")],
            heading="Private contact details",
        ),
        MultiFieldPanel(
            [FieldPanel("needs_review"), FieldPanel("review_note")], heading="Data quality"
        ),
    ]

    search_fields = [
        index.SearchField("given_name"),
        index.SearchField("family_name"),
        index.AutocompleteField("family_name"),
        index.AutocompleteField("given_name"),
        index.SearchField("organisation"),
        index.FilterField("family_name"),
    ]

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return " ".join(part for part in (self.title, self.given_name, self.family_name) if part)

    @property
    def role_line(self):
        """Job title and organisation, as printed beside a name in an agenda or minutes."""
        return ", ".join(part for part in (self.job_title, self.organisation) if part)


class BoardIndexPage(RoutablePageMixin, Page):
    """The "Partnership boards" section: lists every board."""

    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["boards.BoardPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["boards"] = BoardPage.objects.child_of(self).live().order_by("title")
        return context

    @re_path(r"^calendar\.ics/?$", name="calendar")
    def calendar(self, request):
        from meetings.calendars import all_boards_calendar_response

        return all_boards_calendar_response(request, board_index=self)


class BoardKind(models.TextChoices):
    STATUTORY_COMMITTEE = "statutory_committee", "Statutory committee"
    STATUTORY_PARTNERSHIP = "statutory_partnership", "Statutory partnership"
    PARTNERSHIP = "partnership", "Partnership"
    SCRUTINY = "scrutiny", "Scrutiny"


class BoardPage(RoutablePageMixin, Page):
    """A partnership board, committee or scrutiny body: its remit, people and meetings."""

    short_name = models.CharField(max_length=40, help_text="For example HWB, RSAB, SRP.")
    other_names = models.TextField(
        blank=True,
        help_text="Other names the board is known by, one per line (for example HWbB, RHWBB).",
    )
    kind = models.CharField(max_length=30, choices=BoardKind.choices)
    statutory_basis = models.CharField(
        max_length=255, blank=True, help_text="For example Health and Social Care Act 2012, s194."
    )
    summary = models.TextField(blank=True, help_text="One or two sentences on what the board does.")
    terms_of_reference = RichTextField(blank=True)
    reports_to = ParentalManyToManyField(
        "self", blank=True, symmetrical=False, related_name="reported_to_by"
    )
    cadence = models.CharField(
        max_length=255, blank=True, help_text="For example: about every two months, on Wednesdays."
    )
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    municipal_year_start_month = models.PositiveSmallIntegerField(
        default=5,
        choices=[(m, datetime.date(2000, m, 1).strftime("%B")) for m in range(1, 13)],
        help_text="The month the board's municipal year starts (May for most councils).",
    )
    minute_numbering = models.CharField(
        max_length=20,
        choices=[
            ("municipal_year", "Across meetings, restarting each municipal year"),
            ("per_meeting", "From 1 at each meeting"),
        ],
        default="municipal_year",
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("short_name"), FieldPanel("kind")]),
        FieldPanel("other_names"),
        FieldPanel("summary"),
        FieldPanel("statutory_basis"),
        FieldPanel("terms_of_reference"),
        FieldPanel("reports_to", widget=forms.CheckboxSelectMultiple),
        FieldPanel("cadence"),
        FieldRowPanel([FieldPanel("municipal_year_start_month"), FieldPanel("minute_numbering")]),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading="Public contact",
        ),
    ]
    membership_panels = [InlinePanel("memberships", label="Membership")]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="About"),
            ObjectList(membership_panels, heading="Members"),
            ObjectList(Page.promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("short_name"),
        index.SearchField("other_names"),
        index.SearchField("summary"),
        index.FilterField("kind"),
    ]

    parent_page_types = ["boards.BoardIndexPage"]
    subpage_types = ["meetings.MeetingPage"]

    class Meta:
        verbose_name = "board"

    @property
    def alias_list(self):
        return [line.strip() for line in self.other_names.splitlines() if line.strip()]

    def municipal_year_of(self, day):
        """The first calendar year of the municipal year that `day` falls in."""
        return day.year if day.month >= self.municipal_year_start_month else day.year - 1

    def municipal_year_bounds(self, start_year):
        """The first moment of the municipal year and of the next one, in UK time."""
        start = datetime.datetime(start_year, self.municipal_year_start_month, 1)
        end = datetime.datetime(start_year + 1, self.municipal_year_start_month, 1)
        return timezone.make_aware(start), timezone.make_aware(end)

    def municipal_year_label(self, start_year):
        if self.municipal_year_start_month == 1:
            return str(start_year)
        return f"{start_year}/{str(start_year + 1)[-2:]}"

    def current_memberships(self, on=None):
        on = on or timezone.localdate()
        return (
            self.memberships.filter(
                models.Q(start_date__isnull=True) | models.Q(start_date__lte=on),
                models.Q(end_date__isnull=True) | models.Q(end_date__gte=on),
            )
            .select_related("person", "represents")
            .order_by("sort_order", "pk")
        )

    def get_context(self, request, *args, **kwargs):
        from .views import board_context

        context = super().get_context(request, *args, **kwargs)
        context.update(board_context(self, request))
        return context

    @re_path(r"^calendar\.ics/?$", name="calendar")
    def calendar(self, request):
        from meetings.calendars import board_calendar_response

        return board_calendar_response(request, board=self)

    @re_path(r"^actions/$", name="actions")
    def action_log(self, request):
        from actions_log.public_views import action_log_response

        return action_log_response(request, board=self)

    @re_path(r"^actions\.csv/?$", name="actions_csv")
    def action_log_csv(self, request):
        from actions_log.public_views import action_log_csv_response

        return action_log_csv_response(request, board=self)

    @re_path(r"^actions\.docx/?$", name="actions_docx")
    def action_log_docx(self, request):
        from actions_log.public_views import action_log_docx_response

        return action_log_docx_response(request, board=self)

    @re_path(r"^plans/(?P<slug>[-\w]+)/$", name="action_plan")
    def action_plan(self, request, slug):
        try:
            from actions_log.plan_views import plan_response
        except ImportError as error:
            # Until action plans have public pages, their addresses are simply not found.
            if error.name != "actions_log.plan_views":
                raise
            raise Http404("Action plans are not published yet.") from None
        return plan_response(request, board=self, slug=slug)


class MembershipRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"
    INDEPENDENT_CHAIR = "independent_chair", "Independent chair"
    CO_CHAIR = "co_chair", "Co-chair"
    MEMBER = "member", "Member"
    SUBSTITUTE = "substitute", "Substitute"
    CO_OPTEE = "co_optee", "Co-opted member"
    OFFICER = "officer", "Officer"
    OBSERVER = "observer", "Observer"


# The order in which roles are listed on a board page.
ROLE_ORDER = [choice for choice, _ in MembershipRole.choices]


class Membership(Orderable):
    """A person's seat on a board for a period. Ended memberships are kept, not deleted."""

    board = ParentalKey(BoardPage, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=30, choices=MembershipRole.choices, default="member")
    seat = models.CharField(
        max_length=200,
        blank=True,
        help_text="The statutory or nominated seat this fills, e.g. Director of Public Health.",
    )
    represents = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="substituted_by",
        help_text="For a substitute: the member they stand in for.",
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("person"), FieldPanel("role")]),
        FieldRowPanel([FieldPanel("seat"), FieldPanel("represents")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "membership"

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "A membership cannot end before it starts."})
        if self.role == MembershipRole.SUBSTITUTE and not self.represents_id:
            raise ValidationError({"represents": "Say which member this substitute represents."})
        if self.represents_id and self.represents_id == self.person_id:
            raise ValidationError({"represents": "A person cannot substitute for themselves."})

    @property
    def is_current(self):
        today = timezone.localdate()
        return (self.start_date is None or self.start_date <= today) and (
            self.end_date is None or self.end_date >= today
        )


# Roles in the admin. The groups are created by migration boards 0002; code finds them by name.
DEMOCRATIC_SERVICES_GROUP = "Democratic services"
BOARD_MEMBERS_GROUP = "Board members"

# Duties between boards live in their own module; imported here so Django finds the models.
from .duties import (  # noqa: E402, F401
    Duty,
    DutyEvent,
    DutyParty,
    ForwardPlanItem,
    Obligation,
    ObligationStatusChange,
)
