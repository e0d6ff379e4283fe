"""The papers of the 8 March 2017 HWB agenda, made from the pack's own text.

Each paper is a slice of the pack turned into a Word document and stored as a Wagtail document in
the "Agenda papers" collection. A document is found again by its title and collection, so it is
generated only once.
"""

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike

from .pack import expect_line, lines_between
from .paper_documents import build_docx

PAPERS_COLLECTION = "Agenda papers"


@dataclass(frozen=True)
class PaperSpec:
    """A paper: which agenda item it belongs to, where it is in the pack's text and its pages."""

    item: str
    title: str
    first_line: int
    last_line: int
    opens_with: str
    page_start: int
    page_end: int


# Line ranges found by reading the pack. Page ranges are the agenda's (PACK:21-43) where it prints
# them; inside an item the split is from the page numbers left in the text ("Page 23" at PACK:546,
# "Page 76" at PACK:1481), and, where the text has none, in proportion to the length of each paper
# (the protocol's pages 68-75 and the split of item 10 at page 166/167 are such estimates).
# The agenda prints item 10's range (82-170) on item 10 and none on 10(a) and 10(b), so the Better
# Care Fund papers are attached to item 10, as published; their titles say which sub-item is which.
MARCH_2017_PAPERS = [
    PaperSpec(
        "7",
        "Minutes of the meeting held on 11 January 2017",
        63,
        428,
        "HEALTH AND WELLBEING BOARD",
        1,
        11,
    ),
    PaperSpec(
        "8",
        "Aim 5: healthy, safe and sustainable communities (presentation)",
        430,
        543,
        "Health and Wellbeing Board",
        12,
        22,
    ),
    PaperSpec(
        "8",
        "Safer Rotherham Partnership Plan 2016-2019",
        544,
        1320,
        "Safer Rotherham Partnership Plan 2016",
        23,
        67,
    ),
    PaperSpec(
        "8",
        "Rotherham Safeguarding Partnership Protocol",
        1321,
        1475,
        "Rotherham Safeguarding Partnership Protocol",
        68,
        75,
    ),
    PaperSpec(
        "8",
        "The Eastwood Deal: a partnership plan for Eastwood Village",
        1476,
        1664,
        "The Eastwood Deal",
        76,
        81,
    ),
    PaperSpec(
        "10",
        "Better Care Fund Draft Plan 2017-19",
        1665,
        3514,
        "Meeting:",
        82,
        166,
    ),
    PaperSpec(
        "10",
        "Better Care Fund Quarter 3 Submission 2016-17",
        3515,
        3641,
        "1.\tMeeting:",
        167,
        170,
    ),
    PaperSpec(
        "11",
        "Joint Commissioning Strategy for Children and Young People with Special Educational "
        "Needs and/or Disabilities (SEND)",
        3643,
        4133,
        "Health and Wellbeing Board Report",
        171,
        197,
    ),
    PaperSpec(
        "12",
        "Specialist Residential and Nursing Care for Adults in Rotherham: briefing paper",
        4134,
        4221,
        "BRIEFING PAPER FOR HEALTH & WELLBEING BOARD",
        198,
        201,
    ),
    PaperSpec(
        "14",
        "Rotherham CAMHS Local Transformation Plan: Quarter 3 report 2016-17",
        4222,
        4497,
        "1. Progress to date",
        202,
        215,
    ),
]


def papers_collection():
    """The collection the demo's public papers live in, under the root collection."""
    existing = Collection.objects.filter(name=PAPERS_COLLECTION).first()
    if existing:
        return existing
    return Collection.get_first_root_node().add_child(name=PAPERS_COLLECTION)


def stored_document(title, collections, make_file, summary):
    """The document titled `title` in one of `collections`, created from `make_file()` if new.

    `make_file()` returns (file name, bytes) and is only called when the document is created.
    """
    Document = get_document_model()
    existing = Document.objects.filter(title=title, collection__in=collections).first()
    if existing:
        summary.record("document")
        return existing
    filename, data = make_file()
    document = Document(title=title, collection=collections[0])
    document.file.save(filename, ContentFile(data), save=False)
    document.file_size = len(data)
    document.file_hash = hash_filelike(io.BytesIO(data))
    document.save()
    summary.record("document", created=True)
    return document


def pack_paper_document(spec, collection, summary):
    """The Wagtail document for one paper of the 8 March 2017 pack."""

    def make_file():
        expect_line(spec.first_line, spec.opens_with)
        note = (
            f"Pages {spec.page_start} to {spec.page_end} of the agenda pack for the Health and "
            "Wellbeing Board, Wednesday 8 March 2017, 10am."
        )
        data = build_docx(spec.title, lines_between(spec.first_line, spec.last_line), note)
        return f"hwb-2017-03-08-{slugify(spec.title)[:60]}.docx", data

    return stored_document(spec.title, [collection], make_file, summary)


def march_2017_papers(summary):
    """{agenda item display number: [(PaperSpec, document)]} for the 8 March 2017 agenda."""
    collection = papers_collection()
    papers = {}
    for spec in MARCH_2017_PAPERS:
        document = pack_paper_document(spec, collection, summary)
        papers.setdefault(spec.item, []).append((spec, document))
    return papers
