from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from boards.duty_calendar import duties_calendar
from boards.duty_views import duties_page

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("decisions/", include("meetings.decision_urls")),
    path("search/", include("home.search_urls")),
    # Duties between boards; before the pages' file route below, which would take the .ics.
    path("duties/", duties_page, name="duties"),
    path("duties/calendar.ics", duties_calendar, name="duties_calendar"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Wagtail's page pattern allows no dot in a path, so the pages' file routes (calendar.ics,
    # agenda-pack.docx, actions.csv, a recording's captions.vtt) get a pattern of their own to the
    # same view: page routing, view restrictions and the before_serve_page hooks apply to them as
    # to any page.
    re_path(r"^((?:[\w\-]+/)*[\w\-]+\.(?:ics|docx|csv|vtt|srt|txt))$", wagtail_views.serve),
    path("", include(wagtail_urls)),
]
