"""The document form used for every paper: the council's checks on size and file type.

Wagtail uses this form (WAGTAILDOCS_DOCUMENT_FORM_BASE) for the single and multiple upload views,
the chooser's upload tab and replacing a file, so every way in is checked. A paper must be PDF,
Word, Excel, PowerPoint or OpenDocument, must really be that kind of file (not just named like
one), and must be no bigger than PAPER_MAX_UPLOAD_BYTES.
"""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from wagtail.documents.forms import BaseDocumentForm

ACCEPTED_DESCRIPTION = "PDF, Word, Excel, PowerPoint or OpenDocument"

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)

# The first bytes of each kind of file the council accepts as a paper.
PAPER_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": _ZIP,
    "xlsx": _ZIP,
    "pptx": _ZIP,
    "odt": _ZIP,
    "ods": _ZIP,
    "odp": _ZIP,
    "doc": _OLE,
    "xls": _OLE,
    "ppt": _OLE,
}

# What must be inside the zip of an Office Open XML file: its main part.
_OOXML_MAIN_PART = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
# The first entry of an OpenDocument zip, "mimetype", names the kind of document.
_ODF_MIMETYPE = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}

_KIND_NAMES = {
    "pdf": "PDF",
    "doc": "Word",
    "docx": "Word",
    "xls": "Excel",
    "xlsx": "Excel",
    "ppt": "PowerPoint",
    "pptx": "PowerPoint",
    "odt": "OpenDocument text",
    "ods": "OpenDocument spreadsheet",
    "odp": "OpenDocument presentation",
}


def _extension(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _zip_holds_expected_content(uploaded, extension):
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
            if extension in _OOXML_MAIN_PART:
                return "[Content_Types].xml" in names and any(
                    name.startswith(_OOXML_MAIN_PART[extension]) for name in names
                )
            if "mimetype" not in names:
                return False
            return archive.read("mimetype").strip() == _ODF_MIMETYPE[extension]
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return False
    finally:
        uploaded.seek(0)


def _not_readable(extension):
    kind = _KIND_NAMES.get(extension, extension.upper())
    return ValidationError(
        f"This file is named .{extension} but is not a readable {kind} file. It may be damaged: "
        "save it again from the program that made it and upload that.",
        code="not_a_paper",
    )


def check_paper_file(uploaded):
    """Refuse files that are too big, of a kind not accepted, or not what their name says."""
    limit = settings.PAPER_MAX_UPLOAD_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            f"This file is {filesizeformat(uploaded.size)}; papers can be at most "
            f"{filesizeformat(limit)}. Split it or compress it and try again.",
            code="too_large",
        )
    extension = _extension(uploaded.name)
    signatures = PAPER_SIGNATURES.get(extension)
    if signatures is None:
        shown = f".{extension} files" if extension else "Files without an extension"
        raise ValidationError(
            f"{shown} cannot be papers. Upload a {ACCEPTED_DESCRIPTION} document.",
            code="not_a_paper",
        )
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if not any(head.startswith(sig) for sig in signatures):
        raise _not_readable(extension)
    if signatures is _ZIP and not _zip_holds_expected_content(uploaded, extension):
        raise _not_readable(extension)


class PaperDocumentForm(BaseDocumentForm):
    """Wagtail's document form, with the council's checks on size and file type."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            limit = filesizeformat(settings.PAPER_MAX_UPLOAD_BYTES)
            self.fields["file"].help_text = f"{ACCEPTED_DESCRIPTION}, at most {limit}."

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        # Only a newly uploaded file is checked: editing the title of a stored paper must not
        # fail because the rules changed after it was uploaded.
        if isinstance(uploaded, UploadedFile):
            check_paper_file(uploaded)
        return uploaded
