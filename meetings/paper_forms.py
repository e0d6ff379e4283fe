"""The document form used for every paper: the council's checks on size and file type."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from wagtail.documents.forms import BaseDocumentForm

# The first bytes of each kind of file the council accepts as a paper.
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
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


def check_paper_file(uploaded):
    """Refuse files that are too big or are not what their extension says they are."""
    limit = settings.PAPER_MAX_UPLOAD_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            f"This file is {filesizeformat(uploaded.size)}; papers can be at most "
            f"{filesizeformat(limit)}. Split it or compress it and try again."
        )
    extension = uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
    signatures = PAPER_SIGNATURES.get(extension)
    if signatures is None:
        return
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(
            f"This file is named .{extension} but is not a readable {extension.upper()} file. "
            "It may be damaged: save it again from the program that made it and upload that."
        )


class PaperDocumentForm(BaseDocumentForm):
    """Wagtail's document form, with the council's checks on size and file type."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and hasattr(uploaded, "size") and hasattr(uploaded, "seek"):
            check_paper_file(uploaded)
        return uploaded
