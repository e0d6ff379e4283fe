"""The site's home page and plain content pages such as the accessibility statement."""

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    """The front page: upcoming meetings of every board and the latest agendas."""

    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["boards.BoardIndexPage", "home.ContentPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from .views import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(self, request))
        return context


class ContentPage(Page):
    """A plain page of text, such as the accessibility statement."""

    body = RichTextField()

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    subpage_types = []
