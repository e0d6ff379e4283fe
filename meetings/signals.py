"""Side effects of publishing a meeting: calendar sequence numbers, exempt papers and search."""

from django.dispatch import receiver
from wagtail.search import index
from wagtail.search.backends import get_search_backends
from wagtail.signals import page_published, page_unpublished

from boards.models import BoardPage

from .models import MeetingPage, MinutesPage, Resolution


@receiver(page_published, sender=MeetingPage)
def meeting_published(sender, instance, **kwargs):
    from .calendars import record_calendar_change
    from .exempt import secure_exempt_papers

    secure_exempt_papers(instance)
    record_calendar_change(instance)
    # The page row is indexed as it is saved, before its agenda items are; index it again now
    # that the items are in place, so that the public agenda text is searchable.
    index.insert_or_update_object(instance)
    # Republished after being withdrawn, its minutes' decisions are public again.
    reindex_decisions(instance)


@receiver(page_published, sender=MinutesPage)
def minutes_published(sender, instance, **kwargs):
    from .minute_rules import record_citations

    record_citations(instance)
    index.insert_or_update_object(instance)
    # Every resolution is saved again on publishing, in whatever order; index the decisions once
    # the minutes are complete, and take out any whose minute has become exempt.
    reindex_decisions(instance, refresh=True)


@receiver(page_published, sender=BoardPage)
def board_published(sender, instance, **kwargs):
    reindex_decisions(instance)


@receiver(page_unpublished, sender=BoardPage)
@receiver(page_unpublished, sender=MeetingPage)
@receiver(page_unpublished, sender=MinutesPage)
def withdrawn_from_public(sender, instance, **kwargs):
    # The pages stay in the index for the admin's search (the public search asks only for live
    # pages), but a decision is indexed only while it is public: take these minutes' out.
    reindex_decisions(instance)


def reindex_decisions(page, refresh=False):
    """Bring the search index into line with which resolutions under `page` are public decisions.

    Public decisions (`Resolution.get_indexed_objects`) go in; every other resolution of the
    minutes at or below `page` (of an exempt minute; of minutes, a meeting or a board no longer
    live) comes out, so that nothing withheld or withdrawn stays searchable. With `refresh`, the
    public ones are indexed again whatever the index holds (their text may have changed);
    otherwise only those missing from it are added, so republishing a board with years of
    minutes costs a few queries.
    """
    resolutions = Resolution.objects.filter(minute__minutes__path__startswith=page.path)
    public = Resolution.get_indexed_objects().filter(pk__in=resolutions.values("pk"))
    withdrawn = resolutions.exclude(pk__in=public.values("pk"))
    if not refresh:
        # `index_entries` is the database search backend's relation to its index rows.
        public = public.filter(index_entries__isnull=True)
        withdrawn = withdrawn.filter(index_entries__isnull=False).distinct()
    public = list(public)
    withdrawn = list(withdrawn)
    for backend in get_search_backends(with_auto_update=True):
        if public:
            backend.add_bulk(Resolution, public)
        for resolution in withdrawn:
            backend.delete(resolution)
