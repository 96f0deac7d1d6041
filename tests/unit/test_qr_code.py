"""The signature mark's fast QR mask choice (eoffice.signing.qr_code) is qrcode's own: the same
penalty for every mask of many symbols, hence the same mask and the same modules."""

from __future__ import annotations

import random
import string

import pytest
import qrcode
from eoffice.signing.qr_code import FastQRCode, lost_point
from qrcode import util


def _urls() -> list[str]:
    rng = random.Random(19)
    alphabet = string.ascii_letters + string.digits + "-_"
    urls = [f"https://eoffice.luwutimurkab.go.id/verify/{rng.randrange(16**32):032x}"]
    for length in (1, 10, 40, 90, 150, 260):  # versions 1 to 10 or so (version info from 7)
        for _ in range(4):
            urls.append("https://e.go.id/v/" + "".join(rng.choices(alphabet, k=length)))
    return urls


def _bits(modules: list[list[bool]]) -> list[int]:
    return [int("".join("1" if m else "0" for m in row), 2) for row in modules]


@pytest.mark.parametrize("url", _urls())
def test_every_mask_scores_as_qrcode_scores_it(url: str) -> None:
    stock = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    stock.add_data(url)
    stock.best_fit()
    for pattern in range(8):
        stock.makeImpl(True, pattern)
        expected = util.lost_point(stock.modules)
        assert lost_point(_bits(stock.modules), stock.modules_count) == expected, pattern


@pytest.mark.parametrize("url", _urls())
def test_the_same_symbol_as_qrcode(url: str) -> None:
    codes = []
    for kind in (qrcode.QRCode, FastQRCode):
        code = kind(error_correction=qrcode.constants.ERROR_CORRECT_M)
        code.add_data(url)
        code.make()
        codes.append(code)
    stock, fast = codes
    assert fast.version == stock.version
    assert fast.modules == stock.modules  # mask and format information included


def test_the_mark_draws_the_code_stock_pyhanko_draws() -> None:
    """The signature mark's style (FastQRStampStyle) writes the very QR XObject pyHanko's
    QRStampStyle writes for the same URL."""
    import dataclasses

    from eoffice.signing import stamps
    from eoffice.signing.pades_models import VisibleSignature
    from pyhanko.pdf_utils.writer import PdfFileWriter
    from pyhanko.stamp import QRStampStyle

    url = _urls()[0]
    visible = VisibleSignature(url, "Budi Santoso, S.Kom.", "Kepala Dinas", "1 Desember 2026", 0)
    ours, text = stamps.signature_appearance(visible)
    fields = {f.name: getattr(ours, f.name) for f in dataclasses.fields(ours)}
    drawn = []
    for style in (ours, QRStampStyle(**fields)):
        writer = PdfFileWriter()
        stamp = style.create_stamp(writer, None, dict(text))
        reference, size = stamp._qr_xobject()
        drawn.append((type(stamp).__name__, reference.get_object().data, size))
    (fast_kind, fast, fast_size), (stock_kind, stock, stock_size) = drawn
    assert fast_kind != stock_kind  # two implementations...
    assert (fast, fast_size) == (stock, stock_size)  # ...one drawing


@pytest.mark.parametrize("url", _urls())
def test_the_same_codewords_as_qrcode(url: str) -> None:
    """Data bits, padding and the Reed-Solomon blocks, interleaved (one block or several, of
    one size or two)."""
    from eoffice.signing.qr_code import create_data

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    version = code.best_fit()
    fast = FastQRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    fast.add_data(url)
    assert fast.best_fit() == version
    expected = util.create_data(version, code.error_correction, code.data_list)
    assert create_data(version, code.error_correction, code.data_list) == expected


@pytest.mark.parametrize("url", _urls()[:6])
def test_each_masks_lines_are_the_masked_symbols_lines(url: str) -> None:
    """best_mask_pattern masks the rows and columns laid end to end with one XOR: the same
    integer as laying the masked symbol's own rows and columns end to end."""
    from eoffice.signing.qr_code import _lines

    code = FastQRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make()
    layout = code._layout()
    unmasked = layout.unmasked(code.data_cache)
    for pattern in range(8):
        rows = [bits ^ mask for bits, mask in zip(unmasked, layout.masks[pattern], strict=True)]
        expected = _lines(rows, layout.size)
        assert _lines(unmasked, layout.size) ^ layout.mask_lines[pattern] == expected, pattern
