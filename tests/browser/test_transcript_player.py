"""The recording and transcript on the meeting page, in a browser: no axe violations, the player
loads the published audio and its captions, a keyboard user can play from a timestamp, and
without JavaScript the transcript is still there to read."""

import pytest

from .conftest import outside_playwright_loop
from .test_accessibility import assert_page_is_the_real_thing, axe_violations, describe

pytestmark = pytest.mark.browser

PLAYER = "audio[data-transcript-player]"


@pytest.fixture
def transcript_page(public_site, tmp_path):
    """The site's meeting with a published recording whose audio was made (by ffmpeg, on
    publication, through the task), and the texts to look for."""
    from django.core.cache import cache

    from meetings.models import MeetingPage
    from tests.transcription import public_helpers
    from transcription.renditions import public_audio_is_current

    with outside_playwright_loop():
        cache.clear()  # ids repeat from test to test: forget the last test's rebuilds
        meeting = MeetingPage.objects.get(slug="meeting-upcoming")
        tones = public_helpers.write_item_tones(tmp_path / "meeting.wav")
        published = public_helpers.make_published_meeting(None, meeting=meeting, path=tones)
        published.recording.refresh_from_db()
        assert public_audio_is_current(published.recording), "the audio was not made"
        return {
            "url": public_site.url("meeting"),
            "base_url": public_site.base_url,
            "status_id": f"recording-{published.recording.pk}-player-status",
            "public": public_helpers.PUBLIC_TEXTS,
            "secret_words": public_helpers.SECRET_WORDS,
        }


def open_all_transcripts(page):
    for summary in page.locator("details.transcript > summary").all():
        summary.click()


def test_the_meeting_page_with_a_transcript_has_no_axe_violations(
    transcript_page, browser_page, axe_script
):
    response = browser_page.goto(transcript_page["url"])
    assert response.status == 200
    assert_page_is_the_real_thing(browser_page)
    assert browser_page.locator(PLAYER).count() == 1
    open_all_transcripts(browser_page)
    assert browser_page.locator("li.transcript__segment").count() == 4

    violations = axe_violations(browser_page, axe_script)

    assert not violations, "axe found violations on the meeting page:\n" + describe(violations)


def test_the_player_loads_the_published_audio_and_captions(transcript_page, browser_page):
    assert browser_page.goto(transcript_page["url"]).status == 200

    browser_page.wait_for_function(
        f"() => {{ const a = document.querySelector('{PLAYER}'); "
        "return a.readyState >= 1 && isFinite(a.duration); }"
    )
    duration = browser_page.evaluate(f"document.querySelector('{PLAYER}').duration")
    assert duration == pytest.approx(12.0, abs=0.2)
    browser_page.wait_for_function(
        f"() => {{ const t = document.querySelector('{PLAYER}').textTracks[0]; "
        "return t && t.cues && t.cues.length > 0; }"
    )
    cues = browser_page.evaluate(
        f"[...document.querySelector('{PLAYER}').textTracks[0].cues].map((c) => c.text)"
    )
    assert cues[0] == "Unofficial transcript; the approved minutes are the formal record."
    assert len(cues) == 5
    assert not any(word in cue for cue in cues for word in transcript_page["secret_words"])


def test_a_keyboard_user_plays_the_recording_from_a_timestamp(transcript_page, browser_page):
    assert browser_page.goto(transcript_page["url"]).status == 200
    summary = browser_page.locator("details.transcript > summary").first

    for _ in range(200):  # Tab until the first item's transcript is reached
        browser_page.keyboard.press("Tab")
        if summary.evaluate("(el) => el === document.activeElement"):
            break
    else:
        pytest.fail("The item's transcript could not be reached with the keyboard")
    browser_page.keyboard.press("Enter")
    browser_page.keyboard.press("Tab")
    focused = browser_page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Play from 0:00:02"
    browser_page.keyboard.press("Enter")

    browser_page.wait_for_function(
        f"() => Math.abs(document.querySelector('{PLAYER}').currentTime - 2.1) < 0.6"
    )
    current = browser_page.locator("li.transcript__segment[aria-current='time']")
    assert current.count() == 1
    assert transcript_page["public"][0] in current.inner_text()
    # Focus stays on the timestamp, so the listener keeps their place in the transcript.
    assert browser_page.evaluate("document.activeElement.textContent.trim()") == (
        "Play from 0:00:02"
    )
    status = browser_page.locator(f"#{transcript_page['status_id']}")
    assert status.get_attribute("aria-live") == "polite"
    assert status.text_content() == "Playing the recording from 0:00:02."


def test_without_javascript_the_transcript_is_listed_with_links_to_the_audio(
    transcript_page, no_js_page
):
    assert no_js_page.goto(transcript_page["url"]).status == 200

    segments = no_js_page.locator("li.transcript__segment")
    assert segments.count() == 4
    assert [s.locator(".transcript__text").text_content() for s in segments.all()] == (
        transcript_page["public"]
    )
    no_js_page.locator("details.transcript > summary").first.click()
    assert segments.first.is_visible()
    link = segments.first.locator("a")
    assert link.get_attribute("href").endswith("/audio/#t=2.1")
    audio = no_js_page.request.get(
        transcript_page["base_url"] + link.get_attribute("href").split("#")[0]
    )
    assert audio.status == 200
    assert audio.headers["content-type"] == "audio/mpeg"
    html = no_js_page.content()
    assert not any(word in html for word in transcript_page["secret_words"])
