"""axe-core finds no WCAG 2.2 AA violations on the public pages."""

import json

import pytest

from .conftest import PAGES

pytestmark = pytest.mark.browser

# WCAG 2.0, 2.1 and 2.2 success criteria at levels A and AA (axe tags its rules by criterion).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

RUN_AXE = """
async (tags) => {
    const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
    return results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        helpUrl: violation.helpUrl,
        nodes: violation.nodes.map((node) => ({
            target: node.target.join(' '),
            html: node.html,
            summary: node.failureSummary,
        })),
    }));
}
"""


def axe_violations(page, axe_script):
    page.add_script_tag(path=str(axe_script))
    return page.evaluate(RUN_AXE, AXE_TAGS)


def describe(violations):
    """Violations as a reader wants them in a failure: rule, impact, then each offending node."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}\n      {node['html'][:200]}")
            summary = (node["summary"] or "").replace("\n", "\n        ")
            lines.append(f"        {summary}")
    return "\n".join(lines)


def assert_page_is_the_real_thing(page):
    """Guard against checking an error page: the page has its main landmark and one h1."""
    assert page.locator("main").count() == 1, "the page has no single <main> landmark"
    assert page.locator("h1").count() == 1, "the page should have exactly one <h1>"


@pytest.mark.parametrize("label", PAGES)
def test_public_page_has_no_axe_violations(label, public_site, browser_page, axe_script):
    url = public_site.url(label)
    response = browser_page.goto(url)
    assert response.status == 200, f"{label} page at {url} returned {response.status}"
    assert_page_is_the_real_thing(browser_page)

    violations = axe_violations(browser_page, axe_script)

    assert not violations, f"axe found violations on the {label} page ({url}):\n" + describe(
        violations
    )


def test_not_found_page_has_no_axe_violations(public_site, browser_page, axe_script):
    url = public_site.url("/boards/no-such-board/")
    response = browser_page.goto(url)
    assert response.status == 404
    assert_page_is_the_real_thing(browser_page)

    violations = axe_violations(browser_page, axe_script)

    assert not violations, f"axe found violations on the 404 page ({url}):\n" + describe(violations)


def test_axe_is_really_running(public_site, browser_page, axe_script):
    """The check can fail: an image without alternative text is reported on a real page."""
    browser_page.goto(public_site.url("home"))
    browser_page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
            document.querySelector('main').appendChild(img);
        }"""
    )

    violations = axe_violations(browser_page, axe_script)

    assert "image-alt" in {v["id"] for v in violations}, json.dumps(violations, indent=2)
