from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("decisions/", include("meetings.decision_urls")),
    path("search/", include("home.search_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Wagtail's page pattern allows no dot in a path, so the pages' file routes (calendar.ics,
    # agenda-pack.docx) get a pattern of their own to the same view: page routing, view
    # restrictions and the before_serve_page hooks apply to them as to any page.
    re_path(r"^((?:[\w\-]+/)*[\w\-]+\.(?:ics|docx))$", wagtail_views.serve),
    path("", include(wagtail_urls)),
]
