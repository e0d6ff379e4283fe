"""Building minutes in tests: in code, and as the admin editor posts them."""

from django.urls import reverse
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from meetings.minutes import MinutesPage


def publish_minutes(meeting, items, attendance=()):
    """Minutes built in code and published under `meeting`, as a loader or test would."""
    minutes = MinutesPage(title="", slug="")
    minutes.minute_items = items
    minutes.attendance = list(attendance)
    meeting.add_child(instance=minutes)
    minutes.save_revision().publish()
    return MinutesPage.objects.get(pk=minutes.pk)


def draft_minutes(meeting, items, user=None):
    """Minutes saved as a draft only (never published)."""
    # A draft is saved with only minimal checks, so it needs its title and slug up front.
    minutes = MinutesPage(title=f"Minutes: {meeting.title}", slug="minutes", live=False)
    minutes.minute_items = items
    meeting.add_child(instance=minutes)
    minutes.save_revision(user=user)
    return MinutesPage.objects.get(pk=minutes.pk)


def add_url(meeting):
    return reverse("wagtailadmin_pages:add", args=("meetings", "minutespage", meeting.pk))


def edit_url(minutes):
    return reverse("wagtailadmin_pages:edit", args=(minutes.pk,))


def page_form_data(response):
    """The editor's form exactly as the browser would submit it, read from the page's HTML.

    Wagtail's querydict_from_html sends a ticked box that has no value attribute as "", which
    Django reads as unticked; a browser sends "on". The rows of the JS templates are left out.
    """
    soup = WagtailTestUtils.get_soup(response.content)
    form = soup.find("form", attrs={"id": "page-edit-form"})
    from wagtail.test.utils.form_data import _querydict_from_form

    data = _querydict_from_form(form)
    for box in form.find_all("input", type="checkbox", checked=True):
        if box.attrs.get("name") and "value" not in box.attrs:
            data.setlist(box["name"], ["on"])
    for key in [key for key in data if "__prefix__" in key]:
        del data[key]
    return data


def resolution_row(text, number="", action_line="", order=1, pk=""):
    return {
        "id": pk,
        "ORDER": order,
        "number": number,
        "text": text,
        "action_line": action_line,
    }


def declaration_row(person, nature, agenda_item="", order=1):
    return {
        "id": "",
        "ORDER": order,
        "person": person.pk,
        "agenda_item": agenda_item,
        "nature": nature,
    }


def minute_row(
    heading,
    order,
    number="",
    agenda_item=None,
    narrative="",
    resolutions=(),
    declarations=(),
    approves=None,
    pk="",
    **fields,
):
    """A minute as the editor posts it, with its nested resolutions and declarations."""
    row = {
        "id": pk,
        "ORDER": order,
        "number": number,
        "agenda_item": agenda_item.pk if agenda_item else "",
        "heading": heading,
        "narrative": narrative,
        "discussion_points": "",
        "tags": "",
        "exempt_paragraph": "",
        "approves": approves.pk if approves else "",
        "declarations": inline_formset(list(declarations)),
        "resolutions": inline_formset(
            list(resolutions), initial=len([r for r in resolutions if r.get("id")])
        ),
    }
    row.update(fields)
    return row


def attendance_row(person, order, group="member", status="present", represents=None, **fields):
    row = {
        "id": "",
        "ORDER": order,
        "person": person.pk,
        "group": group,
        "status": status,
        "represents": represents.pk if represents else "",
        "role_text": "",
    }
    row.update(fields)
    return row


def minutes_form_data(minute_rows, attendance_rows=(), initial_minutes=0, **overrides):
    """The editor's POST for minutes with these rows (new rows unless they carry an id)."""
    data = {
        "title": "",
        "slug": "",
        "apologies_note": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "attendance": inline_formset(list(attendance_rows)),
        "minute_items": inline_formset(list(minute_rows), initial=initial_minutes),
    }
    data.update(overrides)
    return nested_form_data(data)
