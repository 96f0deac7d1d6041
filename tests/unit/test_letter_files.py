"""Intake file checks by content, and the cover sheet that ties a later scan to its letter."""

from __future__ import annotations

import hashlib
import io
import json
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from datetime import date

import pytest
from eoffice.letters import file_rules as files
from eoffice.letters.cover_sheet import HEADING, CoverSheet, render
from eoffice.letters.file_rules import (
    COVER_PREFIX,
    FileKind,
    Inspection,
    RejectedFile,
    Rejection,
    cover_payload,
    inspect,
    letter_id_from_codes,
    sniff,
)
from eoffice.letters.limits import DEFAULT, MIB, Limits
from PIL import Image
from pypdf import PdfReader, PdfWriter
from support import hostile_pdfs

from bench.scans import SENTENCES, make_scan

LIMIT = 50_000_000
LETTER_ID = "3f2a9c0d1b7e4a5f8c6d2e1f0a9b8c7d"


def _image(fmt: str, *, frames: int = 1, mode: str = "L") -> bytes:
    pages = [Image.new(mode, (320, 240), 40 + 60 * i) for i in range(frames)]
    buffer = io.BytesIO()
    pages[0].save(buffer, fmt, save_all=frames > 1, append_images=pages[1:])
    return buffer.getvalue()


def _encrypted(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_scan(2, with_text=True, seed=5))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _rejection(data: bytes, max_bytes: int = LIMIT) -> Rejection:
    with pytest.raises(RejectedFile) as caught:
        inspect(data, max_bytes=max_bytes)
    assert caught.value.detail
    return caught.value.reason


def _sheet(**changes: object) -> CoverSheet:
    fields: dict[str, object] = {
        "letter_id": LETTER_ID,
        "agenda_number": "17/2026",
        "unit_name": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "received_on": date(2026, 3, 4),
        "sender": "Dinas Pendidikan Kabupaten Luwu Timur",
        "sender_number": "005/123/Disdik/III/2026",
        "subject": "Undangan rapat koordinasi penyusunan anggaran",
        "sifat": "biasa",
        "urgensi": "amat_segera",
    }
    return CoverSheet(**{**fields, **changes})  # type: ignore[arg-type]


# Accepted files


def _check(found: Inspection, data: bytes, kind: FileKind, media_type: str, pages: int) -> None:
    assert found.kind is kind
    assert found.media_type == media_type
    assert found.size == len(data)
    assert found.sha256 == hashlib.sha256(data).hexdigest()
    assert found.pages == pages


def test_scanned_pdf_with_ocr_text() -> None:
    data = make_scan(1, with_text=True, seed=1)
    found = inspect(data, max_bytes=LIMIT)
    _check(found, data, FileKind.pdf, "application/pdf", 1)
    assert found.has_text
    assert any(sentence in found.text for sentence in SENTENCES)
    assert "  " not in found.text
    assert found.codes == ()


def test_image_only_pdf_has_no_text() -> None:
    data = make_scan(1, with_text=False, seed=2)
    found = inspect(data, max_bytes=LIMIT)
    _check(found, data, FileKind.pdf, "application/pdf", 1)
    assert found.text == ""
    assert not found.has_text


def test_multi_page_pdf() -> None:
    data = make_scan(12, with_text=True, seed=3)
    found = inspect(data, max_bytes=LIMIT)
    _check(found, data, FileKind.pdf, "application/pdf", 12)
    assert found.text.count("\n") == 11  # one line per page


def test_text_layer_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_TEXT_CHARS", 300)
    found = inspect(make_scan(6, with_text=True, seed=4), max_bytes=LIMIT)
    assert found.pages == 6
    assert 0 < len(found.text) <= 300


def test_the_text_is_pypdfs_own_without_its_code_table_rebuilt_for_every_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pypdf._codecs

    data = make_scan(8, with_text=True, seed=6)
    pages = PdfReader(io.BytesIO(data)).pages
    plain = "\n".join(" ".join(page.extract_text().split()) for page in pages)
    inspect(data, max_bytes=LIMIT)  # the tables are built once per process
    built: list[str] = []
    build = pypdf._codecs.fill_from_encoding
    monkeypatch.setattr(pypdf._codecs, "fill_from_encoding", lambda e: built.append(e) or build(e))
    assert inspect(data, max_bytes=LIMIT).text == plain
    assert built == []


