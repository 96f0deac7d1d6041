"""The signature mark's QR code: qrcode's own symbol, made several times faster (issue 19).

qrcode encodes bit by bit in Python, then picks the mask (ISO/IEC 18004 8.8.2) by laying the
whole symbol out eight times and scoring each layout module by module: about 5-9 ms of a 20 ms
signature. Here the codewords are built on one integer with a table-driven Reed-Solomon
remainder, the data modules are placed once per symbol in qrcode's order (cached per version),
each mask is a row bitmask over them, and the four penalty rules are counted with integer
operations. Codewords, every mask's score and the final modules equal qrcode's
(tests/unit/test_qr_code.py), so the code drawn is the one stock pyHanko draws.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from typing import Any

import qrcode  # type: ignore[import-untyped]
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.writer import BasePdfFileWriter, init_xobject_dictionary
from pyhanko.stamp import QRStamp, QRStampStyle
from qrcode import LUT, base, util
from qrcode.exceptions import DataOverflowError  # type: ignore[import-untyped]
from qrcode.main import (  # type: ignore[import-untyped]
    copy_2d_array,
    precomputed_qr_blanks,
)

_FINDER_PATTERNS = ("10111010000", "00001011101")
"""Rule 3: 1:1:3:1:1 dark and light, with four light modules before or after."""


class FastQRCode(qrcode.QRCode):  # type: ignore[misc]
    """A ``qrcode.QRCode`` whose :meth:`best_mask_pattern` scores the masks without
    re-laying the symbol out; same choice as qrcode's."""

    _scored: tuple[object, list[int]] | None = None
    """(qrcode's data bytes, the data modules before masking as row bitmasks) of the last
    :meth:`best_mask_pattern`: the final layout takes its data modules from them."""

    def best_mask_pattern(self) -> int:
        if self.data_cache is None:  # type: ignore[has-type]
            self.data_cache = create_data(self.version, self.error_correction, self.data_list)
        layout = self._layout()
        unmasked = layout.unmasked(self.data_cache)
        unmasked_lines = _lines(unmasked, layout.size)
        best, best_score = 0, 0
        for pattern in range(8):
            lines = unmasked_lines ^ layout.mask_lines[pattern]  # masking commutes with transposing
            score = _lost_point(lines, layout.size)
            if pattern == 0 or score < best_score:
                best, best_score = pattern, score
        self._scored = (self.data_cache, unmasked)
        return best

    def best_fit(self, start: int | None = None) -> int:
        """qrcode's ``best_fit`` (the smallest version the data fits), counting bits with
        :class:`_Bits`."""
        start = start or 1
        util.check_version(start)
        mode_sizes = util.mode_sizes_for_version(start)
        bits = _Bits()
        for data in self.data_list:
            bits.put(data.mode, 4)
            bits.put(len(data), mode_sizes[data.mode])
            data.write(bits)
        limits = util.BIT_LIMIT_TABLE[self.error_correction]
        self.version = bisect.bisect_left(limits, len(bits), start)
        if self.version == 41:
            raise DataOverflowError()
        if mode_sizes is not util.mode_sizes_for_version(self.version):
            self.best_fit(start=self.version)
        version: int = self.version
        return version

    def makeImpl(self, test: bool, mask_pattern: int) -> None:  # noqa: N802 (qrcode's name)
        """qrcode's layout; the final one (after :meth:`best_mask_pattern`) places the scored
        data modules instead of walking the data again."""
        if self.data_cache is None:
            self.data_cache = create_data(self.version, self.error_correction, self.data_list)
        scored = self._scored
        if test or scored is None or scored[0] is not self.data_cache:
            super().makeImpl(test, mask_pattern)
            return
        size = self.modules_count = self.version * 4 + 17
        self.modules = copy_2d_array(precomputed_qr_blanks[self.version])
        self.setup_type_info(False, mask_pattern)
        if self.version >= 7:
            self.setup_type_number(False)
        for row, bits in zip(self.modules, self._data_rows(scored[1], mask_pattern), strict=True):
            for column in range(size):
                if row[column] is None:
                    row[column] = bool(bits >> (size - 1 - column) & 1)

    def _data_rows(self, unmasked: list[int], mask_pattern: int) -> list[int]:
        masks = self._layout().masks[mask_pattern]
        return [bits ^ mask for bits, mask in zip(unmasked, masks, strict=True)]

    def _layout(self) -> _Layout:
        layout = _LAYOUTS.get(self.version)
        if layout is None:
            if self.version not in precomputed_qr_blanks:  # qrcode fills it on a first layout
                super().makeImpl(True, 0)
            layout = _LAYOUTS.setdefault(self.version, _Layout.of(self._test_blank()))
        return layout

    def _test_blank(self) -> list[list[Any]]:
        """The symbol before the data: function patterns, and the format and version
        information as qrcode's test mode leaves them (light); None where data goes."""
        modules: list[list[Any]] = copy_2d_array(precomputed_qr_blanks[self.version])
        saved: list[list[Any]] = self.modules
        self.modules = modules
        try:
            self.setup_type_info(True, 0)
            if self.version >= 7:
                self.setup_type_number(True)
        finally:
            self.modules = saved
        return modules


