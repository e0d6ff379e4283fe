"""Reading a file of minutes into lines of text: Word (.docx) or plain text.

Councils keep their archives as Word documents, as text exported from the published PDFs, or as
text copied from modern.gov item pages. Whatever the file, the parser wants lines as a person
would read them: paragraphs in order, a blank line between paragraphs, a table row as one line
with its cells separated by tabs (as the printed attendance is: "Name<TAB>Role, Organisation").

A file that cannot be read that way (a PDF renamed .docx, a damaged Word file, an old .doc, an
empty or binary file) is refused with `UnreadableMinutes`, whose message says what to do, before
anything is written.
"""

import hashlib
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

TEXT_SUFFIXES = {"", ".txt", ".text"}
WORD_SUFFIX = ".docx"

_PDF = b"%PDF"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (.doc) and other OLE files
# Control characters that never occur in text (tab, line feed, carriage return and form feed do).
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
# More than this share of control characters and the file is not text.
_BINARY_SHARE = 0.01


class UnreadableMinutes(Exception):
    """The file cannot be read as minutes; the message says why and what to do instead."""


@dataclass
class SourceInfo:
    """What the reader learnt about the file: its name, format, encoding and fingerprint."""

    name: str
    format: str  # "docx" or "text"
    sha256: str
    encoding: str = ""
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self):
        return {
            "name": self.name,
            "format": self.format,
            "sha256": self.sha256,
            "encoding": self.encoding,
            "notes": list(self.notes),
            "warnings": list(self.warnings),
        }


def read_minutes_file(path):
    """(lines, SourceInfo) for a .docx or plain-text file of minutes.

    Raises UnreadableMinutes with a message an officer can act on.
    """
    path = Path(path)
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise UnreadableMinutes(f"{path} was not found.") from error
    except IsADirectoryError as error:
        raise UnreadableMinutes(f"{path} is a folder, not a file of minutes.") from error
    except OSError as error:
        raise UnreadableMinutes(f"{path} could not be read: {error.strerror}.") from error

    if not data.strip():
        raise UnreadableMinutes(f"{name} is empty: there are no minutes to import.")

    suffix = path.suffix.lower()
    info = SourceInfo(name=name, format="", sha256=hashlib.sha256(data).hexdigest())
    if suffix == WORD_SUFFIX:
        info.format = "docx"
        lines = _word_lines(data, name, info)
    elif suffix in TEXT_SUFFIXES:
        info.format = "text"
        lines = _text_lines(data, name, info)
    elif suffix == ".doc":
        raise UnreadableMinutes(
            f"{name} is an older Word (.doc) document, which cannot be read here: open it in Word "
            "and save it as .docx (Word Document), or save it as plain text (.txt)."
        )
    elif suffix == ".pdf":
        raise UnreadableMinutes(
            f"{name} is a PDF: export its text (e.g. with pdftotext -layout) to a .txt file, or "
            "save it as .docx, and import that."
        )
    else:
        raise UnreadableMinutes(
            f"{name}: files ending {suffix} cannot be imported. Import a Word document (.docx) "
            "or plain text (.txt)."
        )

    if not any(line.strip() for line in lines):
        raise UnreadableMinutes(f"{name} has no text in it: there are no minutes to import.")
    return lines, info


# Plain text ---------------------------------------------------------------------------------


def _text_lines(data, name, info):
    if data.startswith(_PDF):
        raise UnreadableMinutes(
            f"{name} is a PDF, not plain text: export the text (e.g. with pdftotext) or save it "
            "as .docx."
        )
    if data.startswith(_ZIP):
        raise UnreadableMinutes(
            f"{name} is a Word (.docx) or other zipped document, not plain text: if it is a Word "
            "document, name it .docx."
        )
    if data.startswith(_OLE):
        raise UnreadableMinutes(
            f"{name} is an older Word (.doc) document, not plain text: save it as .docx or .txt."
        )
    if b"\x00" in data or len(_CONTROL.findall(data)) > _BINARY_SHARE * len(data):
        raise UnreadableMinutes(
            f"{name} is not a text file (it holds binary data): save the minutes as plain text "
            "(.txt) or as a Word document (.docx)."
        )
    text, encoding = decode_text(data)
    info.encoding = encoding
    if encoding == "utf-8-sig":
        info.notes.append("Read as UTF-8 (with a byte order mark).")
    elif encoding != "utf-8":
        info.warnings.append(
            f"{name} is not UTF-8: read as {ENCODING_NAMES[encoding]}. Check accented letters and "
            "punctuation such as ’ and – in the result."
        )
    return split_lines(text)


ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "cp1252": "Windows-1252 (Western European)",
    "latin-1": "ISO 8859-1 (Latin-1)",
}


def decode_text(data):
    """(text, encoding): UTF-8 (with or without a byte order mark), else Windows-1252, as Word
    and Windows tools write it, else Latin-1, which accepts any bytes."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig"), "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def split_lines(text):
    """Lines without their endings. A form feed (a page break from pdftotext) ends a line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return [line.rstrip() for line in text.split("\n")]


# Word ---------------------------------------------------------------------------------------


