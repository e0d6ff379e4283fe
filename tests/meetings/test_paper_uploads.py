"""Papers: only PDF, Word, Excel, PowerPoint and OpenDocument files, and not too big.

Checked through both of Wagtail's upload views, because both use WAGTAILDOCS_DOCUMENT_FORM_BASE.
"""

import io
import zipfile

import docx
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection

from boards.models import DEMOCRATIC_SERVICES_GROUP
from meetings.factories import DocumentFactory

Document = get_document_model()

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def word_document():
    document = docx.Document()
    document.add_paragraph("Better Care Fund: quarter 3 return")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def opendocument_text():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", b"<office:document-content/>")
    return out.getvalue()


def plain_zip():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", b"not a Word document")
    return out.getvalue()


@pytest.fixture
def officer_client(client, django_user_model, db):
    officer = django_user_model.objects.create_user("officer", password="pw")
    officer.groups.add(Group.objects.get(name=DEMOCRATIC_SERVICES_GROUP))
    client.force_login(officer)
    return client


def upload_one(client, name, content, title="Joint Strategic Needs Assessment"):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": title,
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
            "tags": "",
        },
    )


def upload_many(client, name, content):
    response = client.post(
        reverse("wagtaildocs:add_multiple"),
        {
            "files[]": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    return response.json()


def form_errors(response):
    return " ".join(str(e) for e in response.context["form"].errors.get("file", []))


ACCEPTED = [
    ("report.pdf", PDF),
    ("report.docx", word_document()),
    ("report.odt", opendocument_text()),
]

REFUSED = [
    ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "exe"),
    ("minutes.txt", b"Minutes of the meeting", "cannot be papers"),
    ("report.pdf", b"This is a text file pretending to be a PDF", "not a readable PDF"),
    ("report.docx", plain_zip(), "not a readable Word"),
    ("report.docx", PDF, "not a readable Word"),
]


@pytest.mark.parametrize(("name", "content"), ACCEPTED)
def test_single_upload_accepts_a_real_paper(officer_client, name, content):
    response = upload_one(officer_client, name, content)
    assert response.status_code == 302, form_errors(response)
    document = Document.objects.get(title="Joint Strategic Needs Assessment")
    assert document.file.name.endswith(name.rsplit(".", 1)[-1])


@pytest.mark.parametrize(("name", "content", "message"), REFUSED)
def test_single_upload_refuses_what_is_not_a_paper(officer_client, name, content, message):
    response = upload_one(officer_client, name, content)
    assert response.status_code == 200
    assert message in form_errors(response)
    assert not Document.objects.filter(title="Joint Strategic Needs Assessment").exists()


@pytest.mark.parametrize(("name", "content"), ACCEPTED)
def test_multiple_upload_accepts_a_real_paper(officer_client, name, content):
    data = upload_many(officer_client, name, content)
    assert data["success"] is True
    assert Document.objects.filter(pk=data["doc_id"]).exists()


@pytest.mark.parametrize(("name", "content", "message"), REFUSED)
def test_multiple_upload_refuses_what_is_not_a_paper(officer_client, name, content, message):
    before = Document.objects.count()
    data = upload_many(officer_client, name, content)
    assert data["success"] is False
    assert message in data["error_message"]
    assert Document.objects.count() == before


def test_too_large_a_file_is_refused_by_both_views(officer_client, settings):
    settings.PAPER_MAX_UPLOAD_BYTES = 50
    big_pdf = PDF + b"%" + b"x" * 200 + b"\n"
    response = upload_one(officer_client, "pack.pdf", big_pdf)
    assert "papers can be at most 50" in form_errors(response)
    data = upload_many(officer_client, "pack.pdf", big_pdf)
    assert data["success"] is False
    assert "papers can be at most 50" in data["error_message"]
    assert not Document.objects.exists()


def test_the_upload_form_says_what_is_accepted(officer_client):
    response = officer_client.get(reverse("wagtaildocs:add"))
    assert "PDF, Word, Excel, PowerPoint or OpenDocument" in response.content.decode()


def test_a_refused_replacement_keeps_the_existing_paper(officer_client):
    document = DocumentFactory(
        title="Health and Wellbeing Strategy", collection=Collection.get_first_root_node()
    )
    original_name = document.file.name
    response = officer_client.post(
        reverse("wagtaildocs:edit", args=(document.pk,)),
        {
            "title": "Health and Wellbeing Strategy (revised)",
            "file": SimpleUploadedFile("strategy.pdf", b"not a pdf at all"),
            "collection": document.collection_id,
            "tags": "",
        },
    )
    assert response.status_code == 200
    assert "not a readable PDF" in form_errors(response)
    document.refresh_from_db()
    assert document.title == "Health and Wellbeing Strategy"
    assert document.file.name == original_name
    assert document.file.storage.exists(original_name)


def test_editing_the_title_of_a_stored_paper_does_not_recheck_the_file(officer_client, settings):
    document = DocumentFactory(
        title="Health and Wellbeing Strategy", collection=Collection.get_first_root_node()
    )
    settings.PAPER_MAX_UPLOAD_BYTES = 1  # the rules tightened after it was uploaded
    response = officer_client.post(
        reverse("wagtaildocs:edit", args=(document.pk,)),
        {
            "title": "Health and Wellbeing Strategy 2025-2030",
            "collection": document.collection_id,
            "tags": "",
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Health and Wellbeing Strategy 2025-2030"
