"""Letter intake through the emulator: a file lands in the intake bucket, S3 announces it on the
intake queue, the intake function handles the queued events as Lambda's SQS mapping would (the
``intake`` fixture, or a captured event invoked as Lambda would deliver it), and the outcome is
read back through the API as the unit's clerk, its head and an admin see it.

Every test uses file contents of its own (seeds from ``SEED``) and file names with a random tag:
tests of one xdist worker share an emulator, so neither duplicate detection nor event ids may
cross tests.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, unquote_plus, urlencode

import httpx
import pytest
from botocore.exceptions import ClientError
from eoffice import aws, clock, settings
from eoffice_local.environment import LocalEnvironment
from eoffice_local.poller import sqs_event
from eoffice_local.seed import demo_id
from PIL import Image
from pypdf import PdfReader, PdfWriter
from support import hostile_pdfs
from support.api import Api, Intake

from bench.scans import SENTENCES, make_scan

UNIT = "DISKOMINFO-SP"
UNIT_ID = demo_id("unit", UNIT)
OTHER_UNIT = "BKPSDM"
CLERK, HEAD, ADMIN = "tu.kominfo", "kadis.kominfo", "admin"
OTHER_HEAD = "kepala.bkpsdm"
SEED = 731_000  # this module's scans: seeds other tests do not use

LETTER = {
    "sender_agency": "Dinas Pendidikan Provinsi Sulawesi Selatan",
    "sender_number": "005/731/DISDIK/2026",
    "sender_date": "2026-11-20",
    "subject": "Undangan rapat koordinasi",
    "classification_code": "005",
    "addressee": "Kepala Dinas Kominfo-SP",
}


# ---------------------------------------------------------------- files
def tag() -> str:
    return uuid.uuid4().hex[:8]


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def scan(n: int, pages: int = 1, *, with_text: bool = True, cover_for: str | None = None) -> bytes:
    return make_scan(pages, with_text=with_text, seed=SEED + n, cover_for=cover_for)


def image(kind: str, n: int, *, frames: int = 1) -> bytes:
    """A photographed or faxed letter: noise, so that every ``n`` gives other bytes."""
    rng = random.Random(f"{SEED}:{kind}:{n}")
    size = (320, 240)
    first, *rest = [
        Image.frombytes("L", size, rng.randbytes(size[0] * size[1])) for _ in range(frames)
    ]
    buffer = io.BytesIO()
    first.save(buffer, kind, **({"save_all": True, "append_images": rest} if rest else {}))
    return buffer.getvalue()


def encrypted(pdf: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt("rahasia")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zipped(pdf: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("surat.pdf", pdf)
    return buffer.getvalue()


def garbage_pdf(n: int) -> bytes:
    """A PDF header and end marker around noise: passes the sniff, fails the parser."""
    return b"%PDF-1.7\n" + random.Random(SEED + n).randbytes(6000) + b"\n%%EOF\n"


# ---------------------------------------------------------------- reading back through the API
def all_items(api: Api, path: str, user: str, **params: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, "limit": "200", **({"cursor": cursor} if cursor else {})}
        answer = api.get(f"{path}?{urlencode(query)}", user=user)
        assert answer.status == 200, answer.body
        items += answer.json["items"]
        cursor = answer.json.get("next_cursor")
        if not cursor:
            return items


def letters_holding(api: Api, data: bytes, *, user: str = CLERK) -> list[dict[str, Any]]:
    """The letters of the user's unit that have this file."""
    sha = digest(data)
    return [
        letter
        for letter in all_items(api, "/letters", user)
        if any(file["sha256"] == sha for file in letter["files"])
    ]


def the_letter_holding(api: Api, data: bytes, *, user: str = CLERK) -> dict[str, Any]:
    found = letters_holding(api, data, user=user)
    assert len(found) == 1, f"expected exactly one letter with this file, found {found}"
    return found[0]


def rejections_of(api: Api, key: str) -> list[dict[str, Any]]:
    return [r for r in all_items(api, "/intake/rejections", ADMIN) if r["original_key"] == key]


def the_rejection_of(api: Api, key: str) -> dict[str, Any]:
    found = rejections_of(api, key)
    assert len(found) == 1, f"expected exactly one rejection of {key!r}, found {found}"
    return found[0]


def letter(api: Api, letter_id: str, *, user: str = CLERK) -> dict[str, Any]:
    answer = api.get(f"/letters/{letter_id}", user=user)
    assert answer.status == 200, answer.body
    return answer.json  # type: ignore[no-any-return]


def history(api: Api, letter_id: str, *, user: str = CLERK) -> list[dict[str, Any]]:
    answer = api.get(f"/letters/{letter_id}/history", user=user)
    assert answer.status == 200, answer.body
    return answer.json  # type: ignore[no-any-return]


def actions(api: Api, letter_id: str) -> list[str]:
    return [entry["action"] for entry in history(api, letter_id)]


def register(api: Api) -> dict[str, Any]:
    """A letter a clerk registered: awaiting its file, with a presigned upload form."""
    answer = api.post("/letters", user=CLERK, json_body=LETTER)
    assert answer.status == 201, answer.body
    return answer.json  # type: ignore[no-any-return]


def upload(form: dict[str, Any], data: bytes, filename: str = "surat.pdf") -> str:
    """Send a file through a presigned form as a browser would; returns the object's key."""
    answer = httpx.post(form["url"], data=form["fields"], files={"file": (filename, data)})
    assert answer.status_code in {200, 201, 204}, answer.text
    return str(form["fields"]["key"])


