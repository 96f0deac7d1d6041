"""The signature mark's QR code, with qrcode's own mask choice made faster (issue 19).

qrcode picks the mask (ISO/IEC 18004 8.8.2) by laying the whole symbol out eight times and
scoring each layout module by module in Python: about 5-9 ms of a 20 ms signature. Here the
symbol is laid out once (mask 0, in qrcode's test mode, as it scores), the other seven are the
same modules with another mask on the data modules, as row bitmasks, and the four penalty rules
are counted with integer and regular-expression operations. The score of every mask equals
qrcode's ``util.lost_point`` (tests/unit/test_qr_code.py compares them), so the code drawn is
the one stock pyHanko draws, module for module.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

import qrcode  # type: ignore[import-untyped]
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.writer import BasePdfFileWriter, init_xobject_dictionary
from pyhanko.stamp import QRStamp, QRStampStyle
from qrcode import util
from qrcode.main import (  # type: ignore[import-untyped]
    copy_2d_array,
    precomputed_qr_blanks,
)

_RUN = re.compile(r"0{5,}|1{5,}")
_FINDER_LIKE = re.compile(r"(?=10111010000|00001011101)")


class FastQRCode(qrcode.QRCode):  # type: ignore[misc]
    """A ``qrcode.QRCode`` whose :meth:`best_mask_pattern` scores the masks without
    re-laying the symbol out; same choice as qrcode's."""

    _scored: tuple[object, list[int]] | None = None
    """(qrcode's data bytes, the data modules before masking as row bitmasks) of the last
    :meth:`best_mask_pattern`: the final layout takes its data modules from them."""

    def best_mask_pattern(self) -> int:
        self.makeImpl(True, 0)
        size = self.modules_count
        masks = self._masks()
        unmasked = [_row_bits(row) ^ mask for row, mask in zip(self.modules, masks[0], strict=True)]
        best, best_score = 0, 0
        for pattern in range(8):
            rows = [bits ^ mask for bits, mask in zip(unmasked, masks[pattern], strict=True)]
            score = lost_point(rows, size)
            if pattern == 0 or score < best_score:
                best, best_score = pattern, score
        self._scored = (self.data_cache, unmasked)
        return best

    def makeImpl(self, test: bool, mask_pattern: int) -> None:  # noqa: N802 (qrcode's name)
        """qrcode's layout; the final one (after :meth:`best_mask_pattern`) places the scored
        data modules instead of walking the data again."""
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
        masks = self._masks()[mask_pattern]
        return [bits ^ mask for bits, mask in zip(unmasked, masks, strict=True)]

    def _masks(self) -> tuple[tuple[int, ...], ...]:
        masks = _MASKS.get(self.version)
        if masks is None:
            blank = self._test_blank()
            masks = _MASKS.setdefault(self.version, _data_masks(blank, self.modules_count))
        return masks

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


def lost_point(rows: list[int], size: int) -> int:
    """qrcode's ``util.lost_point`` of the symbol whose row ``r`` is the bitmask ``rows[r]``
    (bit ``size - 1 - c`` is column ``c``, 1 dark)."""
    lines = [format(bits, f"0{size}b") for bits in rows]
    columns = ["".join(column) for column in zip(*lines, strict=True)]
    text = "\n".join((*lines, *columns))  # no run or pattern crosses a line break
    runs = sum(len(run) - 2 for run in _RUN.findall(text))
    finder_like = len(_FINDER_LIKE.findall(text))
    narrow = (1 << (size - 1)) - 1
    blocks = 0
    for top, bottom in itertools.pairwise(rows):
        same = ~(top ^ bottom)
        same_pair = same & (same >> 1)
        flat = ~(top ^ (top >> 1))
        blocks += (same_pair & flat & narrow).bit_count()
    dark = sum(bits.bit_count() for bits in rows)
    percent = float(dark) / (size**2)
    rating = int(abs(percent * 100 - 50) / 5)
    return runs + 3 * blocks + 40 * finder_like + rating * 10


def _row_bits(row: list[Any]) -> int:
    bits = 0
    for module in row:
        bits = (bits << 1) | (1 if module else 0)
    return bits


_MASKS: dict[int, tuple[tuple[int, ...], ...]] = {}
"""Per version: each mask as row bitmasks, restricted to the data modules."""


def _data_masks(blank: list[list[Any]], size: int) -> tuple[tuple[int, ...], ...]:
    free = [_row_bits([cell is None for cell in row]) for row in blank]
    masks = []
    for pattern in range(8):
        flips = util.mask_func(pattern)
        rows = [_row_bits([flips(r, c) for c in range(size)]) & free[r] for r in range(size)]
        masks.append(tuple(rows))
    return tuple(masks)


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
        commands = code.make_image(image_factory=PdfStreamQRImage).render_command_stream()
        size = (code.modules_count + 2 * code.border) * code.box_size
        xobject = init_xobject_dictionary(commands, size, size)
        xobject.compress()
        return self.writer.add_object(xobject), size  # type: ignore[union-attr]
