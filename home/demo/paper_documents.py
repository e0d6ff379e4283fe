"""Word documents made from slices of the agenda pack's text, with python-docx.

The pack is plain text converted from a PDF: bullets start with "- ", tables are lines with tabs,
some table cells hold HTML fragments, and page numbers ("Page 23") are left in. This turns a
slice of it back into a readable document.
"""

import html
import io
import re

from docx import Document as WordDocument
from docx.shared import Pt

_PAGE_NUMBER = re.compile(r"^\s*Page \d+\s*$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_BLOCK_TAG = re.compile(r"</?(p|li|ul|ol|br)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]+>")


def plain(text):
    """Text without the pack's markdown bold markers and HTML fragments."""
    text = _BOLD.sub(r"\1", text)
    text = _BLOCK_TAG.sub("\n", text)
    text = _ANY_TAG.sub("", text)
    text = html.unescape(text)
    return "\n".join(part.strip() for part in text.splitlines() if part.strip())


def _is_heading(line):
    letters = [ch for ch in line if ch.isalpha()]
    return 3 < len(line) < 120 and bool(letters) and all(ch.isupper() for ch in letters)


def _add_table(document, table_lines):
    cells = [line.split("\t") for line in table_lines]
    width = max(len(row) for row in cells)
    table = document.add_table(rows=len(cells), cols=width)
    table.style = "Table Grid"
    for row_cells, row in zip(table.rows, cells, strict=True):
        for cell, text in zip(row_cells.cells, row + [""] * (width - len(row)), strict=True):
            cell.text = plain(text)


def _add_line(document, line):
    stripped = line.strip()
    if stripped.startswith("- "):
        depth = len(line) - len(line.lstrip())
        style = "List Bullet 2" if depth else "List Bullet"
        document.add_paragraph(plain(stripped[2:]), style=style)
    elif _is_heading(plain(stripped)):
        document.add_heading(plain(stripped), level=2)
    else:
        document.add_paragraph(plain(stripped))


def build_docx(title, lines, note=""):
    """A .docx (bytes) titled `title` whose body is `lines` of the pack."""
    document = WordDocument()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(12)
    document.core_properties.title = title
    document.core_properties.author = "Rotherham Metropolitan Borough Council"
    document.add_heading(title, level=1)
    if note:
        document.add_paragraph().add_run(note).italic = True
    table = []
    for line in lines:
        if _PAGE_NUMBER.match(line):
            continue
        if "\t" in line.strip("\t") or (line.startswith("\t") and line.strip()):
            table.append(line.rstrip("\n"))
            continue
        if table:
            _add_table(document, table)
            table = []
        if line.strip():
            _add_line(document, line)
    if table:
        _add_table(document, table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_text(data):
    """All the text of a .docx (paragraphs and table cells), for checking what a paper says."""
    document = WordDocument(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)