def fetch(url: str) -> httpx.Response:
    answer = httpx.get(url)
    assert answer.status_code == 200, answer.text
    return answer


# ---------------------------------------------------------------- the intake bucket
def assert_moved_out_of_inbox(intake: Intake, key: str) -> None:
    """Gone from the inbox, as a delete marker over the version that arrived."""
    with pytest.raises(ClientError) as missing:
        intake.s3.head_object(Bucket=intake.bucket, Key=key)
    assert missing.value.response["Error"]["Code"] in {"404", "NoSuchKey"}
    listed = intake.s3.list_object_versions(Bucket=intake.bucket, Prefix=key)
    markers = [m for m in listed.get("DeleteMarkers", []) if m["Key"] == key]
    versions = [v for v in listed.get("Versions", []) if v["Key"] == key]
    assert any(marker["IsLatest"] for marker in markers)
    assert versions, "the bucket is versioned: the arrived version stays until the lifecycle rule"


def assert_quarantined(api: Api, intake: Intake, rejection: dict[str, Any], data: bytes) -> None:
    """Kept in quarantine, byte for byte, and downloadable by an admin."""
    assert rejection["quarantine_key"].startswith("quarantine/")
    kept = intake.s3.get_object(Bucket=intake.bucket, Key=rejection["quarantine_key"])
    assert kept["Body"].read() == data
    assert fetch(rejection["download_url"]).content == data
    assert api.get(f"/letters/{rejection['rejection_id']}", user=CLERK).status == 404


# ---------------------------------------------------------------- delivering events by hand
def capture(intake: Intake, keys: list[str]) -> list[dict[str, Any]]:
    """Take the S3 notifications of ``keys`` off the intake queue (one per key listed, in that
    order) before the intake function sees them. Other messages go back to the queue, hidden for
    a moment so that they do not crowd ours out of the next receive."""
    wanted = list(keys)
    found: list[dict[str, Any]] = []
    others: list[str | None] = []
    for _ in range(20):
        if not wanted:
            break
        answer = intake.sqs.receive_message(
            QueueUrl=intake.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1
        )
        for message in answer.get("Messages", []):
            key = key_of(message)
            if key in wanted:
                wanted.remove(key)
                found.append(message)
                intake.sqs.delete_message(
                    QueueUrl=intake.queue_url, ReceiptHandle=message["ReceiptHandle"]
                )
            else:
                others.append(key)
                intake.sqs.change_message_visibility(
                    QueueUrl=intake.queue_url,
                    ReceiptHandle=message["ReceiptHandle"],
                    VisibilityTimeout=3,
                )
    assert not wanted, f"no S3 notification of {wanted}; the queue held {others[:20]}"
    ordered = []
    for key in keys:
        match = next(m for m in found if key_of(m) == key)
        found.remove(match)
        ordered.append(match)
    return ordered


def key_of(message: dict[str, Any]) -> str | None:
    records = json.loads(message["Body"]).get("Records") or [{}]
    key = records[0].get("s3", {}).get("object", {}).get("key")
    return unquote_plus(key) if key else None


def as_sent_by_s3(message: dict[str, Any], version: str | None) -> dict[str, Any]:
    """The notification as S3 sends it for a versioned bucket: with the object's versionId
    (the emulator leaves it out)."""
    body = json.loads(message["Body"])
    body["Records"][0]["s3"]["object"]["versionId"] = version
    return {**message, "Body": json.dumps(body)}


def invoke(local_env: LocalEnvironment, intake: Intake, messages: list[dict[str, Any]]) -> Any:
    """One invocation of the intake function with this batch, as Lambda's SQS mapping sends it."""
    event = sqs_event(messages, intake.poller.queue_arn, intake.poller.region)
    return local_env.runtime.invoke("IntakeFunction", event)


def deliver(local_env: LocalEnvironment, intake: Intake, keys: list[str]) -> None:
    """Hand the intake function the queued events of ``keys``, one batch, as Lambda would."""
    assert invoke(local_env, intake, capture(intake, keys)) == {"batchItemFailures": []}


def deliver_twice(local_env: LocalEnvironment, intake: Intake, data: bytes) -> str:
    """Drop ``data`` into the unit's inbox and hand the intake function its event as S3 sends
    it, twice: the second time after the object left the inbox. Returns the object's key."""
    key = f"{INBOX}/pengantar-{tag()}.pdf"
    version = intake.put(key, data)
    (message,) = capture(intake, [key])
    event = as_sent_by_s3(message, version)
    for _ in range(2):
        assert invoke(local_env, intake, [event]) == {"batchItemFailures": []}
    return key


# ================================================================ files from scanners
@dataclass(frozen=True)
class Accepted:
    key: str  # "{tag}" is replaced by a random tag
    make: Callable[[], bytes]
    media_type: str
    pages: int
    has_text: bool


@dataclass(frozen=True)
class Refused:
    key: str
    make: Callable[[], bytes]
    reason: str


