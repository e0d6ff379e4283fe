"""The transcript on the public meeting page, and its captions, as an anonymous visitor gets them.

Only what `transcription.public` allows is shown: published recordings of live public meetings,
transcribed, and within them only the segments inside a non-exempt item's span.
"""

import html as html_lib
import re

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from transcription.models import JobStatus
from transcription.public import UNOFFICIAL_NOTICE, fingerprint, public_stretches

from .public_helpers import (
    EXEMPT_TEXTS,
    PUBLIC_TEXTS,
    SECRET_WORDS,
    STRADDLING_TEXT,
    UNMARKED_TEXTS,
    make_published_meeting,
    many_segments,
)

NOTICE = "Unofficial transcript; the approved minutes are the formal record."
WITHHELD = [*EXEMPT_TEXTS, STRADDLING_TEXT, *UNMARKED_TEXTS]
VTT_TIMING = re.compile(r"^(\d{2,}:)?\d{2}:\d{2}\.\d{3} --> (\d{2,}:)?\d{2}:\d{2}\.\d{3}$")
SRT_TIMING = re.compile(r"^\d{2}:\d{2}:\d{2},\d{3} --> \d{2}:\d{2}:\d{2},\d{3}$")


@pytest.fixture(autouse=True)
def no_cached_pages():
    cache.clear()


