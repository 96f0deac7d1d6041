"""Check-in selfies through the emulator: the upload form a phone posts its photo with, the
check of what actually arrived (moto, like S3 until a form's conditions are enforced, takes any
body), the bucket that keeps selfies encrypted and deletes them on time, and the short-lived view.

The library functions are called in the test process, which ``local_env`` points at the emulator
with every function's environment (``ATTENDANCE_BUCKET`` among them). Every test uses NIPs and
selfie ids of its own, so tests sharing an emulator never see each other's objects.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from eoffice import aws, clock
from eoffice.attendance import selfie_rules, selfie_store, selfies
from eoffice.attendance.models import SelfieUpload
from eoffice_local.environment import LocalEnvironment
from PIL import Image, ImageDraw
from support.nips import fresh_nip

SEED = 606_000  # this module's photos: seeds other tests do not use


@pytest.fixture
def nip() -> str:
    """A NIP no other test uploads under."""
    return fresh_nip()


@pytest.fixture
def env(local_env: LocalEnvironment) -> LocalEnvironment:
    assert selfie_store.bucket() == local_env.stack.refs["AttendanceBucket"]
    return local_env


def photo(seed: int, size: tuple[int, int] = (480, 640)) -> Image.Image:
    """A synthetic portrait with structure at every scale (a smooth grid, then shapes)."""
    rng = random.Random(SEED + seed)
    grid = Image.new("RGB", (9, 8))
    grid.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(72)])
    image = grid.resize(size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y, r = rng.randrange(size[0]), rng.randrange(size[1]), rng.randrange(5, 25)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(rng.randrange(256),) * 3)
    return image


def noise(seed: int, size: tuple[int, int]) -> Image.Image:
    """Pixels JPEG cannot compress: the largest file for its dimensions."""
    rng = random.Random(SEED + seed)
    return Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))


def encode(image: Image.Image, fmt: str = "JPEG", **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(nip: str, data: bytes, *, now: datetime | None = None) -> SelfieUpload:
    """Issue a form and post ``data`` with it as the phone would (multipart, file last)."""
    form = selfie_store.issue_upload(nip, now or clock.utcnow())
    sent = httpx.post(form.url, data=form.fields, files={"file": ("selfie.jpg", data)}, timeout=30)
    assert sent.status_code in {200, 201, 204}, sent.text
    return form


@pytest.fixture
def s3_calls() -> Iterator[list[str]]:
    """The S3 operations the test process makes while the fixture is active."""
    calls: list[str] = []
    client = aws.client("s3")

    def record(model: Any, **_: Any) -> None:
        calls.append(model.name)

    client.meta.events.register("before-call.s3", record)
    yield calls
    client.meta.events.unregister("before-call.s3", record)


# ---------------------------------------------------------------- the form
def test_the_form_targets_the_employees_month_folder(env: LocalEnvironment, nip: str) -> None:
    now = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)  # 1 December 00:30 in WITA
    form = selfie_store.issue_upload(nip, now)
    assert form.selfie_id.startswith("202612-")
    assert form.fields["key"] == f"selfies/2026/12/{nip}/{form.selfie_id}.jpg"
    assert form.fields["key"] == selfie_rules.key_of(nip, form.selfie_id)
    assert form.fields["Content-Type"] == "image/jpeg"
    assert form.expires_at == now + timedelta(seconds=120)
    assert form.max_bytes == selfie_rules.MAX_BYTES == 1_500_000
    assert {"policy", "x-amz-signature"} <= set(form.fields)
    assert selfie_store.issue_upload(nip, now).selfie_id != form.selfie_id


def test_an_uploaded_photo_passes_with_its_hash(env: LocalEnvironment, nip: str) -> None:
    image = photo(1)
    form = upload(nip, encode(image, quality=90))
    check = selfies.inspect(nip, form.selfie_id)
    assert check.ok and check.problem is None
    assert check.key == form.fields["key"]
    assert check.dhash is not None and len(check.dhash) == 16

    # The same photo sent again (re-encoded by another app) hashes the same or nearly.
    again = upload(nip, encode(image, quality=60))
    second = selfies.inspect(nip, again.selfie_id)
    assert (
        second.ok
        and second.dhash is not None
        and selfie_rules.hamming(check.dhash, second.dhash) <= 2
    )

    other = upload(nip, encode(photo(2), quality=90))
    third = selfies.inspect(nip, other.selfie_id)
    assert (
        third.ok and third.dhash is not None and selfie_rules.hamming(check.dhash, third.dhash) > 10
    )


def test_another_employees_id_finds_nothing(env: LocalEnvironment, nip: str) -> None:
    form = upload(nip, encode(photo(3), quality=90))
    someone_else = "199202022016021002"
    check = selfies.inspect(someone_else, form.selfie_id)
    assert (check.ok, check.problem) == (False, "selfie_not_found")


def bad_uploads() -> list[tuple[str, bytes, str]]:
    jpeg = encode(photo(4), quality=90)
    return [
        ("png renamed", encode(photo(5), "PNG"), "not_a_jpeg"),
        ("random bytes", random.Random(SEED + 6).randbytes(50_000), "not_a_jpeg"),
        ("truncated jpeg", jpeg[: len(jpeg) // 2], "corrupt_image"),
        ("tiny jpeg", encode(noise(7, (100, 100)), quality=95), "bad_dimensions"),
        ("few bytes", encode(Image.new("RGB", (480, 640), "gray"), quality=90), "selfie_too_small"),
    ]


@pytest.mark.parametrize(("name", "data", "problem"), bad_uploads(), ids=lambda v: str(v)[:20])
def test_bad_content_is_refused_with_its_code(
    env: LocalEnvironment, nip: str, name: str, data: bytes, problem: str
) -> None:
    assert len(data) >= selfie_rules.MIN_BYTES or problem == "selfie_too_small", name
    form = upload(nip, data)  # accepted by the emulator, whatever the form's conditions say
    check = selfies.inspect(nip, form.selfie_id)
    assert (check.ok, check.problem, check.dhash) == (False, problem, None), name
    assert check.key == form.fields["key"]


def test_an_oversized_upload_is_refused_without_downloading(
    env: LocalEnvironment, nip: str, s3_calls: list[str]
) -> None:
    data = encode(noise(8, (1300, 1300)), quality=95)
    assert len(data) > selfie_rules.MAX_BYTES
    form = upload(nip, data)  # moto ignores content-length-range: real S3 would refuse it
    s3_calls.clear()
    check = selfies.inspect(nip, form.selfie_id)
    assert (check.ok, check.problem) == (False, "selfie_too_large")
    assert s3_calls == ["HeadObject"]


def test_a_selfie_never_uploaded_is_not_found(env: LocalEnvironment, nip: str) -> None:
    form = selfie_store.issue_upload(nip, clock.utcnow())
    check = selfies.inspect(nip, form.selfie_id)
    assert (check.ok, check.key, check.problem) == (False, form.fields["key"], "selfie_not_found")


# ---------------------------------------------------------------- storage and viewing
def test_selfies_are_encrypted_and_expire(env: LocalEnvironment, nip: str) -> None:
    form = upload(nip, encode(photo(9), quality=90))
    s3 = aws.client("s3")
    bucket = env.stack.refs["AttendanceBucket"]
    head = s3.head_object(Bucket=bucket, Key=selfie_rules.key_of(nip, form.selfie_id))
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["ContentType"] == "image/jpeg"

    rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    (rule,) = [r for r in rules if r.get("ID") == "expire-selfies"]
    default_days = env.template.raw["Parameters"]["SelfieRetentionDays"]["Default"]
    assert rule["Status"] == "Enabled"
    assert rule["Expiration"]["Days"] == int(default_days)
    assert (rule.get("Filter", {}).get("Prefix") or rule.get("Prefix")) == "selfies/"


def test_the_view_link_shows_the_photo_briefly(env: LocalEnvironment, nip: str) -> None:
    data = encode(photo(10), quality=90)
    form = upload(nip, data)
    before = clock.utcnow()
    url, expires_at = selfie_store.view_url(selfie_rules.key_of(nip, form.selfie_id))
    assert before + timedelta(seconds=59) <= expires_at <= clock.utcnow() + timedelta(seconds=60)
    assert "Expires=60" in url or "X-Amz-Expires=60" in url
    shown = httpx.get(url, timeout=30)
    assert shown.status_code == 200
    assert shown.content == data
    assert shown.headers["content-type"] == "image/jpeg"