@pytest.mark.parametrize(
    ("fmt", "kind", "media_type"),
    [("JPEG", FileKind.jpeg, "image/jpeg"), ("PNG", FileKind.png, "image/png")],
)
def test_single_images(fmt: str, kind: FileKind, media_type: str) -> None:
    data = _image(fmt, mode="RGB")
    found = inspect(data, max_bytes=LIMIT)
    _check(found, data, kind, media_type, 1)
    assert found.text == ""
    assert found.codes == ()


def test_multi_frame_tiff_counts_frames() -> None:
    data = _image("TIFF", frames=3)
    found = inspect(data, max_bytes=LIMIT)
    _check(found, data, FileKind.tiff, "image/tiff", 3)
    assert found.text == ""


def test_pdf_after_a_byte_order_mark_and_blank_lines() -> None:
    data = b"\xef\xbb\xbf\r\n" + make_scan(1, with_text=False, seed=6)
    assert inspect(data, max_bytes=LIMIT).kind is FileKind.pdf


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", FileKind.pdf),
        (b"  \n\x00%PDF-1.4", FileKind.pdf),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", FileKind.jpeg),
        (b"\x89PNG\r\n\x1a\n\x00", FileKind.png),
        (b"II*\x00\x08\x00", FileKind.tiff),
        (b"MM\x00*\x00\x00", FileKind.tiff),
        (b"PK\x03\x04", None),
        (b"GIF89a", None),
        (b"Dear sir, %PDF-1.7", None),
        (b" " * 1030 + b"%PDF-1.7", None),
        (b"", None),
    ],
)
def test_sniff_by_magic(head: bytes, kind: FileKind | None) -> None:
    assert sniff(head) == kind


# Rejections


def test_empty() -> None:
    assert _rejection(b"") is Rejection.empty


def test_too_large_is_decided_before_parsing() -> None:
    assert _rejection(b"not even a file" * 10, max_bytes=100) is Rejection.too_large
    data = make_scan(1, with_text=False, seed=7)
    assert _rejection(data, max_bytes=len(data) - 1) is Rejection.too_large
    assert inspect(data, max_bytes=len(data)).size == len(data)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _zip_storing_a_pdf() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("a.pdf", make_scan(1, with_text=False, seed=8))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_docx(), id="docx"),
        pytest.param(_zip_storing_a_pdf(), id="zip-holding-a-pdf"),
        pytest.param(b"Surat undangan rapat, saved as surat.pdf\n", id="text-named-pdf"),
        pytest.param(_image("GIF"), id="gif"),
    ],
)
def test_unsupported_content(data: bytes) -> None:
    assert _rejection(data) is Rejection.unsupported_type