@dataclass(frozen=True)
class _Layout:
    """What every symbol of a version shares, as row bitmasks (bit ``size - 1 - c`` is column
    ``c``): the test-mode symbol without data, where each data bit goes (qrcode's ``map_data``
    order) and each mask restricted to the data modules."""

    size: int
    blank: tuple[int, ...]
    order: tuple[tuple[int, int], ...]
    """(row, bit) of each data module, in the order qrcode fills them."""
    masks: tuple[tuple[int, ...], ...]
    mask_lines: tuple[int, ...]
    """Each mask's rows then columns end to end (:func:`_lines`)."""

    @classmethod
    def of(cls, blank: list[list[Any]]) -> _Layout:
        size = len(blank)
        free = [_row_bits([cell is None for cell in row]) for row in blank]
        masks = []
        for pattern in range(8):
            flips = util.mask_func(pattern)
            rows = [_row_bits([flips(r, c) for c in range(size)]) & free[r] for r in range(size)]
            masks.append(tuple(rows))
        order = tuple(_data_order(blank))
        lines = tuple(_lines(list(rows), size) for rows in masks)
        return cls(size, tuple(_row_bits(row) for row in blank), order, tuple(masks), lines)

    def unmasked(self, codewords: list[int]) -> list[int]:
        """The symbol with ``codewords`` placed, before masking (bits past them light)."""
        rows = list(self.blank)
        data = "".join(format(codeword, "08b") for codeword in codewords)
        for bit, (row, shift) in zip(data, self.order, strict=False):
            if bit == "1":
                rows[row] |= 1 << shift
        return rows


def _data_order(blank: list[list[Any]]) -> list[tuple[int, int]]:
    """qrcode's ``map_data`` walk: column pairs from the right, up and down in turn, skipping
    the vertical timing column."""
    size = len(blank)
    order = []
    row, step = size - 1, -1
    for col in range(size - 1, 0, -2):
        if col <= 6:
            col -= 1
        while True:
            for c in (col, col - 1):
                if blank[row][c] is None:
                    order.append((row, size - 1 - c))
            row += step
            if row < 0 or size <= row:
                row -= step
                step = -step
                break
    return order


_LAYOUTS: dict[int, _Layout] = {}