def truncated_pdf() -> bytes:
    whole = scan(10, 2)
    return whole[: len(whole) // 2]


PDF, JPEG, PNG, TIFF = "application/pdf", "image/jpeg", "image/png", "image/tiff"
INBOX = f"inbox/{UNIT}"

ACCEPTED = {
    # A name with spaces and parentheses arrives as "surat+masuk%281%29+....pdf".
    "text_pdf": Accepted(INBOX + "/surat masuk(1) {tag}.pdf", lambda: scan(1, 3), PDF, 3, True),
    "image_only_pdf": Accepted(
        INBOX + "/2026/pindai_{tag}.PDF", lambda: scan(2, 2, with_text=False), PDF, 2, False
    ),
    "jpeg": Accepted(INBOX + "/foto surat {tag}.jpg", lambda: image("JPEG", 3), JPEG, 1, False),
    "png": Accepted(INBOX + "/tangkapan-{tag}.png", lambda: image("PNG", 4), PNG, 1, False),
    "multipage_tiff": Accepted(
        INBOX + "/faks-{tag}.tif", lambda: image("TIFF", 5, frames=3), TIFF, 3, False
    ),
    # The content decides, not the name.
    "pdf_named_jpg": Accepted(INBOX + "/kamera-{tag}.jpg", lambda: scan(6), PDF, 1, True),
    "jpeg_named_pdf": Accepted(
        INBOX + "/pindai-{tag}.pdf", lambda: image("JPEG", 7), JPEG, 1, False
    ),
    "png_without_extension": Accepted(INBOX + "/SCN_{tag}", lambda: image("PNG", 8), PNG, 1, False),
    "lowercase_unit_and_plus": Accepted(
        f"inbox/{UNIT.lower()}/surat+lampiran (2) {{tag}}.pdf",
        lambda: scan(9, with_text=False),
        PDF,
        1,
        False,
    ),
    "non_ascii_name": Accepted(
        INBOX + "/Undangan \u2013 Rapat Ñ {tag}.pdf", lambda: scan(16), PDF, 1, True
    ),
}

REFUSED = {
    "empty": Refused(INBOX + "/kosong-{tag}.pdf", lambda: b"", "empty"),
    "truncated_pdf": Refused(INBOX + "/terpotong-{tag}.pdf", truncated_pdf, "corrupt"),
    "garbage_pdf": Refused(INBOX + "/rusak-{tag}.pdf", lambda: garbage_pdf(11), "corrupt"),
    "encrypted_pdf": Refused(
        INBOX + "/berkata sandi-{tag}.pdf", lambda: encrypted(scan(12)), "encrypted"
    ),
    "zip": Refused(INBOX + "/arsip-{tag}.zip", lambda: zipped(scan(13)), "unsupported_type"),
    "text_named_pdf": Refused(
        INBOX + "/undangan-{tag}.pdf",
        lambda: f"Undangan rapat koordinasi {tag()}\n".encode(),
        "unsupported_type",
    ),
    "unknown_unit": Refused(
        "inbox/DINAS-TIDAK-ADA/surat-{tag}.pdf", lambda: scan(14), "unknown_unit"
    ),
    "no_unit_folder": Refused("inbox/lepas-{tag}.pdf", lambda: scan(15), "unknown_unit"),
    # Hostile PDFs (docs/decisions/0015-hostile-files.md): refused, never registered.
    "javascript_on_open": Refused(
        INBOX + "/skrip-{tag}.pdf",
        lambda: hostile_pdfs.javascript_on_open(SEED + 200),
        "active_content",
    ),
    "launch_action": Refused(
        INBOX + "/jalankan-{tag}.pdf",
        lambda: hostile_pdfs.launch_action(SEED + 201),
        "active_content",
    ),
    "embedded_file": Refused(
        INBOX + "/lampiran-{tag}.pdf",
        lambda: hostile_pdfs.embedded_file(SEED + 202),
        "active_content",
    ),
    "xfa_form": Refused(
        INBOX + "/formulir-{tag}.pdf", lambda: hostile_pdfs.xfa_form(SEED + 203), "active_content"
    ),
    "decompression_bomb": Refused(
        INBOX + "/bom-{tag}.pdf", lambda: hostile_pdfs.decompression_bomb(SEED + 204), "too_complex"
    ),
    "absurd_page_tree": Refused(
        INBOX + "/halaman-{tag}.pdf",
        lambda: hostile_pdfs.absurd_page_tree(SEED + 205),
        "too_complex",
    ),
}


def text_of(local_env: LocalEnvironment, letter_id: str, file_id: str) -> str | None:
    """The text layer as stored: an item of its own next to the letter."""
    key = {"pk": {"S": f"LETTER#{letter_id}"}, "sk": {"S": f"TEXT#{file_id}"}}
    table = local_env.stack.refs["LettersTable"]
    item = aws.client("dynamodb").get_item(TableName=table, Key=key, ConsistentRead=True)
    return item["Item"]["body"]["S"] if "Item" in item else None


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_an_accepted_file_becomes_a_letter_of_the_unit(
    name: str, api: Api, intake: Intake, local_env: LocalEnvironment
) -> None:
    sample = ACCEPTED[name]
    key, data = sample.key.format(tag=tag()), sample.make()
    intake.put(key, data)
    (message,) = capture(intake, [key])
    announced = json.loads(message["Body"])["Records"][0]["s3"]["object"]["key"]
    assert unquote_plus(announced) == key, "keys arrive URL-encoded"
    assert not {" ", "(", ")"} & set(announced)
    assert invoke(local_env, intake, [message]) == {"batchItemFailures": []}

    found = the_letter_holding(api, data)
    assert found["unit_id"] == UNIT_ID
    assert found["status"] == "needs_metadata"
    assert found["source"] == "scanner"
    assert found["agenda_number"] >= 1
    assert found["agenda_year"] == clock.today().year
    assert found["registered_by"] is None
    (file,) = found["files"]
    assert file["sha256"] == digest(data)
    assert file["size"] == len(data)
    assert file["media_type"] == sample.media_type
    assert file["pages"] == sample.pages
    assert file["has_text"] is sample.has_text
    assert file["source"] == "scanner"

    (registered,) = history(api, found["letter_id"])
    assert registered["action"] == "registered"
    assert registered["details"] == {"source": "scanner", "key": key}
    assert registered["actor_nip"] is None

    text = text_of(local_env, found["letter_id"], file["file_id"])
    if sample.has_text:
        assert text and any(sentence in text for sentence in SENTENCES)
        assert text not in json.dumps(found), "lists stay small: the text is kept apart"
    else:
        assert text is None

    kept = intake.s3.get_object(
        Bucket=local_env.stack.refs["LettersBucket"],
        Key=f"letters/{found['letter_id']}/{file['file_id']}",
    )
    assert kept["Body"].read() == data
    download = api.get(f"/letters/{found['letter_id']}/file", user=HEAD)
    assert download.status == 200, download.body
    assert download.json["media_type"] == sample.media_type
    got = fetch(download.json["url"])
    assert got.content == data
    assert got.headers["content-type"] == sample.media_type

    assert_moved_out_of_inbox(intake, key)
    assert rejections_of(api, key) == []


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_refused_file_is_quarantined_with_its_reason(
    name: str, api: Api, intake: Intake, local_env: LocalEnvironment
) -> None:
    sample = REFUSED[name]
    key, data = sample.key.format(tag=tag()), sample.make()
    intake.put(key, data)
    deliver(local_env, intake, [key])

    rejection = the_rejection_of(api, key)
    assert rejection["reason"] == sample.reason
    assert rejection["detail"]
    assert rejection["size"] == len(data)
    assert rejection["letter_id"] is None
    assert rejection["duplicate_of"] is None
    assert rejection["letter_id"] is None
    assert rejection["unit_code"] == (key.split("/")[1] if key.count("/") >= 2 else None)
    assert_quarantined(api, intake, rejection, data)
    assert_moved_out_of_inbox(intake, key)
    if data:
        assert letters_holding(api, data) == []


def test_a_batch_from_the_queue_gets_consecutive_agenda_numbers(api: Api, intake: Intake) -> None:
    """Several scans at once, handled by the SQS mapping: one letter each, numbered in turn."""
    scans = [scan(25 + n, with_text=n % 2 == 0) for n in range(4)]
    for n, data in enumerate(scans):
        intake.put(f"{INBOX}/tumpukan {n} ({tag()}).pdf", data)
    intake.drain()

    numbers = sorted(the_letter_holding(api, data)["agenda_number"] for data in scans)
    assert numbers == list(range(numbers[0], numbers[0] + len(scans)))


def test_rejections_are_for_admins_only(api: Api) -> None:
    for user in (CLERK, HEAD, "staf.kominfo"):
        assert api.get("/intake/rejections", user=user).status == 403
    assert api.get("/intake/rejections").status == 401


# ================================================================ size limit
def test_the_size_limit_applies_to_every_file(
    api: Api, intake: Intake, local_env: LocalEnvironment, monkeypatch: pytest.MonkeyPatch
) -> None:
    at_limit, over = scan(20), scan(21, 2)
    limit = len(at_limit)
    assert len(over) > limit
    keys = {
        "at_limit": f"inbox/{UNIT}/pas-{tag()}.pdf",
        "over_by_event": f"inbox/{UNIT}/besar-{tag()}.pdf",
        "over_by_content": f"inbox/{UNIT}/besar tanpa ukuran-{tag()}.pdf",
    }
    intake.put(keys["at_limit"], at_limit)
    intake.put(keys["over_by_event"], over)
    intake.put(keys["over_by_content"], over + b"\n")  # another file, just as large
    messages = capture(intake, list(keys.values()))
    # An event without the size (the limit is then found on the content itself).
    body = json.loads(messages[2]["Body"])
    del body["Records"][0]["s3"]["object"]["size"]
    messages[2] = {**messages[2], "Body": json.dumps(body)}

    monkeypatch.setenv("MAX_UPLOAD_BYTES", str(limit))
    settings.reset()  # as a function started with this limit would read it
    assert invoke(local_env, intake, messages) == {"batchItemFailures": []}
    monkeypatch.undo()
    settings.reset()

    assert the_letter_holding(api, at_limit)["files"][0]["size"] == limit
    for name, data in (("over_by_event", over), ("over_by_content", over + b"\n")):
        rejection = the_rejection_of(api, keys[name])
        assert rejection["reason"] == "too_large"
        assert str(limit) in rejection["detail"].replace(",", "")
        assert_quarantined(api, intake, rejection, data)
        assert_moved_out_of_inbox(intake, keys[name])
        assert letters_holding(api, data) == []
    assert the_rejection_of(api, keys["over_by_event"])["size"] == len(over)


# ================================================================ duplicates
def test_the_same_file_twice_in_a_unit_is_a_duplicate(api: Api, intake: Intake) -> None:
    data = scan(30, 2)
    keys = [f"inbox/{UNIT}/ganda-{n}-{tag()}.pdf" for n in (1, 2)]
    elsewhere = f"inbox/{OTHER_UNIT}/ganda-{tag()}.pdf"
    for key in [*keys, elsewhere]:
        intake.put(key, data)
    intake.drain()

    first = the_letter_holding(api, data)
    (registered,) = [e for e in history(api, first["letter_id"]) if e["action"] == "registered"]
    first_key = registered["details"]["key"]
    (second_key,) = [key for key in keys if key != first_key]
    assert rejections_of(api, first_key) == []
    rejection = the_rejection_of(api, second_key)
    assert rejection["reason"] == "duplicate"
    assert rejection["duplicate_of"] == first["letter_id"]
    assert rejection["unit_code"] == UNIT
    assert_quarantined(api, intake, rejection, data)
    for key in keys:
        assert_moved_out_of_inbox(intake, key)

    noticed = [e for e in history(api, first["letter_id"]) if e["action"] == "duplicate_received"]
    assert [e["details"] for e in noticed] == [
        {
            "rejection_id": rejection["rejection_id"],
            "reason": "duplicate",
            "detail": rejection["detail"],
            "key": second_key,
        }
    ]
    assert len(letter(api, first["letter_id"])["files"]) == 1

    # Another unit may well receive the same letter: it is its own letter there.
    other = the_letter_holding(api, data, user=OTHER_HEAD)
    assert other["unit_id"] == demo_id("unit", OTHER_UNIT)
    assert other["letter_id"] != first["letter_id"]
    assert rejections_of(api, elsewhere) == []


# ================================================================ redelivery and order
def test_the_same_event_delivered_twice_makes_one_letter(api: Api, intake: Intake) -> None:
    good, bad = scan(40), zipped(scan(41))
    good_key, bad_key = f"inbox/{UNIT}/dua kali-{tag()}.pdf", f"inbox/{UNIT}/dua-{tag()}.zip"
    intake.put(good_key, good)
    intake.put(bad_key, bad)
    for message in capture(intake, [good_key, bad_key]):
        # SQS delivers at least once: the same message body comes twice.
        intake.sqs.send_message(QueueUrl=intake.queue_url, MessageBody=message["Body"])
        intake.sqs.send_message(QueueUrl=intake.queue_url, MessageBody=message["Body"])
    assert intake.drain() >= 4

    the_letter_holding(api, good)
    assert actions(api, the_letter_holding(api, good)["letter_id"]) == ["registered"]
    assert rejections_of(api, good_key) == []
    assert the_rejection_of(api, bad_key)["reason"] == "unsupported_type"
    assert_moved_out_of_inbox(intake, good_key)
    assert_moved_out_of_inbox(intake, bad_key)


def test_versions_handled_out_of_order_and_redelivered_after_the_move(
    api: Api, intake: Intake, local_env: LocalEnvironment
) -> None:
    """Two scans under one name (the second before the first's event is handled), and a refused
    file; events as S3 sends them for a versioned bucket, the later version's first, each event
    again after its object was moved out of the inbox."""
    key, refused_key = f"inbox/{UNIT}/SCAN0001 {tag()}.pdf", f"inbox/{UNIT}/rusak-{tag()}.pdf"
    first, second, broken = scan(42), scan(43, 2, with_text=False), garbage_pdf(44)
    first_version = intake.put(key, first)
    second_version = intake.put(key, second)
    refused_version = intake.put(refused_key, broken)
    assert first_version and second_version and first_version != second_version
    captured = capture(intake, [key, key, refused_key])
    md5 = {hashlib.md5(data).hexdigest(): data for data in (first, second)}  # noqa: S324
    by_content = {
        md5[json.loads(m["Body"])["Records"][0]["s3"]["object"]["eTag"]]: m for m in captured[:2]
    }
    first_event = as_sent_by_s3(by_content[first], first_version)
    second_event = as_sent_by_s3(by_content[second], second_version)
    refused_event = as_sent_by_s3(captured[2], refused_version)

    for batch in (
        [second_event],
        [first_event],
        [refused_event],
        [second_event, first_event],
        [refused_event],
    ):
        assert invoke(local_env, intake, batch) == {"batchItemFailures": []}

    one = the_letter_holding(api, first)
    two = the_letter_holding(api, second)
    assert one["letter_id"] != two["letter_id"]
    assert two["files"][0]["pages"] == 2
    assert actions(api, one["letter_id"]) == ["registered"]
    assert actions(api, two["letter_id"]) == ["registered"]
    assert rejections_of(api, key) == []
    rejection = the_rejection_of(api, refused_key)
    assert rejection["reason"] == "corrupt"
    assert_quarantined(api, intake, rejection, broken)
    assert_moved_out_of_inbox(intake, key)
    assert_moved_out_of_inbox(intake, refused_key)


# ================================================================ attaching to a registered letter
def test_clerk_upload_and_cover_sheet_scan_attach_to_the_letter(api: Api, intake: Intake) -> None:
    registration = register(api)
    letter_id = registration["letter"]["letter_id"]
    agenda = registration["letter"]["agenda_number"]
    assert registration["letter"]["status"] == "awaiting_file"
    uploaded = scan(50)
    upload_key = upload(registration["upload"], uploaded)
    cover_scan = scan(51, 3, with_text=False, cover_for=letter_id)
    cover_key = f"inbox/{UNIT}/lembar pengantar-{tag()}.pdf"
    intake.put(cover_key, cover_scan)
    # A cover sheet of no letter of ours: a scan like any other.
    stray = scan(52, 2, with_text=False, cover_for=uuid.uuid4().hex)
    stray_key = f"inbox/{UNIT}/lembar lain-{tag()}.pdf"
    intake.put(stray_key, stray)
    intake.drain()

    found = letter(api, letter_id)
    assert found["status"] == "registered"
    assert found["agenda_number"] == agenda
    assert found["source"] == "api"
    files = {file["sha256"]: file for file in found["files"]}
    assert set(files) == {digest(uploaded), digest(cover_scan)}
    assert files[digest(uploaded)]["source"] == "api"
    assert files[digest(cover_scan)]["source"] == "scanner"
    assert files[digest(cover_scan)]["pages"] == 3
    attached = {
        entry["details"]["via"]: entry["details"]
        for entry in history(api, letter_id)
        if entry["action"] == "file_attached"
    }
    assert set(attached) == {"upload", "cover_sheet"}
    assert attached["cover_sheet"]["file_id"] == files[digest(cover_scan)]["file_id"]
    assert attached["cover_sheet"]["sha256"] == digest(cover_scan)
    assert attached["upload"]["file_id"] == files[digest(uploaded)]["file_id"]
    assert [item["letter_id"] for item in letters_holding(api, cover_scan)] == [letter_id]
    assert [item["letter_id"] for item in letters_holding(api, uploaded)] == [letter_id]
    assert the_letter_holding(api, stray)["status"] == "needs_metadata"
    for key in (upload_key, cover_key, stray_key):
        assert_moved_out_of_inbox(intake, key)
        assert rejections_of(api, key) == []


# ================================================================ cover sheets of other units
def _refused_cover(api: Api, key: str, target: dict[str, Any]) -> dict[str, Any]:
    """The scan's rejection; it says nothing of the letter its cover sheet names."""
    rejection = the_rejection_of(api, key)
    assert rejection["reason"] == "cover_sheet_other_unit"
    assert rejection["letter_id"] is None and rejection["duplicate_of"] is None
    for secret in (target["letter_id"], target.get("subject"), target["unit_id"]):
        assert not secret or secret not in json.dumps(rejection)
    return rejection


def _untouched(api: Api, letter_id: str, user: str) -> None:
    """No file, and no history entry beyond the registration."""
    assert letter(api, letter_id, user=user)["files"] == []
    assert [e["action"] for e in history(api, letter_id, user=user)] == ["registered"]


def test_a_cover_sheet_of_another_units_secret_letter_is_quarantined(
    api: Api, intake: Intake, local_env: LocalEnvironment
) -> None:
    """A BKPSDM letter marked rahasia, its cover sheet scanned into Diskominfo-SP's inbox (and
    the event delivered twice): quarantined once, the letter untouched, no letter made of it."""
    body = {**LETTER, "subject": f"Penilaian kinerja pejabat {tag()}", "sifat": "rahasia"}
    answer = api.post("/letters", user=OTHER_HEAD, json_body=body)
    assert answer.status == 201, answer.body
    secret = answer.json["letter"]
    data = scan(100, 2, cover_for=secret["letter_id"])
    key = deliver_twice(local_env, intake, data)

    rejection = _refused_cover(api, key, {**secret, "subject": body["subject"]})
    assert rejection["unit_code"] == UNIT
    assert "inbox/DISKOMINFO-SP/" in rejection["detail"]
    assert_quarantined(api, intake, rejection, data)
    assert_moved_out_of_inbox(intake, key)
    _untouched(api, secret["letter_id"], OTHER_HEAD)
    assert letters_holding(api, data) == []
    assert letters_holding(api, data, user=OTHER_HEAD) == []


def test_a_scanner_files_into_its_own_unit_only_not_above_or_below_it(
    api: Api, intake: Intake
) -> None:
    """The dinas's scanner attaches to the dinas's letter; not to a letter of a bidang below
    it, and the bidang's scanner not to the dinas's letter."""
    from support.organisation import new_employee, new_unit

    section = new_unit(api, UNIT_ID)
    section_clerk = new_employee(api, section["unit_id"], roles=["tu"])["username"]
    answer = api.post("/letters", user=section_clerk, json_body=LETTER)
    assert answer.status == 201, answer.body
    section_letter = answer.json["letter"]
    own_letter = register(api)["letter"]

    own_scan = scan(101, cover_for=own_letter["letter_id"])
    own_key = f"{INBOX}/pengantar-sendiri-{tag()}.pdf"
    down_scan = scan(102, cover_for=section_letter["letter_id"])
    down_key = f"{INBOX}/pengantar-bidang-{tag()}.pdf"
    up_scan = scan(103, cover_for=own_letter["letter_id"])
    up_key = f"inbox/{section['code']}/pengantar-dinas-{tag()}.pdf"
    for key, data in ((own_key, own_scan), (down_key, down_scan), (up_key, up_scan)):
        intake.put(key, data)
    intake.drain()

    (file,) = letter(api, own_letter["letter_id"])["files"]
    assert file["sha256"] == digest(own_scan)
    assert rejections_of(api, own_key) == []
    _refused_cover(api, down_key, section_letter)
    _untouched(api, section_letter["letter_id"], section_clerk)
    rejection = _refused_cover(api, up_key, own_letter)
    assert rejection["unit_code"] == section["code"]
    assert [f["sha256"] for f in letter(api, own_letter["letter_id"])["files"]] == [
        digest(own_scan)
    ]
    assert letters_holding(api, up_scan, user=section_clerk) == []


def test_a_bad_upload_is_refused_for_its_letter(
    api: Api, intake: Intake, local_env: LocalEnvironment
) -> None:
    scanned_data = scan(62)  # a scanner brought this one in already
    scanned_key = f"{INBOX}/sudah ada-{tag()}.pdf"
    intake.put(scanned_key, scanned_data)
    deliver(local_env, intake, [scanned_key])
    scanned = the_letter_holding(api, scanned_data)

    bad_for, duplicate_for = register(api), register(api)
    bad = zipped(scan(60))
    bad_key = upload(bad_for["upload"], bad, "surat.pdf")
    duplicate_key = upload(duplicate_for["upload"], scanned_data)
    nobody = uuid.uuid4().hex
    stray_key = f"uploads/{nobody}/{uuid.uuid4().hex}"
    intake.put(stray_key, scan(61))
    deliver(local_env, intake, [bad_key, duplicate_key, stray_key])

    rejection = the_rejection_of(api, bad_key)
    assert rejection["reason"] == "unsupported_type"
    assert rejection["letter_id"] == bad_for["letter"]["letter_id"]
    assert rejection["unit_code"] is None
    assert_quarantined(api, intake, rejection, bad)
    refused = letter(api, bad_for["letter"]["letter_id"])
    assert refused["status"] == "awaiting_file" and refused["files"] == []
    told = [e for e in history(api, refused["letter_id"]) if e["action"] == "file_rejected"]
    assert [e["details"] for e in told] == [
        {
            "rejection_id": rejection["rejection_id"],
            "reason": "unsupported_type",
            "detail": rejection["detail"],
            "key": bad_key,
        }
    ]

    duplicate = the_rejection_of(api, duplicate_key)
    assert duplicate["reason"] == "duplicate"
    assert duplicate["duplicate_of"] == scanned["letter_id"]
    assert duplicate["letter_id"] == duplicate_for["letter"]["letter_id"]
    assert letter(api, duplicate_for["letter"]["letter_id"])["files"] == []
    assert "file_rejected" in actions(api, duplicate_for["letter"]["letter_id"])
    assert "duplicate_received" in actions(api, scanned["letter_id"])
    assert len(letter(api, scanned["letter_id"])["files"]) == 1

    unknown = the_rejection_of(api, stray_key)
    assert unknown["reason"] == "unknown_letter"
    assert unknown["letter_id"] == nobody
    assert_quarantined(api, intake, unknown, scan(61))
    for key in (bad_key, duplicate_key, stray_key):
        assert_moved_out_of_inbox(intake, key)


@pytest.mark.parametrize(
    ("make", "seed", "reason"),
    [
        (hostile_pdfs.javascript_on_page_open, 210, "active_content"),
        (hostile_pdfs.link_to_a_network_share, 211, "active_content"),
        (hostile_pdfs.many_inflating_pages, 212, "too_complex"),
    ],
)
def test_a_hostile_upload_is_refused_and_its_letter_says_why(
    make: Callable[[int], bytes],
    seed: int,
    reason: str,
    api: Api,
    intake: Intake,
    local_env: LocalEnvironment,
) -> None:
    registration = register(api)
    letter_id = registration["letter"]["letter_id"]
    data = make(SEED + seed)
    key = upload(registration["upload"], data)
    deliver(local_env, intake, [key])

    rejection = the_rejection_of(api, key)
    assert rejection["reason"] == reason
    assert rejection["letter_id"] == letter_id
    assert_quarantined(api, intake, rejection, data)
    refused = letter(api, letter_id)
    assert refused["status"] == "awaiting_file" and refused["files"] == []
    (told,) = [e for e in history(api, letter_id) if e["action"] == "file_rejected"]
    assert told["details"]["reason"] == reason
    assert told["details"]["detail"] == rejection["detail"]
    assert told["details"]["rejection_id"] == rejection["rejection_id"]
    assert_moved_out_of_inbox(intake, key)


def test_a_refusal_stopped_before_its_letter_heard_of_it_is_told_on_the_next_delivery(
    api: Api, intake: Intake, local_env: LocalEnvironment, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rejection and the letter's ``file_rejected`` entry are one write: a delivery that
    stops while writing leaves neither, and the next delivery records both, once. (Written one
    after the other, the stopped delivery left a rejection that the next one took as done, and
    the clerk never heard why his upload was refused.)"""
    from eoffice.letters import store

    registration = register(api)
    letter_id = registration["letter"]["letter_id"]
    key = upload(registration["upload"], b"GIF89a bukan surat" * 50)
    (message,) = capture(intake, [key])
    real_row = store._history_row
    calls = []

    def stopped_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        if len(calls) == 1:
            raise RuntimeError("the function stopped here")
        return real_row(*args, **kwargs)

    monkeypatch.setattr(store, "_history_row", stopped_once)
    with pytest.raises(Exception, match="All records failed"):  # Lambda retries the batch
        invoke(local_env, intake, [message])
    assert invoke(local_env, intake, [message]) == {"batchItemFailures": []}
    assert invoke(local_env, intake, [message]) == {"batchItemFailures": []}

    rejection = the_rejection_of(api, key)
    told = [e for e in history(api, letter_id) if e["action"] == "file_rejected"]
    assert [e["details"]["rejection_id"] for e in told] == [rejection["rejection_id"]]


# ================================================================ the batch and its messages
def test_one_bad_record_fails_alone(api: Api, intake: Intake, local_env: LocalEnvironment) -> None:
    data = scan(70)
    key = f"inbox/{UNIT}/sebagian-{tag()}.pdf"
    intake.put(key, data)
    (message,) = capture(intake, [key])
    broken = {**message, "MessageId": str(uuid.uuid4()), "Body": "{not json"}

    result = invoke(local_env, intake, [message, broken])

    assert result == {"batchItemFailures": [{"itemIdentifier": broken["MessageId"]}]}
    assert the_letter_holding(api, data)["status"] == "needs_metadata"
    assert_moved_out_of_inbox(intake, key)


def test_s3_test_events_and_other_events_are_ignored(
    api: Api, intake: Intake, local_env: LocalEnvironment
) -> None:
    data = scan(80)
    key = f"inbox/{UNIT}/tetap-{tag()}.pdf"
    intake.put(key, data)
    (created,) = capture(intake, [key])
    removed = json.loads(created["Body"])
    removed["Records"][0]["eventName"] = "ObjectRemoved:Delete"
    test_event = {
        "Service": "Amazon S3",
        "Event": "s3:TestEvent",
        "Time": "2026-11-28T05:32:33.151Z",
        "Bucket": intake.bucket,
    }
    messages = [
        {**created, "MessageId": str(uuid.uuid4()), "Body": json.dumps(body)}
        for body in (test_event, removed)
    ]
    try:
        assert invoke(local_env, intake, messages) == {"batchItemFailures": []}
        assert letters_holding(api, data) == []
        assert rejections_of(api, key) == []
        intake.s3.head_object(Bucket=intake.bucket, Key=key)  # untouched
    finally:
        intake.s3.delete_object(Bucket=intake.bucket, Key=key)


def test_a_cover_sheet_scan_delivered_again_is_attached_once(
    api: Api, intake: Intake, local_env: LocalEnvironment
) -> None:
    letter_id = register(api)["letter"]["letter_id"]
    cover = scan(85, 2, cover_for=letter_id)
    key = deliver_twice(local_env, intake, cover)

    (file,) = letter(api, letter_id)["files"]
    assert file["sha256"] == digest(cover)
    assert actions(api, letter_id).count("file_attached") == 1
    assert rejections_of(api, key) == []
    assert_moved_out_of_inbox(intake, key)


# ================================================================ names and repeats
def test_a_refused_file_with_a_non_ascii_name_is_quarantined(
    api: Api, intake: Intake, local_env: LocalEnvironment
) -> None:
    key = f"inbox/{UNIT}/Undangan \u2013 Rapat {tag()}.pdf"  # an en dash, as Word writes it
    data = zipped(scan(86))
    intake.put(key, data)
    deliver(local_env, intake, [key])

    rejection = the_rejection_of(api, key)
    assert rejection["reason"] == "unsupported_type"
    assert_quarantined(api, intake, rejection, data)
    assert_moved_out_of_inbox(intake, key)
    disposition = fetch(rejection["download_url"]).headers["content-disposition"]
    assert unquote(disposition.split("filename*=UTF-8''", 1)[1]) == key.rsplit("/", 1)[1]


def test_a_cover_sheet_scan_delivered_again_is_stored_once(
    api: Api, intake: Intake, local_env: LocalEnvironment
) -> None:
    letter_id = register(api)["letter"]["letter_id"]
    cover = scan(87, cover_for=letter_id)
    deliver_twice(local_env, intake, cover)

    (file,) = letter(api, letter_id)["files"]
    stored = f"letters/{letter_id}/{file['file_id']}"
    listed = intake.s3.list_object_versions(
        Bucket=local_env.stack.refs["LettersBucket"], Prefix=stored
    )
    assert len(listed.get("Versions", [])) == 1, "each copy is kept for ten years"


def test_a_new_scan_under_a_reused_file_name_is_not_lost(
    api: Api, intake: Intake, local_env: LocalEnvironment
) -> None:
    key = f"inbox/{UNIT}/scan-{tag()}.pdf"
    first, second = scan(90), scan(91)
    intake.put(key, first)
    deliver(local_env, intake, [key])
    intake.put(key, second)
    deliver(local_env, intake, [key])

    the_letter_holding(api, first)
    assert letters_holding(api, second) or rejections_of(api, key), "the second scan was lost"


def test_the_same_file_again_under_the_same_name_is_a_duplicate(
    api: Api, intake: Intake, local_env: LocalEnvironment
) -> None:
    """A scanner sends one letter twice as "scan.pdf": the second is refused as a duplicate,
    visibly, not mistaken for a redelivery of the first."""
    key, data = f"inbox/{UNIT}/scan-{tag()}.pdf", scan(92)
    intake.put(key, data)
    deliver(local_env, intake, [key])
    intake.put(key, data)
    deliver(local_env, intake, [key])

    first = the_letter_holding(api, data)
    rejection = the_rejection_of(api, key)
    assert rejection["reason"] == "duplicate"
    assert rejection["duplicate_of"] == first["letter_id"]
    assert "duplicate_received" in actions(api, first["letter_id"])
    assert_moved_out_of_inbox(intake, key)


def test_the_same_file_twice_for_one_letter_is_a_duplicate(
    api: Api, intake: Intake, local_env: LocalEnvironment
) -> None:
    registration = register(api)
    letter_id = registration["letter"]["letter_id"]
    data = scan(95)
    again = api.post(f"/letters/{letter_id}/uploads", user=CLERK)
    assert again.status == 201, again.body
    keys = [upload(registration["upload"], data), upload(again.json, data)]
    cover = scan(96, cover_for=letter_id)
    cover_keys = [f"inbox/{UNIT}/pengantar-{n}-{tag()}.pdf" for n in (1, 2)]
    for key in cover_keys:
        intake.put(key, cover)
    deliver(local_env, intake, [*keys, *cover_keys])

    found = letter(api, letter_id)
    assert sorted(file["sha256"] for file in found["files"]) == sorted(
        [digest(data), digest(cover)]
    )
    for pair in (keys, cover_keys):
        (rejection,) = [r for key in pair for r in rejections_of(api, key)]
        assert rejection["reason"] == "duplicate"
        assert rejection["duplicate_of"] == letter_id
        noted = [e["details"].get("rejection_id") for e in history(api, letter_id)]
        assert rejection["rejection_id"] in noted
