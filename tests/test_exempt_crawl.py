"""An anonymous visitor following every link the site offers never meets exempt material.

The crawl starts at the home page and follows every same-site link and feed (pages, papers,
calendars, Word packs, decision feeds and open data, search results, a published recording's
transcript and captions), reading Word files inside their XML, and looks for the marked words of
an exempt agenda item, its paper, an exempt minute and what was said while it was taken.
"""

import io
import re
import zipfile
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from wagtail.models import Page

from actions_log.models import Action, ActionUpdate
from boards.factories import BoardPageFactory
from meetings.factories import (
    AgendaItemFactory,
    AgendaPaperFactory,
    DocumentFactory,
    MeetingPageFactory,
    london,
)
from meetings.minutes import MinuteItem, MinutesPage, Resolution
from transcription.models import (
    JobStatus,
    Recording,
    TranscriptionJob,
    TranscriptSegment,
    TranscriptSpan,
)

AGENDA_SECRETS = [
    "Zephyrine Holdings tender prices",  # summary
    "commercially ruinous to disclose",  # public interest reason
    "Zephyrine bid evaluation matrix",  # paper title
    "ZEPHYRINE-PAPER-CONTENT",  # paper file content
]
MINUTE_SECRETS = [
    "Zephyrine narrative of the closed session",
    "Zephyrine point raised in private",
    "That the Zephyrine contract be varied",
]
ACTION_SECRETS = [
    "Zephyrine action agreed in private",  # an action of the exempt minute
    "Zephyrine internal progress note",  # an internal update on a public action
]
TRANSCRIPT_SECRETS = ["Zephyrine spoken in the closed session"]
PUBLIC_SPEECH = "The community safety plan was welcomed by Quillfeather"
LINK_RE = re.compile(r"""(?:href|src|action)=["']([^"'#]+)""")
MAX_URLS = 400


