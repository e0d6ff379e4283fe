""" "My actions" in the admin, as a signed-in board member: no axe WCAG 2.2 AA violations, and an
update can be made by keyboard alone (Tab to the status, change it, submit with Enter)."""

import asyncio
import datetime
from dataclasses import dataclass

import pytest

from .conftest import _new_page, outside_playwright_loop
from .test_accessibility import axe_violations, describe

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@dataclass
class MemberSite:
    base_url: str
    username: str
    action_pk: int
    action_text: str


@pytest.fixture
def member_site(live_server, django_db_serialized_rollback):
    """A Health and Wellbeing Board member who owns two actions, one of them overdue."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.models import Page

    from actions_log.models import Action, ActionOwner, ActionStatus
    from boards.factories import (
        BoardIndexPageFactory,
        BoardPageFactory,
        MembershipFactory,
        PersonFactory,
    )
    from boards.models import BOARD_MEMBERS_GROUP

    with outside_playwright_loop():
        home = Page.objects.get(depth=2)
        index = BoardIndexPageFactory(parent=home)
        hwb = BoardPageFactory(
            parent=index, title="Health and Wellbeing Board", slug="hwb", short_name="HWB"
        )
        user = get_user_model().objects.create_user("kate", password=PASSWORD)
        user.groups.add(Group.objects.get(name=BOARD_MEMBERS_GROUP))
        kate = PersonFactory(given_name="Kate", family_name="Green", user=user)
        MembershipFactory(board=hwb, person=kate)
        overdue = Action.objects.create(
            board=hwb,
            text="Report back on the quality of care homes",
            raised_on=datetime.date(2017, 1, 11),
            due_date=datetime.date(2017, 3, 8),
        )
        later = Action.objects.create(
            board=hwb,
            text="Circulate the Better Care Fund plan",
            raised_on=datetime.date(2017, 1, 11),
            due_date=datetime.date(2099, 1, 1),
            status=ActionStatus.IN_PROGRESS,
        )
        for created in (overdue, later):
            ActionOwner.objects.create(action=created, person=kate)
        return MemberSite(live_server.url, "kate", overdue.pk, overdue.text)


@pytest.fixture
def signed_in_page(chromium_browser):
    """A page in a browser context of its own, so the sign-in never reaches other tests."""
    asyncio._set_running_loop(chromium_browser.loop)
    context = chromium_browser.browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    asyncio._set_running_loop(None)
    with _new_page(chromium_browser, context) as page:
        yield page
    asyncio._set_running_loop(chromium_browser.loop)
    context.close()
    asyncio._set_running_loop(None)


def sign_in(page, site):
    page.goto(site.base_url + "/admin/login/?next=/admin/my-actions/")
    page.fill("input[name=username]", site.username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/admin/my-actions/")


def test_my_actions_has_no_axe_violations(member_site, signed_in_page, axe_script):
    sign_in(signed_in_page, member_site)
    assert signed_in_page.locator("h1").first.inner_text().strip() == "My actions"
    assert signed_in_page.get_by_text(member_site.action_text).count() >= 1

    violations = axe_violations(signed_in_page, axe_script)

    assert not violations, "axe found violations on my actions:\n" + describe(violations)


def test_the_action_page_has_no_axe_violations(member_site, signed_in_page, axe_script):
    sign_in(signed_in_page, member_site)
    signed_in_page.goto(f"{member_site.base_url}/admin/my-actions/{member_site.action_pk}/update/")

    violations = axe_violations(signed_in_page, axe_script)

    assert not violations, "axe found violations on an action's page:\n" + describe(violations)


def test_an_update_by_keyboard_alone(member_site, signed_in_page):
    page = signed_in_page
    sign_in(page, member_site)
    status_id = f"id_action-{member_site.action_pk}-status"

    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == status_id:
            break
    else:
        pytest.fail(f"Tab never reached the status of action {member_site.action_pk}")

    # A closed <select> takes the first letters of an option.
    page.keyboard.type("Comp")
    assert page.eval_on_selector(f"#{status_id}", "el => el.value") == "completed"
    page.keyboard.press("Tab")
    page.keyboard.type("Reported to the meeting of 8 March 2017.")
    page.keyboard.press("Tab")  # the "internal" tick box, left unticked
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "/admin/my-actions/" in page.url
    assert page.get_by_text("Update saved.").count() == 1
    from actions_log.models import Action, ActionUpdate

    with outside_playwright_loop():
        action = Action.objects.get(pk=member_site.action_pk)
        update = ActionUpdate.objects.get(action=action)
        assert action.status == "completed"
        assert update.text == "Reported to the meeting of 8 March 2017."
        assert not update.is_internal


def test_my_actions_filters_work_without_javascript(member_site, no_js_page):
    """The filters are a plain GET form: sign in and filter with JavaScript off."""
    page = no_js_page
    # The shared no-JS context must not keep the session: sign out at the end.
    sign_in(page, member_site)
    try:
        page.select_option("select[name=status]", "completed")
        with page.expect_navigation():
            page.get_by_role("button", name="Apply").click()
        assert "status=completed" in page.url
        assert page.get_by_text("None of your actions match these filters.").count() == 1
        page.select_option("select[name=status]", "outstanding")
        page.check("input[name=overdue]")
        with page.expect_navigation():
            page.get_by_role("button", name="Apply").click()
        assert page.get_by_text(member_site.action_text).count() >= 1
        assert page.get_by_text("Circulate the Better Care Fund plan").count() == 0
    finally:
        page.context.clear_cookies()


def test_actions_by_board_has_no_axe_violations(member_site, signed_in_page, axe_script):
    """The officers' chart page: the SVG, its key and the table of figures."""
    from django.contrib.auth import get_user_model

    with outside_playwright_loop():
        get_user_model().objects.create_superuser("officer", password=PASSWORD)
    page = signed_in_page
    page.goto(member_site.base_url + "/admin/login/?next=/admin/reports/actions-by-board/")
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/admin/reports/actions-by-board/")
    assert page.locator("svg[role=img]").count() == 1
    page.get_by_text("Show the figures as a table").click()

    violations = axe_violations(page, axe_script)

    assert not violations, "axe found violations on actions by board:\n" + describe(violations)
