"""Which objects an intake message names: S3's own notification, the emulator's thinner one, S3's
test event, and bodies that are neither."""

from __future__ import annotations

import json
from typing import Any

import pytest
from eoffice.intake.dispatch import objects_in
from pydantic import ValidationError


def record(event_name: str = "ObjectCreated:Put", **obj: Any) -> dict[str, Any]:
    """A record as S3 documents it (notification-content-structure.html), every field present."""
    return {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": "ap-southeast-3",
        "eventTime": "2026-12-07T01:02:03.456Z",
        "eventName": event_name,
        "userIdentity": {"principalId": "AWS:AIDAEXAMPLE"},
        "requestParameters": {"sourceIPAddress": "203.0.113.10"},
        "responseElements": {"x-amz-request-id": "C3D13FE58DE4C810", "x-amz-id-2": "FMyUVURIY8"},
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": "intake",
            "bucket": {
                "name": "eoffice-intake",
                "ownerIdentity": {"principalId": "A3I5XTEXAMAI3E"},
                "arn": "arn:aws:s3:::eoffice-intake",
            },
            "object": {
                "key": "inbox/dinas-pendidikan/surat.pdf",
                "size": 1305107,
                "eTag": "b21b84d653bb07b05b1e6b33684dc11b",
                "versionId": "096fKKXTRTtl3on89fVO.nfljtsv6qko",
                "sequencer": "0055AED6DCD90281E5",
                **obj,
            },
        },
    }


def as_the_emulator_sends(full: dict[str, Any]) -> dict[str, Any]:
    """moto's record: no identities, request or response elements, bucket owner, version id or
    sequencer."""
    thin = {k: v for k, v in full.items() if k not in {"userIdentity", "requestParameters"}}
    thin.pop("responseElements", None)
    thin["s3"] = {**full["s3"], "bucket": {"name": "eoffice-intake", "arn": "arn:aws:s3:::x"}}
    thin["s3"]["object"] = {k: full["s3"]["object"][k] for k in ("key", "size", "eTag")}
    return thin


def body(*records: dict[str, Any]) -> str:
    return json.dumps({"Records": list(records)})


def test_s3s_own_notification_names_the_object_version() -> None:
    (item,) = objects_in(body(record()))

    assert item.bucket == "eoffice-intake"
    assert item.key == "inbox/dinas-pendidikan/surat.pdf"
    assert item.version == "096fKKXTRTtl3on89fVO.nfljtsv6qko"
    assert item.size == 1305107 and isinstance(item.size, int)
    assert item.sequencer == "0055AED6DCD90281E5"
    assert item.etag == "b21b84d653bb07b05b1e6b33684dc11b"


def test_the_emulators_thinner_notification_is_read_too() -> None:
    (item,) = objects_in(body(as_the_emulator_sends(record())))

    assert (item.key, item.version, item.sequencer) == (
        "inbox/dinas-pendidikan/surat.pdf",
        None,
        None,
    )
    assert item.size == 1305107


def test_fields_the_intake_does_not_read_are_not_held_to_the_parents_types() -> None:
    """S3 may name a request's source as neither an address nor ``s3.amazonaws.com``."""
    internal = record()
    internal["requestParameters"] = {"sourceIPAddress": "AWS Internal"}

    (item,) = objects_in(body(internal))

    assert item.key == "inbox/dinas-pendidikan/surat.pdf"


def test_keys_arrive_url_encoded() -> None:
    (item,) = objects_in(body(record(key="inbox/umum/Undangan+%E2%80%93+Rapat%2B1.pdf")))

    assert item.key == "inbox/umum/Undangan \u2013 Rapat+1.pdf"


def test_a_record_without_size_or_etag_is_kept_for_the_object_to_tell() -> None:
    thin = record()
    del thin["s3"]["object"]["size"], thin["s3"]["object"]["eTag"]

    (item,) = objects_in(body(thin))

    assert (item.size, item.etag) == (None, None)


def test_only_created_objects_count_and_folder_markers_do_not() -> None:
    records = (
        record(key="inbox/umum/satu.pdf"),
        record("ObjectRemoved:Delete", key="inbox/umum/dua.pdf"),
        record(key="inbox/umum/"),
        record("ObjectCreated:CompleteMultipartUpload", key="inbox/umum/tiga.pdf"),
    )

    assert [item.key for item in objects_in(body(*records))] == [
        "inbox/umum/satu.pdf",
        "inbox/umum/tiga.pdf",
    ]


def test_s3s_test_event_names_nothing() -> None:
    event = {"Service": "Amazon S3", "Event": "s3:TestEvent", "Time": "2026-12-07T00:00:00Z"}

    assert objects_in(json.dumps({**event, "Bucket": "eoffice-intake"})) == []


@pytest.mark.parametrize(
    "message",
    [
        "{not json",
        "{}",  # neither a notification nor S3's test event
        json.dumps({"Service": "Amazon S3", "Event": "s3:SomethingElse"}),
        body({**record(), "s3": {"s3SchemaVersion": "1.0", "configurationId": "x"}}),  # no bucket
        body(record(key=None)),
    ],
)
def test_a_body_that_is_no_notification_is_refused(message: str) -> None:
    """Refused rather than passed over: the message is retried, then kept in the dead-letter
    queue, where an operator sees it."""
    with pytest.raises(ValidationError):
        objects_in(message)