def _png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(make_scan(3, with_text=True, seed=9)[:60_000], id="pdf-truncated-early"),
        pytest.param(
            (lambda d: d[: len(d) // 2])(make_scan(3, with_text=True, seed=9)),
            id="pdf-truncated-in-the-middle",
        ),
        pytest.param(b"%PDF-1.7\n" + bytes(range(256)) * 64, id="garbage-after-pdf-header"),
        pytest.param(
            b"%PDF-1.7\n" + bytes(range(256)) * 64 + b"\n%%EOF\n", id="garbage-with-eof-marker"
        ),
        pytest.param(b"%PDF-1.4\n%%EOF\n", id="pdf-header-only"),
        pytest.param((lambda d: d[: len(d) // 2])(_image("JPEG")), id="jpeg-truncated"),
        pytest.param(b"\xff\xd8\xff\xe0" + b"\x00" * 200, id="jpeg-header-only"),
        pytest.param((lambda d: d[: len(d) // 2])(_image("PNG", mode="RGB")), id="png-truncated"),
        pytest.param((lambda d: d[: len(d) - 200])(_image("TIFF", frames=3)), id="tiff-truncated"),
    ],
)
def test_corrupt_content(data: bytes) -> None:
    assert _rejection(data) is Rejection.corrupt


@pytest.mark.parametrize("user_password", ["", "rahasia"])
def test_encrypted_pdf_even_without_a_user_password(user_password: str) -> None:
    assert _rejection(_encrypted(user_password)) is Rejection.encrypted


def test_rejection_carries_code_and_detail() -> None:
    with pytest.raises(RejectedFile) as caught:
        inspect(b"x" * 11, max_bytes=10)
    assert caught.value.reason == "too_large"
    assert "10" in caught.value.detail


# Hostile files (docs/decisions/0015-hostile-files.md)


@pytest.mark.parametrize("name", list(hostile_pdfs.ACTIVE))
def test_a_pdf_with_active_content_is_refused(name: str) -> None:
    data = hostile_pdfs.ACTIVE[name](1)
    with pytest.raises(RejectedFile) as caught:
        inspect(data, max_bytes=LIMIT)
    assert caught.value.reason is Rejection.active_content
    assert "does not accept" in caught.value.detail
    assert inspect(make_scan(1, with_text=True, seed=1), max_bytes=LIMIT).pages == 1


@pytest.mark.parametrize(
    ("name", "named"),
    [
        ("javascript_on_open", "JavaScript"),
        ("javascript_with_an_escaped_name", "JavaScript"),
        ("launch_action", "launches a program"),
        ("link_to_a_network_share", "other than a web or mail address"),
        ("link_opened_with_the_document", "runs by itself"),
        ("embedded_file", "attached file"),
        ("file_attachment_annotation", "attached file"),
        ("xfa_form", "XFA form"),
    ],
)
def test_the_refusal_says_what_was_found(name: str, named: str) -> None:
    with pytest.raises(RejectedFile) as caught:
        inspect(hostile_pdfs.ACTIVE[name](2), max_bytes=LIMIT)
    assert named in caught.value.detail


@pytest.mark.parametrize("name", list(hostile_pdfs.HARMLESS))
def test_web_links_and_an_opening_view_are_accepted(name: str) -> None:
    found = inspect(hostile_pdfs.HARMLESS[name](3), max_bytes=LIMIT)
    assert found.kind is FileKind.pdf and found.pages == 1 and found.has_text


def _peak_bytes(data: bytes, limits: Limits = DEFAULT) -> tuple[Rejection | None, int]:
    """What inspecting ``data`` concluded, and the most memory Python held meanwhile."""
    tracemalloc.start()
    try:
        inspect(data, max_bytes=LIMIT, limits=limits)
        reason = None
    except RejectedFile as refused:
        reason = refused.reason
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return reason, peak


def test_a_decompression_bomb_is_refused_within_bounded_memory() -> None:
    data = hostile_pdfs.decompression_bomb(4, inflates_to=512 * MIB)
    assert len(data) < 1 * MIB
    reason, peak = _peak_bytes(data)
    assert reason is Rejection.too_complex
    # pypdf alone would inflate 75 MB of it before giving up, and keep copies: over 150 MB.
    assert peak < DEFAULT.stream_bytes * 3, f"{peak / MIB:.0f} MiB"


def test_many_streams_that_inflate_together_are_refused_within_bounded_memory() -> None:
    data = hostile_pdfs.many_inflating_pages(5, pages=8, each=24 * MIB)  # 192 MiB in all
    assert len(data) < 1 * MIB
    reason, peak = _peak_bytes(data)
    assert reason is Rejection.too_complex  # each stream alone is under every pypdf limit
    assert peak < DEFAULT.decoded_bytes + 2 * DEFAULT.stream_bytes, f"{peak / MIB:.0f} MiB"


@pytest.mark.parametrize("tree", ["absurd_page_tree", "lying_page_count"])
def test_a_page_tree_claiming_too_many_pages_is_refused_at_once(tree: str) -> None:
    data = getattr(hostile_pdfs, tree)(6)
    started = time.monotonic()
    with pytest.raises(RejectedFile) as caught:
        inspect(data, max_bytes=LIMIT)
    assert caught.value.reason is Rejection.too_complex
    assert f"more than {DEFAULT.pages:,} pages" in caught.value.detail
    assert time.monotonic() - started < 2  # pypdf would copy pages for seconds first


def test_pages_slow_to_parse_stop_the_text_within_the_time_allowed() -> None:
    """80 pages whose content takes pypdf a fifth of a second each to parse (16 s in all): text
    extraction stops at half the time allowed; the file is still checked and accepted."""
    data = hostile_pdfs.slow_pages(7, pages=80)
    limits = Limits(seconds=5.0)
    started = time.monotonic()
    found = inspect(data, max_bytes=LIMIT, limits=limits)
    elapsed = time.monotonic() - started
    assert found.pages == 80
    assert elapsed < limits.seconds + 2, f"{elapsed:.1f} s"


def test_an_inspection_past_its_time_is_refused() -> None:
    with pytest.raises(RejectedFile) as caught:
        inspect(make_scan(3, with_text=True, seed=8), max_bytes=LIMIT, limits=Limits(seconds=0))
    assert caught.value.reason is Rejection.too_complex
    assert "longer than 0 seconds" in caught.value.detail


@pytest.mark.parametrize(
    ("data", "limits"),
    [
        pytest.param(_png_claiming(40_000, 40_000), DEFAULT, id="png-of-1.6-gigapixels"),
        pytest.param(_png_claiming(9_500, 8_500), DEFAULT, id="png-past-the-pixel-limit"),
        pytest.param(_image("TIFF", frames=6), Limits(pages=5), id="tiff-past-the-page-limit"),
    ],
)
def test_an_image_too_large_to_decode_is_refused_before_decoding(
    data: bytes, limits: Limits
) -> None:
    reason, peak = _peak_bytes(data, limits)
    assert reason is Rejection.too_complex
    assert peak < 16 * MIB


# check: the same checks for files that are kept but never read (report files, leave documents)

_TOO_COMPLEX = {
    "decompression_bomb": lambda seed: hostile_pdfs.decompression_bomb(seed),
    "many_inflating_pages": lambda seed: hostile_pdfs.many_inflating_pages(seed, pages=8),
    "absurd_page_tree": hostile_pdfs.absurd_page_tree,
    "lying_page_count": hostile_pdfs.lying_page_count,
}


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        *[
            pytest.param(make, Rejection.active_content, id=n)
            for n, make in hostile_pdfs.ACTIVE.items()
        ],
        *[pytest.param(make, Rejection.too_complex, id=n) for n, make in _TOO_COMPLEX.items()],
    ],
)
def test_check_refuses_what_inspect_refuses(
    make: Callable[[int], bytes], reason: Rejection
) -> None:
    data = make(20)
    for examine in (inspect, files.check):
        with pytest.raises(RejectedFile) as caught:
            examine(data, max_bytes=LIMIT)
        assert caught.value.reason is reason, examine


@pytest.mark.parametrize("name", list(hostile_pdfs.HARMLESS))
def test_check_accepts_what_inspect_accepts_without_reading_it(name: str) -> None:
    found = files.check(hostile_pdfs.HARMLESS[name](21), max_bytes=LIMIT)
    assert found.kind is FileKind.pdf and found.pages == 1
    assert found.text == "" and found.codes == ()


def test_check_looks_for_no_cover_sheet_and_never_loads_zxing() -> None:
    """The API and attendance functions ship pypdf and Pillow for ``check``, not zxing-cpp."""
    script = (
        "import json, sys\n"
        "from bench.scans import make_scan\n"
        "from eoffice.letters import file_rules as files\n"
        f"data = make_scan(2, with_text=True, seed=22, cover_for={LETTER_ID!r})\n"
        "found = files.check(data, max_bytes=10**8)\n"
        "print(json.dumps([found.pages, found.codes, 'zxingcpp' in sys.modules]))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(run.stdout) == [2, [], False]


def test_check_refuses_a_kind_it_was_not_given_before_parsing_it() -> None:
    kinds = (FileKind.pdf, FileKind.jpeg, FileKind.png)
    damaged = _image("TIFF")[:40]  # would be corrupt, were it parsed
    with pytest.raises(RejectedFile) as caught:
        files.check(damaged, max_bytes=LIMIT, kinds=kinds)
    assert caught.value.reason is Rejection.unsupported_type
    assert caught.value.detail == "The content is not a PDF, JPEG or PNG file."
    assert files.check(_image("PNG"), max_bytes=LIMIT, kinds=kinds).media_type == "image/png"
    with pytest.raises(RejectedFile) as caught:
        files.check(_image("PNG")[:-30], max_bytes=LIMIT, kinds=kinds)
    assert caught.value.reason is Rejection.corrupt


# Cover sheets


def test_scanned_cover_sheet_names_its_letter() -> None:
    data = make_scan(3, with_text=False, seed=10, cover_for=LETTER_ID)
    found = inspect(data, max_bytes=LIMIT)
    assert found.pages == 3
    assert found.text == ""  # found by decoding the page image, not through text
    assert letter_id_from_codes(found.codes) == LETTER_ID


def test_scanned_cover_sheet_with_ocr_text() -> None:
    data = make_scan(2, with_text=True, seed=11, cover_for=LETTER_ID)
    assert letter_id_from_codes(inspect(data, max_bytes=LIMIT).codes) == LETTER_ID


def _one_image_pdf(image: Image.Image, fmt: str) -> bytes:
    from fpdf import FPDF

    encoded = io.BytesIO()
    image.save(encoded, fmt, **({"quality": 80} if fmt == "JPEG" else {}))
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_page()
    pdf.image(io.BytesIO(encoded.getvalue()), x=0, y=0, w=210, h=297)
    return bytes(pdf.output())


@pytest.mark.parametrize(
    ("mode", "fmt", "scale"),
    [
        ("RGB", "JPEG", 1),  # a colour scan: decoded straight to gray
        ("L", "JPEG", 2),  # 300 dpi: decoded at half the size (1240 x 1754 px)
        ("L", "JPEG", 3),  # 450 dpi: decoded whole, then reduced to a third
        ("CMYK", "JPEG", 1),  # through pypdf's general path
        ("L", "PNG", 1),  # FlateDecode: through pypdf's general path
        ("RGB", "PNG", 1),
    ],
)
def test_scanned_cover_sheet_in_any_image_encoding_names_its_letter(
    mode: str, fmt: str, scale: int
) -> None:
    scanned = make_scan(1, with_text=False, seed=14, cover_for=LETTER_ID)
    page = PdfReader(io.BytesIO(scanned)).pages[0].images[0].image
    assert page is not None
    if scale > 1:
        page = page.resize((page.width * scale, page.height * scale), Image.Resampling.BICUBIC)
    data = _one_image_pdf(page.convert(mode), fmt)
    assert letter_id_from_codes(inspect(data, max_bytes=LIMIT).codes) == LETTER_ID


def _page_with_a_form_holding_the_scan(scan: bytes) -> bytes:
    """The scan's page 1, its image moved into a form XObject the page draws."""
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(scan)))
    page = writer.pages[0]
    resources = page["/Resources"].get_object()
    form = DecodedStreamObject()
    form.set_data(b"q 595 0 0 842 0 0 cm /I1 Do Q")
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): page.mediabox,
            NameObject("/Resources"): DictionaryObject(
                {NameObject("/XObject"): resources["/XObject"]}
            ),
        }
    )
    resources[NameObject("/XObject")] = DictionaryObject(
        {NameObject("/Fm1"): writer._add_object(form)}
    )
    contents = DecodedStreamObject()
    contents.set_data(b"/Fm1 Do")
    page[NameObject("/Contents")] = writer._add_object(contents)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_page_images_are_named_as_pypdf_names_them_and_found_in_forms() -> None:
    scan = make_scan(1, with_text=True, seed=15, cover_for=LETTER_ID)
    in_form = _page_with_a_form_holding_the_scan(scan)
    for data in (scan, in_form):
        page = PdfReader(io.BytesIO(data)).pages[0]
        assert files._image_names(page) == list(page.images.keys())
    assert files._image_names(PdfReader(io.BytesIO(in_form)).pages[0]) == [["/Fm1", "/I1"]]
    assert letter_id_from_codes(inspect(in_form, max_bytes=LIMIT).codes) == LETTER_ID


