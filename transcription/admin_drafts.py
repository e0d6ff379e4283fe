"""Admin: draft minutes proposed from a recording's aligned transcript.

    drafts   /admin/recordings/<recording>/drafts/   GET: proposals by agenda item
                                                     POST action=propose: propose (again)
                                                     POST action=add: add the chosen, as edited

Each proposal shows the part of the recording it came from (a link to the item's transcript at
that time), and for an action its owners, matched or "not matched". Officers edit a proposal's
text in place and tick the ones to add; the minutes are then a draft in the page editor, never
published from here. Plain forms: works without JavaScript.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from wagtail.admin import messages

from meetings.minutes import MinutesPage

from .admin_views import AdminTemplateView, may_manage, when
from .drafting import DraftingRefused, add_to_minutes, owner_pairs, propose_minutes
from .models import DraftKind, DraftProposal, Recording, format_timestamp

KINDS = [
    (DraftKind.NARRATIVE, "Narrative"),
    (DraftKind.RESOLUTION, "Resolved"),
    (DraftKind.ACTION, "Actions"),
]
MAX_TEXT = 5000


def may_draft(user, meeting):
    return may_manage(user, meeting) and user.has_perm("transcription.add_draftproposal")


def item_transcript_url(recording_id, agenda_item_id):
    return reverse("transcription:item_transcript", args=[recording_id, agenda_item_id])


class DraftsView(AdminTemplateView):
    """Proposals for the minutes, by agenda item: edit, tick and add them to the draft."""

    template_name = "transcription/admin/drafts.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.recording = get_object_or_404(
            Recording.objects.select_related("meeting"), pk=kwargs["recording_id"]
        )

    def get_page_title(self):
        return "Draft minutes"

    def get_breadcrumbs_items(self):
        recording = self.recording
        return self.crumbs(
            (
                reverse("transcription:meeting", args=[recording.meeting_id]),
                f"Recordings of {recording.meeting.title}",
            ),
            (reverse("transcription:recording", args=[recording.pk]), recording.original_name),
        ) + [{"url": "", "label": "Draft minutes"}]

    def get_context_data(self, posted=None, **kwargs):
        context = super().get_context_data(**kwargs)
        recording = self.recording
        spans = list(recording.spans.select_related("agenda_item"))
        proposals = list(
            recording.draft_proposals.select_related("agenda_item")
            .prefetch_related("owners")
            .order_by("start", "pk")
        )
        # The segment each proposal starts at, to link to its row in the item's transcript.
        self.segment_at = dict(
            recording.segments.filter(start__in={p.start for p in proposals}).values_list(
                "start", "pk"
            )
        )
        minutes = MinutesPage.objects.filter(meeting_id=recording.meeting_id).first()
        context.update(
            recording=recording,
            meeting=recording.meeting,
            has_spans=bool(spans),
            items=self._items(spans, proposals, posted),
            has_proposals=bool(proposals),
            has_open=any(p.added_to_minutes_at is None for p in proposals),
            may_manage=may_draft(self.request.user, recording.meeting),
            minutes=minutes,
            minutes_edit_url=(
                reverse("wagtailadmin_pages:edit", args=[minutes.pk]) if minutes else ""
            ),
            alignment_url=reverse("transcription:alignment", args=[recording.pk]),
            transcript_url=reverse("transcription:transcript", args=[recording.pk]),
        )
        return context

    def _items(self, spans, proposals, posted):
        """Agenda items in agenda order, each with its proposals grouped by kind."""
        agenda_items = {span.agenda_item_id: span.agenda_item for span in spans}
        for proposal in proposals:
            agenda_items.setdefault(proposal.agenda_item_id, proposal.agenda_item)
        span_of = {span.agenda_item_id: span for span in spans}
        rows = {}
        for proposal in proposals:
            rows.setdefault(proposal.agenda_item_id, []).append(self._row(proposal, posted))
        items = []
        for item in sorted(agenda_items.values(), key=lambda i: (i.sort_order or 0, i.pk)):
            span = span_of.get(item.pk)
            item_rows = rows.get(item.pk, [])
            items.append(
                {
                    "agenda_item": item,
                    "span": span and f"{format_timestamp(span.start)}-{format_timestamp(span.end)}",
                    "transcript_url": item_transcript_url(self.recording.pk, item.pk),
                    "kinds": [
                        {"label": label, "rows": [r for r in item_rows if r["kind"] == kind]}
                        for kind, label in KINDS
                    ],
                    "count": len(item_rows),
                }
            )
        return items

    def _row(self, proposal, posted):
        pairs = owner_pairs(proposal) if proposal.kind == DraftKind.ACTION else []
        text, included = proposal.text, not proposal.added_to_minutes_at
        if posted is not None:
            text = posted["texts"].get(proposal.pk, text)
            included = proposal.pk in posted["included"]
        transcript_url = item_transcript_url(self.recording.pk, proposal.agenda_item_id)
        segment = self.segment_at.get(proposal.start)
        anchor = f"segment-{segment}" if segment else f"t={int(proposal.start)}"
        return {
            "proposal": proposal,
            "kind": proposal.kind,
            "text": text,
            "included": included,
            "added": when(proposal.added_to_minutes_at),
            "source": proposal.source_timestamps,
            "source_url": f"{transcript_url}#{anchor}",
            "owners": [person.full_name for _, person in pairs if person is not None],
            "unmatched": [heard for heard, person in pairs if person is None],
        }

    # Changes ----------------------------------------------------------------------------

    def post(self, request, *args, **kwargs):
        if not may_draft(request.user, self.recording.meeting):
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "propose":
            return self.propose(request)
        if action == "add":
            return self.add(request)
        messages.error(
            request, "Choose 'Propose draft minutes' or 'Add selected to draft minutes'."
        )
        return self.render_to_response(self.get_context_data(), status=400)

    def redirect(self):
        return HttpResponseRedirect(reverse("transcription:drafts", args=[self.recording.pk]))

    def propose(self, request):
        if not self.recording.spans.exists():
            messages.error(
                request,
                "The transcript is not aligned to the agenda yet: mark where each item starts, "
                "then propose the minutes.",
            )
            return self.render_to_response(self.get_context_data(), status=400)
        proposals = propose_minutes(self.recording, user=request.user)
        items = len({proposal.agenda_item_id for proposal in proposals})
        messages.success(
            request,
            f"{len(proposals)} sentence{'s' if len(proposals) != 1 else ''} proposed for "
            f"{items} agenda item{'s' if items != 1 else ''}. Check and edit them, then add "
            "those you want to the draft minutes.",
        )
        return self.redirect()

    def add(self, request):
        open_proposals = {
            proposal.pk: proposal
            for proposal in self.recording.draft_proposals.filter(added_to_minutes_at__isnull=True)
        }
        posted = self._posted(request, open_proposals)
        problem = self._problem(posted, open_proposals)
        if problem:
            messages.error(request, problem)
            return self.render_to_response(self.get_context_data(posted=posted), status=400)
        edited = []
        for pk, text in posted["texts"].items():
            proposal = open_proposals.get(pk)
            if proposal is not None and text and text != proposal.text:
                proposal.text = text
                edited.append(proposal)
        try:
            with transaction.atomic():
                DraftProposal.objects.bulk_update(edited, ["text"])
                chosen = [open_proposals[pk] for pk in sorted(posted["included"])]
                result = add_to_minutes(chosen, user=request.user)
        except DraftingRefused as refused:
            messages.error(request, str(refused))
            return self.render_to_response(self.get_context_data(posted=posted), status=400)
        count = len(result.added)
        messages.success(
            request,
            f"{count} proposal{'s were' if count != 1 else ' was'} added to the draft of "
            f"{result.minutes.title}"
            ". Nothing is published: check the minutes in the page editor, then "
            "publish them.",
        )
        for note in result.notes:
            messages.warning(request, note)
        return self.redirect()

    def _posted(self, request, open_proposals):
        """The officer's choices and texts as posted, kept to show again if anything is wrong."""
        included, bad = set(), []
        for value in request.POST.getlist("include"):
            try:
                included.add(int(value))
            except ValueError:
                bad.append(value)
        texts = {}
        for key, value in request.POST.items():
            if key.startswith("text-"):
                try:
                    texts[int(key[5:])] = value.strip()
                except ValueError:
                    bad.append(key)
        return {"included": included, "texts": texts, "bad": bad}

    def _problem(self, posted, open_proposals):
        if posted["bad"] or posted["included"] - open_proposals.keys():
            return (
                "Nothing was added: some of the proposals chosen are not this recording's, or "
                "were added already. Check the list below and try again."
            )
        if not posted["included"]:
            return "Nothing was added: tick the proposals to add to the minutes."
        empty = [pk for pk in posted["included"] if posted["texts"].get(pk) == ""]
        if empty:
            return "Nothing was added: a proposal you ticked is empty. Write its text or untick it."
        if any(len(text) > MAX_TEXT for text in posted["texts"].values()):
            return f"Nothing was added: a proposal is longer than {MAX_TEXT} characters."
        return ""