def _word_lines(data, name, info):
    if data.startswith(_PDF):
        raise UnreadableMinutes(
            f"{name} is a PDF, not a Word document: export the text (e.g. with pdftotext) or "
            "save it as .docx."
        )
    if data.startswith(_OLE):
        raise UnreadableMinutes(
            f"{name} is an older Word (.doc) document renamed .docx: open it in Word and save "
            "it as .docx (Word Document)."
        )
    if not data.startswith(_ZIP):
        looks_like_text = not _CONTROL.search(data[:4096])
        hint = (
            "it looks like plain text: name it .txt"
            if looks_like_text
            else "open it in Word and save it again as .docx"
        )
        raise UnreadableMinutes(f"{name} is not a Word document; {hint}.")
    document = _open_word(data, name)
    info.encoding = "docx"
    return WordLines(document, info).lines()


def _open_word(data, name):
    import io

    import docx
    from lxml.etree import XMLSyntaxError

    damaged = (
        f"{name} is damaged or incomplete and cannot be opened as a Word document: open it in "
        "Word (which may offer to repair it) and save it again as .docx, or export the minutes "
        "as plain text (.txt)."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            bad = archive.testzip()
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
        raise UnreadableMinutes(damaged) from error
    if bad is not None:
        raise UnreadableMinutes(damaged)
    if "word/document.xml" not in names:
        raise UnreadableMinutes(
            f"{name} is a zipped file but not a Word document (it has no word/document.xml): "
            "save the minutes as .docx or .txt."
        )
    try:
        return docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, XMLSyntaxError, zipfile.BadZipFile, zlib.error) as error:
        raise UnreadableMinutes(damaged) from error
    except Exception as error:  # python-docx raises its own errors for broken packages
        if type(error).__module__.startswith(("docx", "lxml")):
            raise UnreadableMinutes(damaged) from error
        raise


class WordLines:
    """The body of a Word document as lines: paragraphs and table rows in the order they appear.

    A paragraph break is a blank line, as in text exported from the PDF, unless the document
    already spaces its paragraphs with empty ones; items of a bulleted list and rows of a table
    stay on consecutive lines. A bullet Word draws itself becomes "- ", as in the exported text.
    """

    def __init__(self, document, info):
        self.document = document
        self.info = info
        self.auto_numbered = 0

    def lines(self):
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        blocks = []  # (kind, [lines]); kind is "paragraph", "list", "empty" or "table"
        for block in self.document.iter_inner_content():
            if isinstance(block, Paragraph):
                blocks.append(self._paragraph(block))
            elif isinstance(block, Table):
                blocks.append(("table", self._table_rows(block)))
        spaced_by_empty = any(kind == "empty" for kind, _ in blocks)
        lines = []
        previous = None
        for kind, texts in blocks:
            if kind == "empty":
                lines.append("")
            else:
                together = kind == previous and kind in ("list", "table")
                if lines and lines[-1] != "" and not spaced_by_empty and not together:
                    lines.append("")
                lines.extend(texts)
            previous = kind
        if self.auto_numbered:
            self.info.warnings.append(
                f"{self.auto_numbered} paragraph{'s' if self.auto_numbered != 1 else ''} numbered "
                "automatically by Word; their "
                "numbers are not part of the text, so check minute and resolution numbers."
            )
        return [line.rstrip() for line in lines]

    def _paragraph(self, paragraph):
        text = paragraph.text.replace("\r", "\n")
        if not text.strip():
            return ("empty", [""])
        numbering = self._numbering_format(paragraph)
        if numbering == "bullet":
            level = self._level(paragraph)
            texts = text.split("\n")
            return ("list", [" " * level + "- " + texts[0].strip(), *texts[1:]])
        if numbering:
            self.auto_numbered += 1
        style = (paragraph.style.name or "") if paragraph.style is not None else ""
        kind = "list" if "list" in style.lower() else "paragraph"
        return (kind, text.split("\n"))

    @staticmethod
    def _table_rows(table):
        rows = []
        for row in table.rows:
            cells = []
            seen = set()
            for cell in row.cells:
                # A merged cell is returned once for each grid column it spans.
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                cells.append(" ".join(cell.text.split()))
            line = "\t".join(cells).rstrip("\t")
            if line.strip():
                rows.append(line)
        return rows

    def _num_pr(self, paragraph):
        p_pr = paragraph._p.pPr
        num_pr = p_pr.numPr if p_pr is not None else None
        if num_pr is None and paragraph.style is not None:
            style_p_pr = paragraph.style.element.pPr
            num_pr = style_p_pr.numPr if style_p_pr is not None else None
        return num_pr

    def _level(self, paragraph):
        num_pr = self._num_pr(paragraph)
        if num_pr is None or num_pr.ilvl is None:
            return 0
        return int(num_pr.ilvl.val)

    def _numbering_format(self, paragraph):
        """'bullet', another Word number format ('decimal', 'lowerLetter'…), or '' if none."""
        num_pr = self._num_pr(paragraph)
        if num_pr is None or num_pr.numId is None:
            return ""
        num_id = num_pr.numId.val
        if not num_id:
            return ""  # numId 0 switches numbering off
        level = self._level(paragraph)
        try:
            numbering = self.document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return "decimal"
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        for num in numbering.findall(f"{w}num"):
            if num.get(f"{w}numId") != str(num_id):
                continue
            abstract = num.find(f"{w}abstractNumId")
            if abstract is None:
                break
            abstract_id = abstract.get(f"{w}val")
            for definition in numbering.findall(f"{w}abstractNum"):
                if definition.get(f"{w}abstractNumId") != abstract_id:
                    continue
                for lvl in definition.findall(f"{w}lvl"):
                    if lvl.get(f"{w}ilvl") == str(level):
                        fmt = lvl.find(f"{w}numFmt")
                        return fmt.get(f"{w}val") if fmt is not None else "decimal"
        return "decimal"