def test_cover_sheet_after_the_first_page_is_not_looked_for() -> None:
    letter = make_scan(1, with_text=False, seed=12)
    cover = make_scan(1, with_text=False, seed=13, cover_for=LETTER_ID)
    writer = PdfWriter()
    for part in (letter, cover):
        writer.append(PdfReader(io.BytesIO(part)))
    buffer = io.BytesIO()
    writer.write(buffer)
    assert inspect(buffer.getvalue(), max_bytes=LIMIT).codes == ()


def test_digital_cover_sheet_is_recognised_through_its_text() -> None:
    found = inspect(render(_sheet()), max_bytes=LIMIT)
    assert found.pages == 1
    assert cover_payload(LETTER_ID) in found.text
    assert letter_id_from_codes(found.codes) == LETTER_ID


def test_rendered_cover_sheet_is_one_a4_page_in_indonesian() -> None:
    reader = PdfReader(io.BytesIO(render(_sheet())))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = page.extract_text()
    for expected in (HEADING, "Nomor Agenda", "17/2026", "Tanggal Diterima", "04-03-2026"):
        assert expected in text
    assert "Letakkan lembar ini di atas surat" in " ".join(text.split())
    assert "amat segera" in text


def test_cover_sheet_survives_unencodable_and_long_text() -> None:
    sheet = _sheet(
        sender="Dinas “Pendidikan” — Ağr\u0131 😀 测试",
        subject="Rapat koordinasi ﬁnal " * 60,
        unit_name="Kecamatan Wasuponda\u0000\n\tBagian Umum",
    )
    data = render(sheet)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Dinas “Pendidikan” — Agr? ? ??" in text  # cp1252 kept, ğ transliterated, rest "?"
    assert "KECAMATAN WASUPONDA BAGIAN UMUM" in text
    assert "Rapat koord..." in text
    assert letter_id_from_codes(inspect(data, max_bytes=LIMIT).codes) == LETTER_ID


