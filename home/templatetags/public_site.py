"""The public site's frame: service navigation, footer links and breadcrumbs.

Every public page needs the same few pages around it (home, the "Partnership boards" index, the
accessibility statement, the page's ancestors). `page_frame` fetches them all in one query and keeps
the result on the request, so the header, breadcrumbs and footer add one query per page, not one per
link.
"""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from wagtail.models import Page, Site

register = template.Library()

ACCESSIBILITY_SLUG = "accessibility"


def _empty_links():
    return {
        "home_url": "/",
        "boards_url": None,
        "boards_path": None,
        "accessibility_url": None,
        "sign_in_url": reverse("wagtailadmin_login"),
    }


def page_frame(page, request):
    """Breadcrumbs, site links and ancestors of `page` (or of no page), cached on the request.

    Returns a dict:
    - `links`: `home_url`, `boards_url`, `boards_path` (the index page's tree path, to mark the
      navigation item as current), `accessibility_url`, `sign_in_url`; a missing page gives None;
    - `breadcrumbs`: (title, url) dicts for the ancestors below the root, home first;
    - `ancestors`: those ancestors as Page objects; a board among them carries its BoardPage
      (`ancestor.boardpage`) without a further query.
    """
    key = page.pk if page is not None else None
    cache = getattr(request, "_public_site_frames", None)
    if cache is None:
        cache = request._public_site_frames = {}
    if key in cache:
        return cache[key]

    from boards.models import BoardIndexPage

    links = _empty_links()
    site = Site.find_for_request(request)
    wanted = Q(pk__in=[])
    root = None
    if site is not None:
        root = site.root_page
        board_index_type = ContentType.objects.get_for_model(BoardIndexPage)
        pages = Page.objects.all()
        wanted |= (
            pages.child_of_q(root)
            & Q(live=True)
            & (Q(content_type=board_index_type) | Q(slug=ACCESSIBILITY_SLUG))
        )
    if page is not None:
        wanted |= Page.objects.all().ancestor_of_q(page) & Q(depth__gt=1)

    ancestors = []
    for found in Page.objects.filter(wanted).select_related("boardpage").order_by("path"):
        if page is not None and page.path.startswith(found.path) and found.pk != page.pk:
            ancestors.append(found)
        if root is not None and found.depth == root.depth + 1 and found.live:
            if found.content_type_id == board_index_type.pk and not links["boards_url"]:
                links["boards_url"] = found.get_url(request)
                links["boards_path"] = found.path
            elif found.slug == ACCESSIBILITY_SLUG and not links["accessibility_url"]:
                links["accessibility_url"] = found.get_url(request)
    if root is not None:
        links["home_url"] = root.get_url(request) or "/"

    frame = {
        "links": links,
        "ancestors": ancestors,
        "breadcrumbs": [
            {
                "title": "Home" if root is not None and ancestor.pk == root.pk else ancestor.title,
                "url": ancestor.get_url(request),
            }
            for ancestor in ancestors
        ],
    }
    cache[key] = frame
    return frame


@register.simple_tag(takes_context=True)
def public_site_links(context):
    """`{% public_site_links as links %}`. Needs no request or database (the 500 page has none)."""
    request = context.get("request")
    if request is None:
        links = _empty_links()
        links["sign_in_url"] = None
        return links
    return page_frame(context.get("page"), request)["links"]


@register.simple_tag(takes_context=True)
def page_breadcrumbs(context, page):
    """`{% page_breadcrumbs page as crumbs %}`: the ancestors of the page, home first."""
    request = context.get("request")
    if page is None or request is None:
        return []
    return page_frame(page, request)["breadcrumbs"]


@register.filter
def is_within(path, section_path):
    """Whether a page's tree path lies in (or is) the section whose tree path is given."""
    return bool(path and section_path and str(path).startswith(section_path))
