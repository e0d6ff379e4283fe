"""Reading files of minutes into lines: Word documents, plain text in any encoding, and refusals.

Every fixture is made in the test: Word documents with python-docx, the rest as bytes.
"""

import hashlib

import docx
import pytest

from actions_log.importing.reader import UnreadableMinutes, read_minutes_file

MINUTES_TEXT = [
    "HEALTH AND WELLBEING BOARD",
    "11th January, 2017",
    "",
    "Members:-",
    "",
    "Kate Green\tPolicy Officer, RMBC",
    "",
    "55. CARING TOGETHER – THE ROTHERHAM CARERS’ STRATEGY",
    "",
    "Resolved:- (1) That the Strategy be approved.",
    "",
    "Action: Sarah Farragher",
]


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def word_document(tmp_path, name="minutes.docx", build=None):
    document = docx.Document()
    if build:
        build(document)
    path = tmp_path / name
    document.save(path)
    return path


# Plain text ----------


def test_utf8_text_is_read_line_by_line(tmp_path):
    data = "\n".join(MINUTES_TEXT).encode("utf-8")
    lines, info = read_minutes_file(write(tmp_path, "minutes.txt", data))
    assert lines == MINUTES_TEXT
    assert (info.format, info.encoding, info.name) == ("text", "utf-8", "minutes.txt")
    assert info.sha256 == hashlib.sha256(data).hexdigest()
    assert info.warnings == []


def test_a_byte_order_mark_and_windows_line_endings_are_dropped(tmp_path):
    data = b"\xef\xbb\xbf" + "\r\n".join(MINUTES_TEXT).encode("utf-8")
    lines, info = read_minutes_file(write(tmp_path, "minutes.txt", data))
    assert lines == MINUTES_TEXT
    assert info.encoding == "utf-8-sig"
    assert info.warnings == []


def test_a_file_with_no_extension_is_plain_text(tmp_path):
    lines, info = read_minutes_file(write(tmp_path, "minutes", b"48. DECLARATIONS\n"))
    assert lines == ["48. DECLARATIONS", ""]
    assert info.format == "text"


def test_windows_1252_text_is_decoded_and_said_so(tmp_path):
    data = "\n".join(MINUTES_TEXT).encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    lines, info = read_minutes_file(write(tmp_path, "minutes.txt", data))
    assert lines == MINUTES_TEXT
    assert "CARERS’ STRATEGY" in lines[7]
    assert info.encoding == "cp1252"
    assert "Windows-1252" in info.warnings[0]


def test_bytes_windows_1252_leaves_undefined_fall_back_to_latin_1(tmp_path):
    # 0x81 is not a character in Windows-1252; Latin-1 accepts every byte.
    data = "Café minutes\n".encode("latin-1") + b"\x81\n"
    lines, info = read_minutes_file(write(tmp_path, "minutes.txt", data))
    assert lines[0] == "Café minutes"
    assert info.encoding == "latin-1"
    assert "Latin-1" in info.warnings[0]


def test_page_breaks_from_pdftotext_end_lines(tmp_path):
    lines, _ = read_minutes_file(write(tmp_path, "minutes.txt", b"page one\fpage two\n"))
    assert lines[:2] == ["page one", "page two"]


# Word ----------


def test_a_word_document_gives_paragraphs_and_tables_in_order(tmp_path):
    def build(document):
        document.add_paragraph("HEALTH AND WELLBEING BOARD")
        document.add_paragraph("Members:-")
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "Councillor D. Roche"
        table.cell(0, 1).text = "Cabinet Member (in the Chair)"
        table.cell(1, 0).text = "Kate Green"
        table.cell(1, 1).text = "Policy Officer, RMBC"
        document.add_paragraph("48. DECLARATIONS OF INTEREST")
        document.add_paragraph("A first point", style="List Bullet")
        document.add_paragraph("A second point", style="List Bullet")
        document.add_paragraph("Action: Kate Green")

    lines, info = read_minutes_file(word_document(tmp_path, build=build))
    assert lines == [
        "HEALTH AND WELLBEING BOARD",
        "",
        "Members:-",
        "",
        "Councillor D. Roche\tCabinet Member (in the Chair)",
        "Kate Green\tPolicy Officer, RMBC",
        "",
        "48. DECLARATIONS OF INTEREST",
        "",
        "- A first point",
        "- A second point",
        "",
        "Action: Kate Green",
    ]
    assert info.format == "docx"


def test_a_word_document_spaced_with_empty_paragraphs_keeps_its_blank_lines(tmp_path):
    def build(document):
        for line in MINUTES_TEXT:
            document.add_paragraph(line)

    lines, _ = read_minutes_file(word_document(tmp_path, build=build))
    assert lines == MINUTES_TEXT