def body_text(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return " ".join(
                archive.read(name).decode("utf-8", "ignore")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    return content.decode("utf-8", "ignore")


def site_links(base_url, text):
    for link in LINK_RE.findall(text):
        url = urldefrag(urljoin(base_url, link.replace("&amp;", "&")))[0]
        parsed = urlparse(url)
        if parsed.netloc not in ("", "testserver") or not parsed.path.startswith("/"):
            continue
        if parsed.path.startswith(("/admin", "/django-admin", "/static")):
            continue
        yield parsed.path + (f"?{parsed.query}" if parsed.query else "")


@pytest.fixture
def site_with_exempt_business(board_index):
    board = BoardPageFactory(parent=board_index, title="Safer Rotherham Partnership", slug="srp")
    meeting = MeetingPageFactory(
        parent=board,
        title="Safer Rotherham Partnership, 5 March 2030",
        slug="2030-03-05",
        start=london(2030, 3, 5),
    )
    AgendaItemFactory(meeting=meeting, number=1, title="Community safety plan")
    exempt = AgendaItemFactory(
        meeting=meeting,
        number=2,
        title="Domestic abuse support contract",
        summary=AGENDA_SECRETS[0],
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_reason=AGENDA_SECRETS[1],
    )
    paper = DocumentFactory(
        title=AGENDA_SECRETS[2], file__data=b"%PDF-1.4\n" + AGENDA_SECRETS[3].encode()
    )
    AgendaPaperFactory(item=exempt, document=paper)
    meeting.save_revision().publish()

    minutes = MinutesPage(title="", slug="")
    minutes.minute_items = [
        MinuteItem(
            number=1,
            heading="COMMUNITY SAFETY PLAN",
            sort_order=0,
            resolutions=[Resolution(number=1, text="That the plan be noted.")],
        ),
        MinuteItem(
            number=2,
            heading="DOMESTIC ABUSE SUPPORT CONTRACT",
            narrative=MINUTE_SECRETS[0],
            discussion_points=MINUTE_SECRETS[1],
            is_exempt=True,
            exempt_paragraph=3,
            sort_order=1,
            resolutions=[Resolution(number=1, text=MINUTE_SECRETS[2])],
        ),
    ]
    meeting.add_child(instance=minutes)
    minutes.save_revision().publish()

    public_minute, exempt_minute = minutes.minute_items.order_by("number")
    day = london(2030, 3, 5).date()
    action = Action.objects.create(
        board=board,
        text="Publish the community safety plan",
        minute_item=public_minute,
        resolution=public_minute.resolutions.get(),
        raised_on=day,
    )
    ActionUpdate.objects.create(action=action, text=ACTION_SECRETS[1], is_internal=True)
    Action.objects.create(
        board=board, text=ACTION_SECRETS[0], minute_item=exempt_minute, raised_on=day
    )
    publish_recording_of(meeting, public_item=meeting.agenda_items.get(number=1), exempt=exempt)
    return meeting, paper


def publish_recording_of(meeting, *, public_item, exempt):
    """A transcribed recording the board publishes: item 1 in public, then the exempt item."""
    recording = Recording.objects.create(
        meeting=meeting,
        original_name="srp.mp3",
        size=1,
        file="recordings/srp.mp3",
        duration=120,
        publish_recording=True,
    )
    TranscriptionJob.objects.create(recording=recording, status=JobStatus.DONE)
    TranscriptSpan.objects.create(recording=recording, agenda_item=public_item, start=0, end=60)
    TranscriptSpan.objects.create(recording=recording, agenda_item=exempt, start=60, end=120)
    for start, text in [(5, PUBLIC_SPEECH), (70, TRANSCRIPT_SECRETS[0])]:
        TranscriptSegment.objects.create(
            recording=recording, chunk_index=0, start=start, end=start + 5, text=text
        )
    return recording


def crawl(client, start_urls):
    seen, queue, bodies = set(), list(start_urls), {}
    while queue and len(seen) < MAX_URLS:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if response.status_code != 200:
            bodies[url] = ""
            continue
        text = body_text(response)
        bodies[url] = text
        queue.extend(link for link in site_links(url, text) if link not in seen)
    return bodies


@pytest.mark.django_db
def test_no_exempt_material_on_any_page_the_public_can_reach(client, site_with_exempt_business):
    meeting, paper = site_with_exempt_business
    searches = [
        f"/search/?q={word}" for word in ("Zephyrine", "contract", "closed session", "Quillfeather")
    ]
    bodies = crawl(client, ["/", "/decisions/", *searches])

    # The crawl really went everywhere that matters.
    reached = set(bodies)
    assert meeting.url in reached
    assert f"{meeting.url}calendar.ics" in reached
    assert f"{meeting.url}agenda-pack.docx" in reached
    assert any(url.startswith(f"{meeting.url}minutes/") for url in reached)
    assert any("feed" in url for url in reached)
    assert "Domestic abuse support contract" in bodies[meeting.url]
    board_url = meeting.get_parent().url
    for route in ("actions/", "actions.csv", "actions.docx"):
        assert f"{board_url}{route}" in reached
    assert "Publish the community safety plan" in bodies[f"{board_url}actions/"]
    [captions] = [url for url in reached if url.endswith("captions.vtt")]
    assert PUBLIC_SPEECH in bodies[captions]
    assert any(url.endswith("captions.srt") for url in reached)
    assert PUBLIC_SPEECH in bodies[meeting.url]
    assert "Unofficial transcript" in bodies["/search/?q=Quillfeather"]

    leaks = [
        (url, secret)
        for url, text in bodies.items()
        for secret in AGENDA_SECRETS + MINUTE_SECRETS + ACTION_SECRETS + TRANSCRIPT_SECRETS
        if secret.lower() in text.lower()
    ]
    assert leaks == []
    # The paper's own address is refused to an anonymous visitor.
    assert client.get(paper.url).status_code in (302, 403)
    assert Page.objects.type(MinutesPage).live().exists()