def test_render_is_deterministic() -> None:
    assert render(_sheet()) == render(_sheet())
    assert render(_sheet()) != render(_sheet(agenda_number="18/2026"))


def test_cover_payload_refuses_a_malformed_id() -> None:
    assert cover_payload(LETTER_ID) == COVER_PREFIX + LETTER_ID
    with pytest.raises(ValueError, match="32 lowercase"):
        cover_payload(LETTER_ID.upper())


def test_letter_id_from_codes_skips_malformed_payloads() -> None:
    other = "0" * 31 + "1"
    codes = [
        "https://tte.luwutimurkab.go.id/verify/abc",
        COVER_PREFIX + LETTER_ID.upper(),
        COVER_PREFIX + LETTER_ID[:-1],
        COVER_PREFIX + LETTER_ID + "0",
        "X" + COVER_PREFIX + LETTER_ID,
        COVER_PREFIX + LETTER_ID.replace("3", "g"),
        f" {COVER_PREFIX}{other}\n",
        COVER_PREFIX + LETTER_ID,
    ]
    assert letter_id_from_codes(codes) == other
    assert letter_id_from_codes(codes[:6]) is None
    assert letter_id_from_codes([]) is None


# Start-up cost


def test_importing_the_modules_loads_no_heavy_library() -> None:
    heavy = ("pypdf", "PIL", "zxingcpp", "fpdf", "qrcode")
    script = (
        "import json, sys\n"
        "import eoffice.letters.file_rules, eoffice.letters.cover_sheet\n"
        f"print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(run.stdout) == []
