"""Check-in selfies, the decisions: the key a selfie lives under, and whether what was uploaded
is a usable photo (by content: S3 checks only size and declared type, and the emulator not even
those), with the hash that spots a photo used twice. Pure; the bucket is ``selfie_store.py``.

Keys are ``selfies/{yyyy}/{mm}/{nip}/{selfie_id}.jpg`` with the WITA month of the upload form. The
selfie id starts with that month (``202611-<32 hex>``), so ``key_of`` finds the key from the
employee and the id alone: a check-in names only ``selfie_id``, and the key cannot point at
another employee's photo because the NIP comes from the caller, never from the phone.

Pillow is imported inside ``check_content`` only: the check-in function imports this module for
the upload form and must stay small at start-up.
"""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import TYPE_CHECKING

from eoffice import clock
from eoffice.attendance.models import SelfieProblem

if TYPE_CHECKING:
    from PIL.Image import Image

MIN_BYTES = 10_000
"""A smaller file cannot be a usable face photo (a blank or thumbnail image)."""
MAX_BYTES = 1_500_000
"""A phone's 720x960 selfie at quality 85 is 100-300 kB; the form and the check refuse more."""
MIN_SIDE = 240
MAX_SIDE = 4096
MAX_PIXELS = 40_000_000
"""Never decode more than this; the side limits already imply it (4096 x 4096 = 16.8 M)."""
MEDIA_TYPE = "image/jpeg"
PREFIX = "selfies/"

_JPEG_MAGIC = b"\xff\xd8\xff"
_SELFIE_ID = re.compile(r"(?P<year>\d{4})(?P<month>0[1-9]|1[0-2])-[0-9a-f]{32}")
_NIP = re.compile(r"[0-9A-Za-z]+")
_DHASH_WIDTH, _DHASH_HEIGHT = 9, 8  # 8 comparisons per row, 8 rows: 64 bits


@dataclass(frozen=True)
class SelfieCheck:
    """What the uploaded selfie is. ``problem`` says why when ``ok`` is false; ``key`` is empty
    when the id is malformed."""

    ok: bool
    key: str
    problem: SelfieProblem | None = None
    dhash: str | None = None
    """64-bit difference hash, 16 hex characters: compare with ``hamming`` to spot reused photos."""


def new_selfie_id(now: datetime) -> str:
    """``{yyyymm}-{uuid4 hex}``, the month in WITA: ``key_of`` reads the month back from it."""
    return f"{now.astimezone(clock.regency_tz()):%Y%m}-{uuid.uuid4().hex}"


def key_of(nip: str, selfie_id: str) -> str:
    """The object key of ``nip``'s selfie ``selfie_id``; ``ValueError`` if either is malformed
    (an id not issued by ``issue_upload``, a NIP that could escape its prefix)."""
    match = _SELFIE_ID.fullmatch(selfie_id)
    if match is None:
        raise ValueError(f"not a selfie id: {selfie_id!r}")
    if not _NIP.fullmatch(nip):
        raise ValueError(f"not a NIP: {nip!r}")
    return f"{PREFIX}{match['year']}/{match['month']}/{nip}/{selfie_id}.jpg"


def hamming(a: str, b: str) -> int:
    """Bits that differ between two difference hashes: a small distance means the same photo
    (re-encoded, rescaled); ``ValueError`` for hashes of different lengths."""
    if len(a) != len(b):
        raise ValueError("hashes of different lengths")
    return (int(a, 16) ^ int(b, 16)).bit_count()


def size_problem(size: int) -> SelfieProblem | None:
    if size > MAX_BYTES:
        return SelfieProblem.selfie_too_large
    if size < MIN_BYTES:
        return SelfieProblem.selfie_too_small
    return None


# ---------------------------------------------------------------- content
def check_content(data: bytes) -> tuple[SelfieProblem | None, str | None]:
    """``(problem, None)`` or ``(None, dhash)``. The header gives the dimensions before any
    decoding; ``draft`` then lets the JPEG decoder scale down by 8 while it decodes, which still
    reads every scan (a truncated file fails) for far less than a full decode
    (docs/performance.md).

    ``Image.MAX_IMAGE_PIXELS`` is left as it is (the process may be shared with other Pillow users,
    as in the local runner): the side limits are checked before ``load``, and a header past
    Pillow's own bomb limit fails ``open`` with ``DecompressionBombError``."""
    if not data.startswith(_JPEG_MAGIC):
        return SelfieProblem.not_a_jpeg, None
    from PIL import Image as PilImage

    try:
        with PilImage.open(io.BytesIO(data), formats=["JPEG"]) as image:
            # MPO (several JPEGs in one file, from some phone cameras) is a JPEG to every viewer.
            if image.format not in {"JPEG", "MPO"}:
                return SelfieProblem.not_a_jpeg, None
            if not _dimensions_ok(*image.size):
                return SelfieProblem.bad_dimensions, None
            width, height = image.size
            image.draft("L", (width // 8, height // 8))
            image.load()
            return None, _dhash(image)
    except PilImage.DecompressionBombError:
        return SelfieProblem.bad_dimensions, None
    except Exception:  # decoders fed damaged input raise almost any type (OSError mostly)
        return SelfieProblem.corrupt_image, None


def _dimensions_ok(width: int, height: int) -> bool:
    sides_ok = all(MIN_SIDE <= side <= MAX_SIDE for side in (width, height))
    return sides_ok and width * height <= MAX_PIXELS


def _dhash(image: Image) -> str:
    """Difference hash: on a 9x8 grayscale reduction, one bit per pair of horizontal neighbours
    (left brighter than right). Re-encoding or rescaling a photo keeps it; another photo does not.
    """
    from PIL import Image as PilImage

    small = image.convert("L").resize((_DHASH_WIDTH, _DHASH_HEIGHT), PilImage.Resampling.BOX)
    pixels = small.tobytes()
    bits = 0
    for row in range(_DHASH_HEIGHT):
        line = pixels[row * _DHASH_WIDTH : (row + 1) * _DHASH_WIDTH]
        for left, right in pairwise(line):
            bits = (bits << 1) | (left > right)
    return f"{bits:016x}"
