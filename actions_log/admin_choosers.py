"""Choosers for the action editor: the minute, resolution and agenda item an action relates to.

Each lists only the items of the boards the officer manages, searchable by words of the heading
or text, and says which meeting each belongs to ("HWB Wednesday 11 January 2017, minute 52: …").
The widgets are not registered as the default for these models, so other editors (the minutes
editor's own agenda item field) are unchanged; the action editor passes them explicitly.
"""

from django import forms
from django.contrib.admin.utils import quote
from django.db.models import Q
from django.urls import reverse
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets.chooser import BaseChooser

from meetings.dates import format_date
from meetings.minutes import MinuteItem, Resolution
from meetings.models import AgendaItem

from .permissions import boards_managed_by


def describe_minute(minute):
    """'HWB Wednesday 11 January 2017, minute 52: Better Care Fund'."""
    minutes = minute.minutes
    meeting = minutes.meeting if minutes else None
    board = minutes.board if minutes else None
    where = " ".join(
        part
        for part in (
            (board.short_name or board.title) if board else "",
            format_date(meeting.start) if meeting else "",
        )
        if part
    )
    number = f"minute {minute.number}" if minute.number else "minute"
    return f"{where}, {number}: {minute.heading}" if where else f"{number}: {minute.heading}"


def describe_resolution(resolution):
    number = f"({resolution.number}) " if resolution.number else ""
    text = resolution.text if len(resolution.text) <= 90 else resolution.text[:89] + "…"
    return f"{describe_minute(resolution.minute)}, resolution {number}{text}"


def describe_agenda_item(item):
    """'Health and Wellbeing Board, Wednesday 8 March 2017, item 12: Care homes'."""
    meeting = item.meeting
    number = str(item.number) if item.number else ""
    if number and item.sub_item:
        number += f"({item.sub_item})"
    where = f"{meeting.title}, {format_date(meeting.start)}"
    return f"{where}, item {number}: {item.title}" if number else f"{where}: {item.title}"


class WordsFilterForm(BaseFilterForm):
    """Search by words of the heading or text in the database: exempt minutes are not in the
    search index, but officers must be able to choose them."""

    q = forms.CharField(label="Search term", required=False)
    search_fields = ()

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__icontains": query})
            objects = objects.filter(condition)
            self.is_searching = True
            self.search_query = query
        return objects


class ScopedChooseMixin:
    """The listing of a chooser: only the items of the boards the officer manages, described
    with their meeting."""

    related = ()
    ordering = ()

    def describe(self, obj):
        return str(obj)

    def scope(self, queryset, boards):
        raise NotImplementedError

    def get_object_list(self):
        queryset = self.model_class.objects.select_related(*self.related)
        return self.scope(queryset, boards_managed_by(self.request.user))

    # For the "chosen" view: an item of another board is not found.
    def get_object(self, pk):
        return self.get_object_list().get(pk=pk)

    def get_display_title(self, instance):
        return self.describe(instance)

    @property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label="Title",
                accessor=self.describe,
                get_url=lambda obj: self.append_preserved_url_parameters(
                    reverse(self.chosen_url_name, args=(quote(obj.pk),))
                ),
                link_attrs={"data-chooser-modal-choice": True},
            )
        ]


def described_widget(describe):
    """A chooser widget base that shows the chosen item as its describer writes it."""

    class DescribedChooser(BaseChooser):
        def get_display_title(self, instance):
            return describe(instance)

    return DescribedChooser


# Minutes ------------------------------------------------------------------------------------


class MinuteChooseMixin(ScopedChooseMixin):
    related = ("minutes__meeting", "minutes__board")
    ordering = ("-minutes__meeting__start", "number", "pk")
    filter_form_class = type(
        "MinuteFilterForm", (WordsFilterForm,), {"search_fields": ("heading", "narrative")}
    )

    def describe(self, obj):
        return describe_minute(obj)

    def scope(self, queryset, boards):
        return queryset.filter(minutes__board__in=boards)


class MinuteChooseView(MinuteChooseMixin, chooser_views.ChooseView):
    pass


class MinuteChooseResultsView(MinuteChooseMixin, chooser_views.ChooseResultsView):
    pass


