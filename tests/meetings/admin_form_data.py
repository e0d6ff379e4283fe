"""POST data for the meeting editor, built from a saved meeting (as the browser would send it)."""

from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _item_data(item, order):
    return {
        "id": item.pk or "",
        "ORDER": order,
        "number": item.number if item.number is not None else "",
        "sub_item": item.sub_item,
        "section": item.section,
        "title": item.title,
        "kind": item.kind,
        "presenter_text": item.presenter_text,
        "summary": item.summary,
        "is_verbal": "on" if item.is_verbal else "",
        "is_exempt": "on" if item.is_exempt else "",
        "exempt_paragraph": item.exempt_paragraph or "",
        "public_interest_reason": item.public_interest_reason,
        "previous_meeting": item.previous_meeting_id or "",
        "papers": inline_formset(
            [
                {
                    "id": paper.pk,
                    "ORDER": n,
                    "document": paper.document_id,
                    "title": paper.title,
                    "page_start": paper.page_start or "",
                    "page_end": paper.page_end or "",
                }
                for n, paper in enumerate(item.papers.all(), start=1)
            ],
            initial=item.papers.count() if item.pk else 0,
        ),
    }


def meeting_form_data(meeting, items=None, **overrides):
    """The editor's form for `meeting` as saved, with `overrides` applied to the page fields.

    `items` replaces the agenda (a list of dicts of item fields); by default the saved agenda is
    sent back unchanged.
    """
    saved_items = list(meeting.agenda_items.all()) if meeting.pk else []
    if items is None:
        agenda = inline_formset(
            [_item_data(item, n) for n, item in enumerate(saved_items, start=1)],
            initial=len(saved_items),
        )
    else:
        agenda = inline_formset(items, initial=len([i for i in items if i.get("id")]))
    data = {
        "title": meeting.title,
        "slug": meeting.slug,
        "start": _local(meeting.start),
        "end": _local(meeting.end),
        "venue": meeting.venue,
        "status": meeting.status,
        "moved_to": meeting.moved_to_id or "",
        "status_note": meeting.status_note,
        "urgency_reason": meeting.urgency_reason,
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "agenda_items": agenda,
        "comments": inline_formset([]),
    }
    data.update(overrides)
    flat = nested_form_data(data)
    if meeting.is_private:
        flat["is_private"] = "on"
    return flat