@pytest.fixture(autouse=True)
def media_of_its_own(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def mark_audio_built(recording):
    """Stand in for the ffmpeg rendition (test_public_audio.py builds real ones)."""
    recording.public_audio.save("public.mp3", ContentFile(b"ID3" + b"\0" * 2000), save=False)
    recording.public_audio_key = fingerprint(public_stretches(recording))
    recording.save(update_fields=["public_audio", "public_audio_key"])


@pytest.fixture
def published(board_index):
    published = make_published_meeting(board_index)
    mark_audio_built(published.recording)
    return published


def page_html(client, meeting):
    response = client.get(meeting.url)
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


def item_block(html, title):
    """The agenda item's <li>, found by its title."""
    soup = BeautifulSoup(html, "html.parser")
    for item in soup.select("li.agenda-item"):
        if title in item.select_one(".agenda-item__title").get_text():
            return item
    raise AssertionError(f"No agenda item {title!r}")


def routes(published):
    base = f"{published.meeting.url}recordings/{published.recording.pk}/"
    return [
        f"{base}{name}" for name in ("audio/", "captions.vtt", "captions.srt", "transcript.txt")
    ]


def parse_vtt(text):
    """The cues of a WebVTT file as (start, end, text), checking its structure on the way."""
    assert text.startswith("WEBVTT\n")
    blocks = text.strip().split("\n\n")[1:]
    cues, notes = [], []
    for block in blocks:
        lines = block.split("\n")
        if lines[0].startswith("NOTE"):
            notes.append("\n".join(lines[1:]))
            continue
        timing = lines[1] if "-->" not in lines[0] else lines[0]
        assert VTT_TIMING.match(timing), timing
        payload = lines[lines.index(timing) + 1 :]
        assert payload and all("-->" not in line for line in payload)
        start, end = (vtt_seconds(part) for part in timing.split(" --> "))
        assert end > start
        cues.append((start, end, "\n".join(payload)))
    starts = [cue[0] for cue in cues]
    assert starts == sorted(starts), "cues must be in order of their start"
    return notes, cues


def vtt_seconds(stamp):
    parts = stamp.split(":")
    seconds = float(parts[-1])
    minutes = int(parts[-2])
    hours = int(parts[-3]) if len(parts) == 3 else 0
    return hours * 3600 + minutes * 60 + seconds


def parse_srt(text):
    cues = []
    for number, block in enumerate(text.strip().split("\n\n"), start=1):
        lines = block.split("\n")
        assert lines[0] == str(number)
        assert SRT_TIMING.match(lines[1]), lines[1]
        assert len(lines) >= 3 and lines[2].strip()
        cues.append((lines[1], "\n".join(lines[2:])))
    return cues


# The page ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_transcript_is_shown_under_each_public_item_with_timestamps_and_speakers(client, published):
    html = page_html(client, published.meeting)
    soup = BeautifulSoup(html, "html.parser")

    section = soup.find(id="recording-heading").find_parent("section")
    assert section.find("h2").get_text() == "Recording and transcript"
    assert NOTICE in section.get_text()
    player = section.find("audio")
    assert player.has_attr("controls") and player["preload"] == "metadata"
    base = f"{published.meeting.url}recordings/{published.recording.pk}/"
    assert player["src"] == f"{base}audio/"
    track = player.find("track")
    assert (track["kind"], track["srclang"], track["label"]) == (
        "captions",
        "en",
        "English (unofficial)",
    )
    assert track.has_attr("default") and track["src"] == f"{base}captions.vtt"
    links = {a["href"] for a in section.find_all("a")}
    assert {f"{base}captions.vtt", f"{base}captions.srt", f"{base}transcript.txt"} <= links

    first = item_block(html, "Communicating and engaging")
    details = first.find("details")
    assert "Transcript of this item" in details.find("summary").get_text()
    assert NOTICE in details.get_text()
    rows = details.select("li.transcript__segment")
    assert [row.select_one(".transcript__text").get_text() for row in rows] == PUBLIC_TEXTS[:2]
    link = rows[0].find("a")
    assert link.get_text(" ", strip=True) == "Play from 0:00:02"
    assert link["href"] == f"{base}audio/#t=2.1"
    assert rows[0]["data-start"] == "2.100" and rows[0]["data-end"] == "3.000"
    assert rows[0].select_one(".transcript__speaker").get_text() == "Councillor David Roche:"
    assert rows[1].select_one(".transcript__speaker").get_text() == "Speaker 2:"

    second = item_block(html, "Health and Wellbeing Strategy")
    texts = [t.get_text() for t in second.select(".transcript__text")]
    assert texts == PUBLIC_TEXTS[2:]


@pytest.mark.django_db
def test_the_exempt_item_and_unmarked_talk_are_nowhere_on_the_page(client, published):
    html = page_html(client, published.meeting)

    exempt = item_block(html, "Care home contract")
    assert exempt.find("details") is None
    assert "Transcript" not in exempt.get_text()
    for text in WITHHELD:
        assert text not in html
    for word in SECRET_WORDS:
        assert word not in html
    # The recording's own file name is never shown (it may say anything).
    assert published.recording.original_name not in html
    assert published.recording.file.name not in html


@pytest.mark.django_db
def test_captions_are_valid_webvtt_with_the_notice_and_only_public_text(client, published):
    response = client.get(routes(published)[1])

    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    text = response.content.decode()
    notes, cues = parse_vtt(text)
    assert notes == [UNOFFICIAL_NOTICE]
    assert cues[0] == (0.0, 1.0, UNOFFICIAL_NOTICE)
    assert [cue[2] for cue in cues[1:]] == [
        "<v Councillor David Roche>Healthwatch and the Voluntary and Community Sector had been "
        "contacted to assist with the engagement and communication of the STP.</v>",
        f"<v Speaker 2>{PUBLIC_TEXTS[1]}</v>",
        f"<v Councillor David Roche>{PUBLIC_TEXTS[2]}</v>",
        f"<v Speaker 2>{PUBLIC_TEXTS[3]}</v>",
    ]
    assert [cue[:2] for cue in cues[1:]] == [(2.1, 3.0), (3.1, 4.0), (8.2, 9.5), (9.6, 10.8)]
    for word in SECRET_WORDS:
        assert word not in text


@pytest.mark.django_db
def test_captions_as_srt_with_the_notice_first_and_only_public_text(client, published):
    response = client.get(routes(published)[2])

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-subrip")
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode()
    cues = parse_srt(text)
    assert cues[0] == ("00:00:00,000 --> 00:00:01,000", UNOFFICIAL_NOTICE)
    assert cues[1] == (
        "00:00:02,100 --> 00:00:03,000",
        f"Councillor David Roche: {PUBLIC_TEXTS[0]}",
    )
    assert len(cues) == 5
    for word in SECRET_WORDS:
        assert word not in text


@pytest.mark.django_db
def test_plain_text_transcript_is_under_the_items(client, published):
    response = client.get(routes(published)[3])

    assert response.status_code == 200
    text = response.content.decode()
    assert UNOFFICIAL_NOTICE in text
    assert "52. Communicating and engaging on the Sustainability and Transformation Plan" in text
    assert f"0:00:02 Councillor David Roche: {PUBLIC_TEXTS[0]}" in text
    assert "Care home contract" not in text
    for word in SECRET_WORDS:
        assert word not in text


@pytest.mark.django_db
def test_captions_escape_what_would_break_them(client, published):
    segment = published.segments[1]
    segment.text = "Costs <rose> & fell -->\n\nsharply"
    segment.save()

    vtt = client.get(routes(published)[1]).content.decode()
    srt = client.get(routes(published)[2]).content.decode()

    _notes, cues = parse_vtt(vtt)
    assert "Costs &lt;rose&gt; &amp; fell -&gt; sharply" in cues[1][2]
    assert parse_srt(srt)[1][1].endswith("Costs <rose> & fell -> sharply")


# What is not published -------------------------------------------------------------------


def assert_nothing_published(client, published):
    html = page_html(client, published.meeting)
    assert "Recording and transcript" not in html
    assert "Transcript of this item" not in html
    for text in PUBLIC_TEXTS + WITHHELD:
        assert text not in html
    for url in routes(published):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_an_unpublished_recording_shows_nothing_and_has_no_routes(client, board_index):
    published = make_published_meeting(board_index, publish=False)
    mark_audio_built(published.recording)

    assert_nothing_published(client, published)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED])
