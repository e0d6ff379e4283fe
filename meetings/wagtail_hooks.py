"""Admin hooks for meetings: the clear-days rule on every way of publishing, and exempt papers."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from wagtail import hooks
from wagtail.admin import messages
from wagtail.documents.models import document_served
from wagtail.models import Page

from .exempt import board_of_exempt_document, user_may_see_exempt
from .models import MeetingPage
from .publication import publication_problem, publication_time


@hooks.register("before_publish_page")
def refuse_late_agenda(request, page):
    """Refuse to publish a late agenda that has no reason for urgency.

    The edit and create views have already saved the revision when this runs, so the officer's
    changes are kept as a draft; they are sent back to the editor with the reason.
    """
    if not isinstance(page, MeetingPage):
        return None
    problem = publication_problem(page, at=publication_time(page))
    if problem is None:
        return None
    match = request.resolver_match
    if match is not None and match.url_name == "add" and page.live:
        # The add view saves a new page as live before it asks this hook; take it back to a
        # draft so that the refused agenda is kept but not shown.
        Page.objects.filter(pk=page.pk).update(live=False, has_unpublished_changes=True)
        page.live = False
    messages.error(request, problem)
    return redirect("wagtailadmin_pages:edit", page.pk)


def _late_meetings(pages, include_descendants):
    """The meetings among (and, if asked, below) `pages` whose publishing now would be late."""
    meetings = [page for page in pages if page.specific_class is MeetingPage]
    if include_descendants:
        for page in pages:
            meetings.extend(
                MeetingPage.objects.descendant_of(page)
                .not_live()
                .exclude(pk__in=[m.pk for m in meetings])
            )
    late = []
    for meeting in meetings:
        draft = meeting.specific.get_latest_revision_as_object()
        if publication_problem(draft, at=publication_time(draft)):
            late.append(draft)
    return late


@hooks.register("before_bulk_action")
def refuse_late_agendas_in_bulk(request, action_type, objects, action_class_instance):
    """Bulk publishing from the page listing obeys the same rule, for the whole selection."""
    if action_type != "publish" or not objects or not hasattr(objects[0], "specific_class"):
        return None
    form = getattr(action_class_instance, "cleaned_form", None)
    include_descendants = bool(form and form.cleaned_data.get("include_descendants"))
    late = _late_meetings(objects, include_descendants)
    if not late:
        return None
    titles = ", ".join(meeting.get_admin_display_title() for meeting in late)
    messages.error(
        request,
        f"Nothing was published. These agendas would be published fewer than 5 clear days "
        f"before their meetings and have no reason for urgency: {titles}. Open each one, "
        "record the chair's reason for urgency, and publish it from its editor.",
    )
    next_url = action_class_instance.next_url
    if next_url == request.path:
        # Without a "next" address Wagtail falls back to this very URL, which without the
        # selection would be a 404: go back to the listing the pages were chosen from.
        next_url = reverse("wagtailadmin_explore", args=(objects[0].get_parent().pk,))
    return redirect(next_url)


@hooks.register("before_serve_document")
def protect_exempt_papers(document, request):
    """Serve an exempt paper only to people allowed to see its board's exempt papers."""
    is_exempt, board = board_of_exempt_document(document)
    if not is_exempt:
        return None
    if user_may_see_exempt(request.user, board):
        return serve_privately(document, request)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    raise PermissionDenied(
        "This paper is exempt from publication. Only the board's members and democratic "
        "services can open it."
    )


def serve_privately(document, request):
    """The file itself, marked so that no shared cache or search engine keeps it.

    Wagtail only lets this hook return a plain HttpResponse (not a streaming one), so the paper
    is read into memory: papers are limited to PAPER_MAX_UPLOAD_BYTES and exempt ones are few.
    """
    with document.open_file() as paper:
        content = paper.read()
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = document.content_disposition
    # The same protections Wagtail gives every served document.
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ["Cookie"])
    response["X-Robots-Tag"] = "noindex, nofollow"
    document_served.send(sender=type(document), instance=document, request=request)
    return response


# Minutes: approved minutes are not deleted; the dashboard lists minutes awaiting approval.
from . import minutes_admin  # noqa: E402, F401
