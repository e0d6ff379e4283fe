"""With JavaScript off the pages read sensibly: content shown, links work, nothing hidden."""

import re

import pytest

from .conftest import PAGES

pytestmark = pytest.mark.browser

# Text inside <main> that the browser does not render. Content in a closed <details> is left out:
# the summary opens it without JavaScript. Visually hidden text (for screen readers) is rendered.
HIDDEN_TEXT = """
() => {
    const main = document.querySelector('main');
    const hidden = [];
    for (const el of main.querySelectorAll('*')) {
        if (['SCRIPT', 'TEMPLATE', 'STYLE', 'NOSCRIPT'].includes(el.tagName)) continue;
        const details = el.closest('details');
        if (details && !details.open && !el.closest('summary')) continue;
        const text = (el.textContent || '').trim();
        if (!text) continue;
        if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) {
            // Report only the outermost hidden element, not each of its descendants.
            if (!hidden.some((outer) => outer.contains(el))) hidden.push(el);
        }
    }
    return hidden.map((el) => el.outerHTML.slice(0, 200));
}
"""


def link_to(scope, path):
    """The first link in `scope` to `path`, whether its href is relative or absolute."""
    return scope.locator(f'a[href$="{path}"]').first


def exempt_note_of(page, title):
    """Whether the agenda item called `title` (and not a neighbour) says it is exempt."""
    return page.evaluate(
        """(title) => {
            const holds = (el) => el.textContent.includes(title);
            const leaf = [...document.querySelectorAll('main *')].find(
                (el) => holds(el) && ![...el.children].some(holds));
            for (let el = leaf; el && el.tagName !== 'MAIN'; el = el.parentElement) {
                if (/schedule 12a/i.test(el.innerText)) {
                    // The smallest block holding both must be this item, not the whole agenda.
                    return (el.innerText.match(/schedule 12a/gi) || []).length === 1;
                }
            }
            return false;
        }""",
        title,
    )


def visible_text(page, selector="main"):
    return page.locator(selector).inner_text()


def test_javascript_is_really_off(no_js_page):
    """The context under test does not run scripts, so what follows is a real no-JS check."""
    no_js_page.set_content(
        "<p id='out'>before</p><script>document.getElementById('out').textContent = 'after'"
        "</script>"
    )
    assert no_js_page.locator("#out").inner_text() == "before"


def test_the_hidden_content_check_can_fail(no_js_page):
    """Content hidden by CSS is reported; a closed <details> is not, as it opens without JS."""
    no_js_page.set_content(
        "<main><p>Shown</p><div style='display: none'>Papers for item 7</div>"
        "<details><summary>More</summary><p>Inside details</p></details></main>"
    )

    hidden = no_js_page.evaluate(HIDDEN_TEXT)

    assert hidden == ['<div style="display: none">Papers for item 7</div>']


@pytest.mark.parametrize("label", PAGES)
def test_nothing_in_main_is_hidden_without_javascript(label, public_site, no_js_page):
    url = public_site.url(label)
    response = no_js_page.goto(url)
    assert response.status == 200
    assert no_js_page.locator("h1").first.is_visible()

    hidden = no_js_page.evaluate(HIDDEN_TEXT)

    assert not hidden, f"content hidden with JavaScript off on the {label} page ({url}):\n" + (
        "\n".join(hidden)
    )


def test_meeting_page_shows_the_agenda_without_javascript(public_site, no_js_page):
    no_js_page.goto(public_site.url("meeting"))
    main = visible_text(no_js_page)

    for title in public_site.agenda_titles:
        assert title in main, f"agenda item {title!r} is not shown without JavaScript"
    assert "10(a)" in main and "10(b)" in main, "sub-items are not numbered 10(a) and 10(b)"
    assert re.search(r"exempt under paragraph 3 of Schedule 12A", main, re.IGNORECASE), main
    assert exempt_note_of(no_js_page, public_site.exempt_item_title), (
        "the exempt item does not carry its Schedule 12A note"
    )
    assert public_site.exempt_paper_title not in no_js_page.content(), (
        "the exempt item's paper is on the public page"
    )
    for title in public_site.public_paper_titles:
        link = no_js_page.get_by_role("link", name=re.compile(re.escape(title)))
        assert link.count() >= 1, f"no link to the paper {title!r}"
        assert link.first.is_visible(), f"the link to {title!r} is hidden without JavaScript"
        href = link.first.get_attribute("href")
        assert href and href.startswith(("/", "http")) and "#" not in href, href


