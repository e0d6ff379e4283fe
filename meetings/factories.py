"""Test and benchmark factories for meetings, agenda items and papers."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone
from wagtail.models import Collection

from boards.factories import BoardPageFactory

from .models import AgendaItem, AgendaPaper, MeetingPage


def london(year, month, day, hour=10, minute=0):
    """An aware datetime in Europe/London."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


class MeetingPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = MeetingPage

    title = factory.Sequence(lambda n: f"Meeting {n}")
    slug = factory.Sequence(lambda n: f"meeting-{n}")
    start = factory.Sequence(lambda n: london(2030, 1, 1) + datetime.timedelta(days=7 * n))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    venue = "Oak House, Moorhead Way, Bramley, Rotherham S66 1YY"
    parent = factory.SubFactory(BoardPageFactory)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingPageFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n}")
    section = "discussion"


class DocumentFactory(wagtail_factories.DocumentFactory):
    collection = factory.LazyFunction(Collection.get_first_root_node)
    title = factory.Sequence(lambda n: f"Report {n}")
    file = factory.django.FileField(filename="report.pdf", data=b"%PDF-1.4\n%test paper\n")


class AgendaPaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaPaper

    item = factory.SubFactory(AgendaItemFactory)
    document = factory.SubFactory(DocumentFactory)
    page_start = 1
    page_end = 2
