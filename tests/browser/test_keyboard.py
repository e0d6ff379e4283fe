"""A keyboard user can reach everything: skip link first, every link and control, visible focus."""

import pytest

from .conftest import PAGES

pytestmark = pytest.mark.browser

FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])'

# Numbers every visible focusable element and records how it looks unfocused, so that each Tab
# can be matched to an element and its focused look compared with its resting one.
MARK_FOCUSABLES = """
(selector) => {
    const visible = (el) =>
        !el.disabled && !el.closest('[inert]') &&
        el.checkVisibility({visibilityProperty: true, opacityProperty: true});
    const elements = [...document.querySelectorAll(selector)].filter(visible);
    return elements.map((el, index) => {
        el.setAttribute('data-keyboard-test', String(index));
        const style = getComputedStyle(el);
        return {
            index,
            description: describe(el),
            outline: [style.outlineStyle, style.outlineWidth, style.outlineColor].join(' '),
            boxShadow: style.boxShadow,
            background: style.backgroundColor,
        };
    });
    function describe(el) {
        const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim();
        const href = el.getAttribute('href');
        return `<${el.tagName.toLowerCase()}${href ? ` href="${href}"` : ''}> ${text.slice(0, 60)}`;
    }
}
"""

ACTIVE_ELEMENT = """
() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const style = getComputedStyle(el);
    return {
        index: el.getAttribute('data-keyboard-test'),
        tag: el.tagName.toLowerCase(),
        text: (el.innerText || el.value || '').trim(),
        href: el.getAttribute('href'),
        outline: [style.outlineStyle, style.outlineWidth, style.outlineColor].join(' '),
        outlineVisible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 &&
            !['transparent', 'rgba(0, 0, 0, 0)'].includes(style.outlineColor),
        boxShadow: style.boxShadow,
        background: style.backgroundColor,
    };
}
"""


def tab_through(page):
    """Press Tab from the top of the page until focus leaves the page or comes round again."""
    focusables = page.evaluate(MARK_FOCUSABLES, FOCUSABLE)
    stops = []
    seen = set()
    for _ in range(len(focusables) + 20):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE_ELEMENT)
        if active is None:
            break
        key = active["index"] if active["index"] is not None else repr(active)
        if key in seen:
            break
        seen.add(key)
        stops.append(active)
    return focusables, stops


def has_focus_indicator(resting, focused):
    """A focused element shows an outline, or its box shadow or background changes (GOV.UK)."""
    return (
        focused["outlineVisible"]
        or (focused["boxShadow"] != "none" and focused["boxShadow"] != resting["boxShadow"])
        or focused["background"] != resting["background"]
    )


def skip_link_problems(page, stops):
    """Why the first Tab does not land on a working "Skip to main content" link, if it does not."""
    if not stops:
        return ["pressing Tab focuses nothing"]
    first = stops[0]
    if first["text"] != "Skip to main content":
        return [f"the first Tab lands on {first['tag']} {first['text'][:60]!r}, not the skip link"]
    href = first["href"] or ""
    if not href.startswith("#"):
        return [f"the skip link goes to {href!r}, not to an element on the page"]
    target = page.locator(f"[id='{href[1:]}']")
    if target.count() != 1:
        return [f"the skip link's target {href} is not on the page"]
    if not target.evaluate("el => el.tagName === 'MAIN' || !!el.closest('main')"):
        return [f"the skip link leads to {target.evaluate('el => el.outerHTML')[:100]}, not <main>"]
    return []


def unreached(focusables, stops):
    reached = {stop["index"] for stop in stops}
    return [
        f"Tab never reaches {f['description']}"
        for f in focusables
        if str(f["index"]) not in reached
    ]


def without_focus_indicator(focusables, stops):
    resting = {str(f["index"]): f for f in focusables}
    return [
        f"no visible focus on {stop['tag']} {stop['text'][:60]!r} (outline {stop['outline']}, "
        f"box-shadow {stop['boxShadow']}, background {stop['background']})"
        for stop in stops
        if stop["index"] in resting and not has_focus_indicator(resting[stop["index"]], stop)
    ]


@pytest.mark.parametrize("label", PAGES)
def test_keyboard_user_reaches_everything_from_the_skip_link_on(label, public_site, browser_page):
    """First Tab: the skip link into <main>; then every visible link and control, each visibly."""
    url = public_site.url(label)
    response = browser_page.goto(url)
    assert response.status == 200, f"{label} page at {url} returned {response.status}"

    focusables, stops = tab_through(browser_page)

    assert len(focusables) > 3, f"the {label} page has almost nothing to focus: {focusables}"
    problems = (
        skip_link_problems(browser_page, stops)
        + unreached(focusables, stops)
        + without_focus_indicator(focusables, stops)
    )
    assert not problems, f"keyboard problems on the {label} page ({url}):\n" + "\n".join(problems)


def test_the_checks_notice_an_unreachable_link_and_a_hidden_focus(public_site, browser_page):
    """The checks can fail: a link out of the tab order, and a link whose focus style is removed."""
    browser_page.goto(public_site.url("home"))
    browser_page.evaluate(
        """() => {
            const link = document.createElement('a');
            link.href = '/somewhere/';
            link.textContent = 'Unreachable link';
            link.tabIndex = -1;
            document.querySelector('main').appendChild(link);
            const style = document.createElement('style');
            style.textContent = '.govuk-skip-link:focus { outline: none !important; ' +
                'box-shadow: none !important; background: transparent !important; }';
            document.head.appendChild(style);
        }"""
    )

    focusables, stops = tab_through(browser_page)

    assert unreached(focusables, stops) == [
        'Tab never reaches <a href="/somewhere/"> Unreachable link'
    ]
    hidden = without_focus_indicator(focusables, stops)
    assert len(hidden) == 1 and "Skip to main content" in hidden[0], hidden
