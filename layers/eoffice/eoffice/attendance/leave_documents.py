"""Leave documents (doctor's notes, travel orders) in the attendance bucket
(``ATTENDANCE_BUCKET``), under ``leave-documents/{nip}/{document_id}``.

The client uploads straight to S3 with a presigned POST form whose policy fixes the key, the
content type and the size. The form's conditions are S3's to enforce (the emulator ignores them),
so a document is checked again, by its content, when a leave names it: it must exist under the
employee's own prefix, hold 1 byte to 10 MB, and be a PDF, JPEG or PNG that passes a letter
file's check (``files.check``, ADR 0015): a PDF with active content or past the inspection's
bounds is refused as ``active_content`` or ``too_complex``; anything else not accepted is
``invalid_document``.

The bucket is versioned and a form stays valid a few minutes, so the key may be written again
after the check (even after the leave is approved). The leave therefore keeps the version it
checked, and its link serves that version, not whatever the key holds now.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from eoffice import aws, clock, settings
from eoffice import object_store as objects
from eoffice.attendance.leave_models import DocumentType, LeaveDocumentUpload
from eoffice.errors import InvalidInput
from eoffice.models import Download, Upload

PREFIX = "leave-documents/"
MAX_BYTES = 10 * 1024 * 1024
UPLOAD_SECONDS = 5 * 60
DOWNLOAD_SECONDS = 5 * 60


@dataclass(frozen=True)
class CheckedDocument:
    key: str
    media_type: str
    size: int
    version: str | None = None


def bucket() -> str:
    return settings.resource("ATTENDANCE_BUCKET")


def key_of(nip: str, document_id: str) -> str:
    return f"{PREFIX}{nip}/{document_id}"


def upload_form(nip: str, content_type: DocumentType) -> LeaveDocumentUpload:
    """A form S3 accepts only for a new key under ``nip``'s prefix, of ``content_type``, and of
    1 byte to ``MAX_BYTES``. Nothing is recorded: the leave that names it is."""
    document_id = uuid.uuid4().hex
    post = aws.client("s3").generate_presigned_post(
        Bucket=bucket(),
        Key=key_of(nip, document_id),
        Fields={"Content-Type": content_type},
        Conditions=[["content-length-range", 1, MAX_BYTES], {"Content-Type": content_type}],
        ExpiresIn=UPLOAD_SECONDS,
    )
    upload = Upload(
        url=post["url"],
        fields=post["fields"],
        expires_at=clock.utcnow() + timedelta(seconds=UPLOAD_SECONDS),
        max_bytes=MAX_BYTES,
    )
    return LeaveDocumentUpload(document_id=document_id, upload=upload)


def check(nip: str, document_id: str) -> CheckedDocument:
    """The uploaded document, checked by size and content (a HeadObject, and a GET of the version
    the HeadObject saw); 422 ``document_not_found``, ``invalid_document``, ``active_content`` or
    ``too_complex`` otherwise."""
    key = key_of(nip, document_id)
    s3 = aws.client("s3")
    try:
        meta = s3.head_object(Bucket=bucket(), Key=key)
    except s3.exceptions.ClientError as error:
        if aws.is_missing_object(error, may_list=False):  # the function cannot list
            raise InvalidInput(
                "no document was uploaded under this document_id for this employee",
                code="document_not_found",
            ) from error
        raise
    size = int(meta.get("ContentLength", 0))
    if not 0 < size <= MAX_BYTES:
        raise InvalidInput(
            f"a document must hold 1 byte to {MAX_BYTES // (1024 * 1024)} MB; it has {size:,} bytes",
            code="invalid_document",
        )
    version = meta.get("VersionId")
    pinned = {"VersionId": version} if version else {}
    data = s3.get_object(Bucket=bucket(), Key=key, **pinned)["Body"].read()
    media_type = _media_type(data)
    return CheckedDocument(key=key, media_type=media_type, size=size, version=version)


def _media_type(data: bytes) -> str:
    """What ``data`` is, if a document accepted here; refused as ``files.check`` says why."""
    from eoffice.letters.file_rules import HOSTILE, FileKind, RejectedFile, check  # not at start-up

    try:
        kinds = (FileKind.pdf, FileKind.jpeg, FileKind.png)
        return check(data, max_bytes=MAX_BYTES, kinds=kinds).media_type
    except RejectedFile as refused:
        code = refused.reason.value if refused.reason in HOSTILE else "invalid_document"
        raise InvalidInput(refused.detail, code=code) from refused


def download(key: str, media_type: str, leave_id: str, version: str | None = None) -> Download:
    """A short-lived link to a leave's document, of ``version`` (the one checked when filed;
    ``None`` for a leave filed before versions were kept: the current object). ``size`` is read
    from S3 (a HeadObject)."""
    pinned = {"VersionId": version} if version else {}
    meta = aws.client("s3").head_object(Bucket=bucket(), Key=key, **pinned)
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[media_type]
    url, expires = objects.presigned_download(
        bucket(),
        key,
        filename=f"dokumen-cuti-{leave_id}.{extension}",
        media_type=media_type,
        seconds=DOWNLOAD_SECONDS,
        version=version,
    )
    return Download(
        url=url, expires_at=expires, media_type=media_type, size=int(meta.get("ContentLength", 0))
    )
