"""S3 objects for every domain (plumbing): presigned uploads into the intake bucket, the letters
bucket that keeps every file under object lock, quarantine, and short-lived downloads.

Keys:
- ``inbox/{unit_code}/{any name}``: scanners drop files here (intake bucket);
- ``uploads/{letter_id}/{upload_id}``: a clerk's upload for a registered letter (intake bucket);
- ``drafts/{outgoing_id}/{upload_id}``: a new version of an outgoing draft (intake bucket);
- ``quarantine/{yyyy-mm-dd}/{rejection_id}``: refused files, kept for an admin (intake bucket);
- ``letters/{letter_id}/{file_id}``: accepted files (letters bucket);
- ``outgoing/{outgoing_id}/versions|signed/...``: drafts and signed letters (letters bucket).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from eoffice import aws, clock, settings

UPLOAD_SECONDS = 15 * 60
DOWNLOAD_SECONDS = 5 * 60
INBOX_PREFIX = "inbox/"
UPLOADS_PREFIX = "uploads/"
DRAFTS_PREFIX = "drafts/"  # an outgoing draft's new version (eoffice.outgoing.versions)


def max_upload_bytes() -> int:
    """The size limit of a letter's file (``MAX_UPLOAD_BYTES``, set from the template)."""
    return settings.get(settings.UploadLimit).max_upload_bytes


def intake_bucket() -> str:
    return settings.resource("INTAKE_BUCKET")


def letters_bucket() -> str:
    return settings.resource("LETTERS_BUCKET")


@dataclass(frozen=True)
class PresignedPost:
    url: str
    fields: dict[str, str]
    expires_at: datetime


def presigned_upload(key: str, max_bytes: int) -> PresignedPost:
    """A form upload S3 accepts only for ``key`` and only up to ``max_bytes``."""
    post = aws.client("s3").generate_presigned_post(
        Bucket=intake_bucket(),
        Key=key,
        Conditions=[["content-length-range", 1, max_bytes]],
        ExpiresIn=UPLOAD_SECONDS,
    )
    return PresignedPost(
        post["url"], post["fields"], clock.utcnow() + timedelta(seconds=UPLOAD_SECONDS)
    )


def presigned_download(
    bucket: str,
    key: str,
    *,
    filename: str,
    media_type: str,
    seconds: int = DOWNLOAD_SECONDS,
    version: str | None = None,
) -> tuple[str, datetime]:
    params = {"VersionId": version} if version else {}
    url = aws.client("s3").generate_presigned_url(
        "get_object",
        Params={
            "Bucket": bucket,
            "Key": key,
            "ResponseContentType": media_type,
            "ResponseContentDisposition": _disposition(filename),
            **params,
        },
        ExpiresIn=seconds,
    )
    return url, clock.utcnow() + timedelta(seconds=seconds)


def _disposition(filename: str) -> str:
    """An inline disposition that survives any script: an ASCII fallback name, and the real one
    percent-encoded (RFC 6266)."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    return f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def head(bucket: str, key: str, version: str | None) -> dict[str, Any] | None:
    """The object's metadata, or None when it is gone (moved by an earlier delivery)."""
    s3 = aws.client("s3")
    try:
        return s3.head_object(Bucket=bucket, Key=key, **_version(version))  # type: ignore[no-any-return]
    except s3.exceptions.ClientError as error:
        if aws.is_missing_object(error, may_list=True):
            return None
        raise


def read(bucket: str, key: str, version: str | None) -> bytes:
    body = aws.client("s3").get_object(Bucket=bucket, Key=key, **_version(version))["Body"]
    return body.read()  # type: ignore[no-any-return]


def keep_letter_file(
    letter_id: str, file_id: str, data: bytes, media_type: str, sha256: str
) -> str:
    """Store an accepted file in the letters bucket (versioned, object lock); returns its key."""
    return keep_file(f"letters/{letter_id}/{file_id}", data, media_type, sha256, owner=letter_id)[0]


def keep_file(
    key: str, data: bytes, media_type: str, sha256: str, *, owner: str
) -> tuple[str, str | None]:
    """Store a file in the letters bucket (versioned, object lock); its key and version id."""
    answer = aws.client("s3").put_object(
        Bucket=letters_bucket(),
        Key=key,
        Body=data,
        ContentType=media_type,
        Metadata={"sha256": sha256, "letter-id": owner},
    )
    return key, answer.get("VersionId")


def put_intake(key: str, data: bytes, media_type: str) -> None:
    """Put a file into the intake bucket as an upload would (the intake function takes it)."""
    aws.client("s3").put_object(Bucket=intake_bucket(), Key=key, Body=data, ContentType=media_type)


def quarantine(source_key: str, version: str | None, rejection_id: str) -> str:
    """Copy a refused file to the quarantine prefix of the intake bucket; returns the new key."""
    key = f"quarantine/{clock.today().isoformat()}/{rejection_id}"
    source: dict[str, str] = {"Bucket": intake_bucket(), "Key": source_key}
    if version:
        source["VersionId"] = version
    aws.client("s3").copy_object(
        Bucket=intake_bucket(),
        Key=key,
        CopySource=source,
        # S3 metadata is ASCII: the name a scanner gave (any script) is kept percent-encoded.
        Metadata={"original-key": quote(source_key, safe="/")[:1000]},
        MetadataDirective="REPLACE",
    )
    return key


def remove_from_intake(key: str) -> None:
    """Delete the intake copy once the file is safe elsewhere. The bucket is versioned: this
    leaves a delete marker, and the old version expires by the bucket's lifecycle rule."""
    aws.client("s3").delete_object(Bucket=intake_bucket(), Key=key)


def _version(version: str | None) -> dict[str, str]:
    return {"VersionId": version} if version and version != "null" else {}