def test_paper_link_downloads_without_javascript(public_site, no_js_page):
    no_js_page.goto(public_site.url("meeting"))
    link = no_js_page.get_by_role("link", name=re.compile("Better Care Fund update")).first

    response = no_js_page.request.get(public_site.url(link.get_attribute("href")))

    assert response.status == 200
    assert response.body().startswith(b"%PDF")


def test_cancelled_meeting_says_so_without_javascript(public_site, no_js_page):
    no_js_page.goto(public_site.url("cancelled meeting"))
    main = visible_text(no_js_page)

    assert "cancelled" in main.lower()
    assert public_site.cancellation_note in main


def test_board_page_lists_current_members_without_javascript(public_site, no_js_page):
    no_js_page.goto(public_site.url("board"))
    main = visible_text(no_js_page)

    for given_name, family_name in public_site.current_members:
        assert given_name in main and family_name in main, (
            f"member {given_name} {family_name} is not listed without JavaScript"
        )
    assert "Chair" in main
    assert "Director of Public Health" in main


def test_following_links_from_home_to_a_meeting_and_back_without_javascript(
    public_site, no_js_page
):
    page = no_js_page
    page.goto(public_site.url("home"))

    link_to(page, public_site.paths["board index"]).click()
    page.wait_for_url(public_site.url("board index"))
    assert public_site.board_title in visible_text(page)

    link_to(page, public_site.paths["board"]).click()
    page.wait_for_url(public_site.url("board"))
    assert page.locator("h1").inner_text().strip() == public_site.board_title

    link_to(page, public_site.paths["meeting"]).click()
    page.wait_for_url(public_site.url("meeting"))
    assert "Better Care Fund" in visible_text(page)

    # Back up through the breadcrumbs.
    breadcrumbs = page.locator(".govuk-breadcrumbs, nav[aria-label='Breadcrumb']").first
    assert breadcrumbs.is_visible(), "the meeting page has no breadcrumbs"
    link_to(breadcrumbs, public_site.paths["board"]).click()
    page.wait_for_url(public_site.url("board"))


def test_pagination_of_past_meetings_works_without_javascript(public_site, no_js_page):
    page = no_js_page
    page.goto(public_site.url("board"))
    before = visible_text(page, "#past-meetings")

    older = page.locator("main a[rel='next']")
    assert older.count() == 1, "the board page has no link to older meetings"
    older.click()
    page.wait_for_load_state()

    after = visible_text(page, "#past-meetings")
    assert page.url != public_site.url("board")
    assert after != before, "following the link to older meetings changed nothing"
    assert page.locator("main a[rel='prev']").count() == 1, "no way back to newer meetings"


def test_every_past_meeting_is_reachable_without_javascript(public_site, no_js_page):
    """Every past meeting can be reached from the board page by following links."""
    page = no_js_page
    board_url = public_site.url("board")
    wanted = {public_site.url(path) for path in public_site.past_meeting_paths}
    visited = set()
    found = set()
    queue = [board_url]
    # Follow the board's own links (municipal years, pagination), a bounded number of pages.
    while queue and len(visited) < 15:
        url = queue.pop(0)
        if url in visited:
            continue
        visited.add(url)
        page.goto(url)
        hrefs = page.locator("main a[href]").evaluate_all("links => links.map(a => a.href)")
        for href in hrefs:
            clean = href.split("#")[0]
            if clean in wanted:
                found.add(clean)
            elif clean.startswith(board_url + "?"):
                queue.append(clean)

    missing = sorted(wanted - found)
    assert not missing, "past meetings not reachable by links from the board page:\n" + "\n".join(
        missing
    )
