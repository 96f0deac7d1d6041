"""Check-in selfies without the emulator: the key a selfie id leads to, the content checks on
bytes, and the difference hash that spots a reused photo."""

from __future__ import annotations

import io
import random
import re
from datetime import UTC, datetime

import pytest
from eoffice.attendance import selfies
from eoffice.attendance.selfie_rules import check_content, hamming, key_of, new_selfie_id
from PIL import Image, ImageDraw

NIP = "199001012015011001"
SELFIE_ID_PATTERN = re.compile(r"^[a-z0-9-]+$")  # models.SelfieId


def photo(seed: int, size: tuple[int, int] = (480, 640)) -> Image.Image:
    """A synthetic portrait: a coarse grid whose horizontal neighbours differ clearly (a face's
    regions do too), smoothed to the photo's size, with a few shapes on top."""
    rng = random.Random(seed)
    grid = Image.new("RGB", (9, 8))
    values: list[tuple[int, int, int]] = []
    for _ in range(8):
        level = rng.randrange(256)
        for _ in range(9):
            step = rng.randrange(40, 100) * rng.choice((-1, 1))
            level = level + step if 0 <= level + step <= 255 else level - step
            values.append((level, max(0, level - 30), min(255, level + 20)))
    grid.putdata(values)
    image = grid.resize(size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y, r = rng.randrange(size[0]), rng.randrange(size[1]), rng.randrange(5, 25)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(rng.randrange(256),) * 3)
    return image


def jpeg(image: Image.Image, quality: int = 90) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


# ---------------------------------------------------------------- ids and keys
def test_the_selfie_id_carries_the_wita_month_and_leads_to_the_key() -> None:
    # 31 October 17:00 UTC is already 1 November in WITA (UTC+8).
    selfie_id = new_selfie_id(datetime(2026, 10, 31, 17, 0, tzinfo=UTC))
    assert selfie_id.startswith("202611-")
    assert SELFIE_ID_PATTERN.fullmatch(selfie_id) and 8 <= len(selfie_id) <= 64
    assert key_of(NIP, selfie_id) == f"selfies/2026/11/{NIP}/{selfie_id}.jpg"
    assert new_selfie_id(datetime(2026, 10, 31, 15, 59, tzinfo=UTC)).startswith("202610-")


def test_each_form_gets_a_new_id() -> None:
    now = datetime(2026, 11, 2, tzinfo=UTC)
    assert len({new_selfie_id(now) for _ in range(50)}) == 50


@pytest.mark.parametrize(
    ("nip", "selfie_id"),
    [
        (NIP, "202613-" + "a" * 32),  # no 13th month
        (NIP, "202611-" + "a" * 31),
        (NIP, "202611-" + "A" * 32),
        (NIP, "2026-11-" + "a" * 32),
        (NIP, "../../x"),
        ("1990/../other", "202611-" + "a" * 32),
        ("", "202611-" + "a" * 32),
    ],
)
def test_malformed_ids_lead_nowhere(nip: str, selfie_id: str) -> None:
    with pytest.raises(ValueError):
        key_of(nip, selfie_id)


def test_inspect_answers_not_found_for_an_id_it_never_issued() -> None:
    check = selfies.inspect(NIP, "not-an-issued-id")  # refused before any S3 call
    assert (check.ok, check.key, check.problem, check.dhash) == (
        False,
        "",
        "selfie_not_found",
        None,
    )


# ---------------------------------------------------------------- content
def test_a_photo_passes_with_a_64_bit_hash() -> None:
    problem, dhash = check_content(jpeg(photo(1)))
    assert problem is None
    assert dhash is not None and re.fullmatch(r"[0-9a-f]{16}", dhash)


@pytest.mark.parametrize("seed", range(6))
def test_a_reencoded_or_rescaled_copy_keeps_its_hash(seed: int) -> None:
    image = photo(seed)
    original = check_content(jpeg(image, 95))[1]
    assert original is not None
    assert check_content(jpeg(image, 55))[1] == original
    rescaled = check_content(jpeg(image.resize((720, 960)), 80))[1]
    assert rescaled is not None and hamming(original, rescaled) <= 2


def test_different_photos_are_far_apart() -> None:
    hashes = [check_content(jpeg(photo(seed)))[1] for seed in range(6)]
    assert all(h is not None for h in hashes)
    for i, a in enumerate(hashes):
        for b in hashes[i + 1 :]:
            assert a is not None and b is not None and hamming(a, b) > 10


def test_hamming_counts_differing_bits() -> None:
    assert hamming("0" * 16, "0" * 16) == 0
    assert hamming("0" * 16, "f" * 16) == 64
    assert hamming("00000000000000f0", "0000000000000070") == 1
    with pytest.raises(ValueError):
        hamming("00", "000")


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def truncated(data: bytes) -> bytes:
    """An upload cut short: the first half of the file."""
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda: png(photo(2)), "not_a_jpeg"),
        (lambda: random.Random(3).randbytes(40_000), "not_a_jpeg"),
        (lambda: b"\xff\xd8\xff" + random.Random(4).randbytes(40_000), "corrupt_image"),
        (lambda: truncated(jpeg(photo(5))), "corrupt_image"),
        (lambda: jpeg(photo(6, (100, 100))), "bad_dimensions"),
        (lambda: jpeg(photo(7, (5000, 300))), "bad_dimensions"),
        (lambda: jpeg(Image.new("L", (20_000, 20_000)), 30), "bad_dimensions"),  # a bomb
    ],
)
def test_bad_content_has_its_code_and_never_raises(make: object, problem: str) -> None:
    assert callable(make)
    assert check_content(make()) == (problem, None)