def test_merged_cells_are_read_once(tmp_path):
    def build(document):
        table = document.add_table(rows=1, cols=3)
        merged = table.cell(0, 0).merge(table.cell(0, 1))
        merged.text = "Janet Wheatley"
        table.cell(0, 2).text = "Voluntary Action Rotherham"

    lines, _ = read_minutes_file(word_document(tmp_path, build=build))
    assert lines == ["Janet Wheatley\tVoluntary Action Rotherham"]


def test_numbers_word_adds_itself_are_a_warning(tmp_path):
    def build(document):
        document.add_paragraph("DECLARATIONS OF INTEREST", style="List Number")

    lines, info = read_minutes_file(word_document(tmp_path, build=build))
    assert lines == ["DECLARATIONS OF INTEREST"]
    assert "numbered automatically by Word" in info.warnings[0]


# Refusals ----------


def test_a_pdf_renamed_docx_is_refused_with_what_to_do(tmp_path):
    path = write(tmp_path, "minutes.docx", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n")
    with pytest.raises(UnreadableMinutes) as error:
        read_minutes_file(path)
    assert str(error.value) == (
        "minutes.docx is a PDF, not a Word document: export the text (e.g. with pdftotext) or "
        "save it as .docx."
    )


def test_a_truncated_word_document_is_refused(tmp_path):
    path = word_document(tmp_path, build=lambda document: document.add_paragraph("Minutes"))
    data = path.read_bytes()
    truncated = write(tmp_path, "truncated.docx", data[: len(data) // 2])
    with pytest.raises(UnreadableMinutes, match="damaged or incomplete"):
        read_minutes_file(truncated)


def test_a_word_document_with_a_corrupt_part_is_refused(tmp_path):
    path = word_document(tmp_path, build=lambda document: document.add_paragraph("Minutes"))
    data = bytearray(path.read_bytes())
    # Damage the compressed body of the first part: the zip's checksums no longer match.
    for position in range(60, 160):
        data[position] ^= 0xFF
    damaged = write(tmp_path, "damaged.docx", bytes(data))
    with pytest.raises(UnreadableMinutes, match="damaged or incomplete"):
        read_minutes_file(damaged)


def test_a_zip_that_is_not_a_word_document_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not minutes")
    with pytest.raises(UnreadableMinutes, match="not a Word document"):
        read_minutes_file(path)


def test_text_named_docx_is_refused_with_a_hint(tmp_path):
    path = write(tmp_path, "minutes.docx", b"48. DECLARATIONS OF INTEREST\n")
    with pytest.raises(UnreadableMinutes, match="looks like plain text: name it .txt"):
        read_minutes_file(path)


def test_an_old_word_document_is_refused(tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    with pytest.raises(UnreadableMinutes, match=r"save it as \.docx"):
        read_minutes_file(write(tmp_path, "minutes.doc", ole))
    with pytest.raises(UnreadableMinutes, match=r"older Word \(\.doc\) document renamed"):
        read_minutes_file(write(tmp_path, "renamed.docx", ole))


@pytest.mark.parametrize("data", [b"", b"  \n\n\t\n"])
def test_an_empty_file_is_refused(tmp_path, data):
    with pytest.raises(UnreadableMinutes, match="minutes.txt is empty"):
        read_minutes_file(write(tmp_path, "minutes.txt", data))


def test_a_word_document_with_no_text_is_refused(tmp_path):
    with pytest.raises(UnreadableMinutes, match="has no text in it"):
        read_minutes_file(word_document(tmp_path))


def test_a_binary_file_given_as_text_is_refused(tmp_path):
    data = bytes(range(256)) * 8
    with pytest.raises(UnreadableMinutes, match="not a text file"):
        read_minutes_file(write(tmp_path, "minutes.txt", data))


def test_a_pdf_given_as_text_is_refused(tmp_path):
    with pytest.raises(UnreadableMinutes, match="is a PDF, not plain text"):
        read_minutes_file(write(tmp_path, "minutes.txt", b"%PDF-1.4\nbinary"))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("minutes.pdf", "is a PDF: export its text"),
        ("minutes.odt", "files ending .odt cannot be imported"),
    ],
)
def test_unsupported_kinds_of_file_are_refused(tmp_path, name, message):
    with pytest.raises(UnreadableMinutes, match=message):
        read_minutes_file(write(tmp_path, name, b"something"))


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(UnreadableMinutes, match="was not found"):
        read_minutes_file(tmp_path / "nowhere.txt")