class MinuteChosenView(MinuteChooseMixin, chooser_views.ChosenView):
    pass


class MinuteChooserViewSet(ChooserViewSet):
    model = MinuteItem
    icon = "list-ol"
    choose_one_text = "Choose a minute"
    choose_another_text = "Choose another minute"
    register_widget = False
    per_page = 20
    choose_view_class = MinuteChooseView
    choose_results_view_class = MinuteChooseResultsView
    chosen_view_class = MinuteChosenView
    base_widget_class = described_widget(describe_minute)


# Resolutions --------------------------------------------------------------------------------


class ResolutionChooseMixin(ScopedChooseMixin):
    related = ("minute__minutes__meeting", "minute__minutes__board")
    ordering = ("-minute__minutes__meeting__start", "minute__number", "number", "pk")
    filter_form_class = type(
        "ResolutionFilterForm", (WordsFilterForm,), {"search_fields": ("text", "minute__heading")}
    )

    def describe(self, obj):
        return describe_resolution(obj)

    def scope(self, queryset, boards):
        return queryset.filter(minute__minutes__board__in=boards)


class ResolutionChooseView(ResolutionChooseMixin, chooser_views.ChooseView):
    pass


class ResolutionChooseResultsView(ResolutionChooseMixin, chooser_views.ChooseResultsView):
    pass


class ResolutionChosenView(ResolutionChooseMixin, chooser_views.ChosenView):
    pass


class ResolutionChooserViewSet(ChooserViewSet):
    model = Resolution
    icon = "circle-check"
    choose_one_text = "Choose a resolution"
    choose_another_text = "Choose another resolution"
    register_widget = False
    per_page = 20
    choose_view_class = ResolutionChooseView
    choose_results_view_class = ResolutionChooseResultsView
    chosen_view_class = ResolutionChosenView
    base_widget_class = described_widget(describe_resolution)


# Agenda items -------------------------------------------------------------------------------


def agenda_items_of_boards(queryset, boards):
    """Agenda items hang off meetings, which are pages under their board in the page tree."""
    condition = Q(pk__in=[])
    for path in boards.values_list("path", flat=True):
        condition |= Q(meeting__path__startswith=path)
    return queryset.filter(condition)


class AgendaItemChooseMixin(ScopedChooseMixin):
    related = ("meeting",)
    ordering = ("-meeting__start", "sort_order", "pk")
    filter_form_class = type(
        "AgendaItemFilterForm", (WordsFilterForm,), {"search_fields": ("title",)}
    )

    def describe(self, obj):
        return describe_agenda_item(obj)

    def scope(self, queryset, boards):
        return agenda_items_of_boards(queryset, boards)


class AgendaItemChooseView(AgendaItemChooseMixin, chooser_views.ChooseView):
    pass


class AgendaItemChooseResultsView(AgendaItemChooseMixin, chooser_views.ChooseResultsView):
    pass


class AgendaItemChosenView(AgendaItemChooseMixin, chooser_views.ChosenView):
    pass


class AgendaItemChooserViewSet(ChooserViewSet):
    model = AgendaItem
    icon = "list-ul"
    choose_one_text = "Choose an agenda item"
    choose_another_text = "Choose another agenda item"
    register_widget = False
    per_page = 20
    choose_view_class = AgendaItemChooseView
    choose_results_view_class = AgendaItemChooseResultsView
    chosen_view_class = AgendaItemChosenView
    base_widget_class = described_widget(describe_agenda_item)


minute_chooser_viewset = MinuteChooserViewSet(
    "actions_log_minute_chooser", url_prefix="actions-log/choose-minute"
)
resolution_chooser_viewset = ResolutionChooserViewSet(
    "actions_log_resolution_chooser", url_prefix="actions-log/choose-resolution"
)
agenda_item_chooser_viewset = AgendaItemChooserViewSet(
    "actions_log_agenda_item_chooser", url_prefix="actions-log/choose-agenda-item"
)

CHOOSER_VIEWSETS = (minute_chooser_viewset, resolution_chooser_viewset, agenda_item_chooser_viewset)