class _Bits:
    """qrcode's ``BitBuffer`` as one integer: ``put`` appends ``length`` bits at once."""

    def __init__(self) -> None:
        self.value = 0
        self.length = 0

    def put(self, num: int, length: int) -> None:
        self.value = (self.value << length) | (num & ((1 << length) - 1))
        self.length += length

    def put_bit(self, bit: bool) -> None:
        self.put(1 if bit else 0, 1)

    def __len__(self) -> int:
        return self.length

    def codewords(self) -> bytes:
        """The bits as bytes (whole bytes only: the caller pads to a multiple of 8)."""
        return self.value.to_bytes(self.length // 8, "big")


def create_data(version: int, error_correction: int, data_list: list[Any]) -> list[int]:
    """qrcode's ``util.create_data`` (the codewords, data then error correction, interleaved),
    on :class:`_Bits` and a table-driven Reed-Solomon remainder (:func:`_error_correction`)."""
    bits = _Bits()
    for data in data_list:
        bits.put(data.mode, 4)
        bits.put(len(data), util.length_in_bits(data.mode, version))
        data.write(bits)
    blocks = base.rs_blocks(version, error_correction)
    bit_limit = sum(block.data_count * 8 for block in blocks)
    if len(bits) > bit_limit:
        raise DataOverflowError(f"Code length overflow. Data size ({len(bits)}) > {bit_limit}")
    bits.put(0, min(bit_limit - len(bits), 4))  # the terminator
    bits.put(0, -len(bits) % 8)
    for index in range((bit_limit - len(bits)) // 8):
        bits.put(util.PAD1 if index % 2 else util.PAD0, 8)
    codewords = bits.codewords()
    data_blocks, ec_blocks, offset = [], [], 0
    for block in blocks:
        chunk = codewords[offset : offset + block.data_count]
        offset += block.data_count
        data_blocks.append(chunk)
        ec_blocks.append(_error_correction(chunk, block.total_count - block.data_count))
    return _interleaved(data_blocks) + _interleaved(ec_blocks)


def _interleaved(blocks: list[Any]) -> list[int]:
    longest = max(len(block) for block in blocks)
    return [block[i] for i in range(longest) for block in blocks if i < len(block)]


def _error_correction(data: bytes, count: int) -> list[int]:
    """The Reed-Solomon remainder of ``data`` times x^count by qrcode's generator polynomial
    of degree ``count`` (GF(256), qrcode's exp/log tables)."""
    generator = _generator_logs(count)
    exp, log = base.EXP_TABLE, base.LOG_TABLE
    remainder = [0] * count
    for codeword in data:
        factor = codeword ^ remainder[0]
        remainder = [*remainder[1:], 0]
        if factor:
            factor_log = log[factor]
            for index, term in enumerate(generator):
                if term is not None:
                    remainder[index] ^= exp[(term + factor_log) % 255]
    return remainder


@functools.cache
def _generator_logs(count: int) -> tuple[int | None, ...]:
    """The generator polynomial's coefficients after the leading 1, as logarithms."""
    if count in LUT.rsPoly_LUT:
        coefficients = list(LUT.rsPoly_LUT[count])
    else:
        polynomial = base.Polynomial([1], 0)
        for i in range(count):
            polynomial = polynomial * base.Polynomial([1, base.gexp(i)], 0)
        coefficients = [polynomial[i] for i in range(len(polynomial))]
    return tuple(base.LOG_TABLE[c] if c else None for c in coefficients[1:])


def lost_point(rows: list[int], size: int) -> int:
    """qrcode's ``util.lost_point`` of the symbol whose row ``r`` is the bitmask ``rows[r]``
    (bit ``size - 1 - c`` is column ``c``, 1 dark).

    Rules 1 and 3 look along every row and column: those lines, laid end to end, make one
    integer, where a window of ``w`` bits is kept only where it lies within one line
    (:func:`_windows`)."""
    return _lost_point(_lines(rows, size), size)


def _lines(rows: list[int], size: int) -> int:
    """The rows of the symbol, then its columns, end to end in one integer (first row first,
    each line's first module its highest bit)."""
    lines = [format(bits, f"0{size}b") for bits in rows]
    columns = ["".join(column) for column in zip(*lines, strict=True)]
    return int("".join((*lines, *columns)), 2)


def _lost_point(both: int, size: int) -> int:
    """:func:`lost_point` of the symbol whose rows and columns, end to end, are ``both``; rule
    2 (2x2 blocks) compares each row with the one above, all rows at once."""
    equal = ~(both ^ (both >> 1))
    five = equal & (equal >> 1) & (equal >> 2) & (equal >> 3) & _windows(size, 5)
    runs = five.bit_count() + 2 * (five & ~(five >> 1)).bit_count()  # a run of n: n - 2
    finder_like = 0
    for pattern in _FINDER_PATTERNS:
        found = _windows(size, len(pattern))
        for offset, module in enumerate(reversed(pattern)):
            found &= (both >> offset) if module == "1" else ~(both >> offset)
        finder_like += found.bit_count()
    square = size * size
    rows = both >> square
    above = rows >> size  # in each row's place, the row above it
    same = ~(rows ^ above)
    flat = ~(above ^ (above >> 1))
    below_the_first = (1 << (square - size)) - 1
    blocks = (same & (same >> 1) & flat & _windows(size, 2) & below_the_first).bit_count()
    dark = rows.bit_count()
    percent = float(dark) / (size**2)
    rating = int(abs(percent * 100 - 50) / 5)
    return runs + 3 * blocks + 40 * finder_like + rating * 10


@functools.cache
def _windows(size: int, width: int) -> int:
    """Over ``2 * size`` lines of ``size`` bits end to end: the lowest bit of each window of
    ``width`` bits that lies within one line."""
    line = (1 << (size - width + 1)) - 1
    return sum(line << (index * size) for index in range(2 * size))


def _row_bits(row: list[Any]) -> int:
    bits = 0
    for module in row:
        bits = (bits << 1) | (1 if module else 0)
    return bits


@dataclass(frozen=True)
class FastQRStampStyle(QRStampStyle):
    """pyHanko's QR stamp style, drawing its code with :class:`FastQRCode`."""

    def create_stamp(
        self, writer: BasePdfFileWriter, box: layout.BoxConstraints, text_params: dict[str, Any]
    ) -> QRStamp:
        try:
            url = text_params.pop("url")
        except KeyError:
            raise layout.LayoutError("a QR stamp needs a 'url' text parameter") from None
        return _FastQRStamp(writer, style=self, url=url, text_params=text_params, box=box)


class _FastQRStamp(QRStamp):
    def _qr_xobject(self) -> tuple[Any, int]:
        """pyHanko's own (``QRStamp._qr_xobject``, plain style) but for the mask choice."""
        if self.style.qr_inner_content is not None:  # the "fancy" code: pyHanko's path
            return super()._qr_xobject()  # type: ignore[no-any-return]
        from pyhanko.pdf_utils.qr import PdfStreamQRImage

        code = FastQRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
        code.add_data(self.url)
        code.make()
        image = PdfStreamQRImage(
            code.border, code.modules_count, code.box_size, qrcode_modules=code.modules
        )
        commands = _command_stream(image.setup_drawing_area(), code.modules)
        size = (code.modules_count + 2 * code.border) * code.box_size
        xobject = init_xobject_dictionary(commands, size, size)
        xobject.compress()
        return self.writer.add_object(xobject), size  # type: ignore[union-attr]


def _command_stream(head: bytes, modules: list[list[Any]]) -> bytes:
    """``PdfStreamQRImage.render_command_stream``'s bytes (one ``re`` per dark module, column
    then row) without its per-module method calls (``make_image`` calls ``drawrect`` for each
    dark module, then formats each one with ``%g``; about 0.5 ms a mark)."""
    rects = [
        b"%d %d 1 1 re" % (column, row)
        for row, line in enumerate(modules)
        for column, module in enumerate(line)
        if module
    ]
    return b"\n".join([head, *rects, b"f"])
