"""The panel on a meeting's "Agenda" tab that offers the open obligations its items could meet.

When an officer adds an agenda item to a receiving board's meeting, the obligations that an item
at this meeting could meet (not yet linked, met or waived; window around the meeting's date) are
listed with a link to link one to an item of this meeting. Kept in a module of its own with
nothing imported at load time, so meetings/models.py can use it without an import cycle.
"""

from wagtail.admin.panels import Panel


class SuggestedObligationsPanel(Panel):
    """Lists `suggested_obligations(meeting)` for officers; shows nothing on a new meeting."""

    def __init__(self, heading="Obligations this meeting could meet", **kwargs):
        super().__init__(heading=heading, **kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "suggested_obligations"

    class BoundPanel(Panel.BoundPanel):
        template_name = "boards/admin/suggested_obligations.html"

        def is_shown(self):
            from .duty_admin_views import is_duty_officer

            page = self.instance
            return bool(
                super().is_shown()
                and page is not None
                and page.pk
                and page.start
                and self.request is not None
                and is_duty_officer(self.request.user)
            )

        def suggestions(self):
            from django.urls import reverse

            from .forward_programme import suggested_obligations
            from .obligation_status import window_text

            found = []
            for obligation in suggested_obligations(self.instance):
                url = reverse("duty_obligations:obligation", args=(obligation.pk,))
                found.append(
                    {
                        "obligation": obligation,
                        "window": window_text(obligation),
                        "inside_window": obligation.inside_window,
                        "link_url": f"{url}?meeting={self.instance.pk}#link-item",
                    }
                )
            return found

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["suggestions"] = self.suggestions()
            context["meeting"] = self.instance
            return context