def test_a_recording_not_yet_transcribed_shows_nothing(client, board_index, status):
    published = make_published_meeting(board_index, job_status=status)
    mark_audio_built(published.recording)

    assert_nothing_published(client, published)


@pytest.mark.django_db
def test_a_private_meeting_shows_nothing(client, published):
    published.meeting.is_private = True
    published.meeting.save_revision().publish()

    assert_nothing_published(client, published)


@pytest.mark.django_db
def test_a_view_restricted_meeting_gives_nothing_to_a_visitor_nor_a_signed_in_user(
    client, django_user_model, published
):
    PageViewRestriction.objects.create(
        page=published.meeting.get_parent(), restriction_type=PageViewRestriction.LOGIN
    )

    # The visitor is sent to sign in, for the page and for every file.
    for url in [published.meeting.url, *routes(published)]:
        assert client.get(url).status_code == 302, url
    # Signed in, they see the page but still no recording: it is not public.
    client.force_login(django_user_model.objects.create_user("resident", password="x"))
    assert_nothing_published(client, published)


@pytest.mark.django_db
def test_a_recording_of_another_meeting_is_not_found_on_this_ones_page(client, published):
    other = make_published_meeting(published.meeting.get_parent().get_parent(), slug="other")
    base = f"{published.meeting.url}recordings/{other.recording.pk}/"

    assert client.get(f"{base}captions.vtt").status_code == 404
    assert client.get(f"{base}transcript.txt").status_code == 404


@pytest.mark.django_db
def test_the_files_answer_only_get_and_head(client, published):
    url = routes(published)[1]

    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


@pytest.mark.django_db
def test_without_current_audio_the_transcript_is_shown_with_plain_timestamps(client, board_index):
    published = make_published_meeting(board_index)  # no rendition made yet

    html = page_html(client, published.meeting)

    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("audio") is None
    assert "being prepared for listening" in html
    row = item_block(html, "Communicating and engaging").select_one("li.transcript__segment")
    assert row.find("a") is None
    assert row.select_one(".transcript__time").get_text() == "0:00:02"


# Queries ---------------------------------------------------------------------------------


def count_queries(client, url):
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), html_lib.unescape(response.content.decode())


@pytest.mark.django_db
def test_page_queries_do_not_grow_with_the_transcript(client, board_index):
    small = make_published_meeting(board_index, segments=many_segments(10), slug="small")
    large = make_published_meeting(board_index, segments=many_segments(200), slug="large")
    for published in (small, large):
        mark_audio_built(published.recording)

    small_count, small_html = count_queries(client, small.meeting.url)
    large_count, large_html = count_queries(client, large.meeting.url)

    assert "Public remark number 9." in small_html
    assert "Public remark number 199." in large_html
    assert large_html.count('class="transcript__segment"') == 200
    assert small_count == large_count


@pytest.mark.django_db
def test_the_transcript_adds_a_fixed_number_of_queries_to_the_page(client, board_index):
    with_transcript = make_published_meeting(board_index, slug="with")
    mark_audio_built(with_transcript.recording)
    without = make_published_meeting(board_index, slug="without", publish=False)

    with_count, _ = count_queries(client, with_transcript.meeting.url)
    without_count, _ = count_queries(client, without.meeting.url)

    # The restrictions and the recordings, then the stretches, exempt spans and segments.
    assert with_count - without_count == 5


@pytest.mark.django_db
def test_caption_queries_do_not_grow_with_the_transcript(client, board_index):
    small = make_published_meeting(board_index, segments=many_segments(10), slug="small")
    large = make_published_meeting(board_index, segments=many_segments(200), slug="large")

    counts = []
    for published in (small, large):
        url = f"{published.meeting.url}recordings/{published.recording.pk}/captions.vtt"
        count, text = count_queries(client, url)
        counts.append(count)
    assert text.count(" --> ") == 201
    assert counts[0] == counts[1]
