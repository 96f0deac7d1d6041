"""Leave documents (doctor's notes, travel orders) in the attendance bucket
(``ATTENDANCE_BUCKET``), under ``leave-documents/{nip}/{document_id}``.

The client uploads straight to S3 with a presigned POST form whose policy fixes the key, the
content type and the size. The form's conditions are S3's to enforce (the emulator ignores them),
so a document is checked again, by its content, when a leave names it: it must exist under the
employee's own prefix and pass ``leave_document_rules``.

The bucket is versioned and a form stays valid a few minutes, so the key may be written again
after the check (even after the leave is approved). The leave therefore keeps the version it
checked, and its link serves that version, not whatever the key holds now.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from eoffice import aws, clock, settings
from eoffice import object_store as objects
from eoffice.attendance.leave_document_rules import MAX_BYTES
from eoffice.attendance.leave_models import DocumentType, LeaveDocumentUpload
from eoffice.errors import InvalidInput
from eoffice.models import Download, Upload

PREFIX = "leave-documents/"
UPLOAD_SECONDS = 5 * 60
DOWNLOAD_SECONDS = 5 * 60


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


def head(nip: str, document_id: str) -> tuple[str, int, str | None]:
    """The uploaded document's key, size and version (a HeadObject); 422 ``document_not_found``
    when nothing was uploaded under the id for this employee."""
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
    return key, int(meta.get("ContentLength", 0)), meta.get("VersionId")


def read(key: str, version: str | None) -> bytes:
    """The document's bytes, of the version ``head`` saw."""
    pinned = {"VersionId": version} if version else {}
    data: bytes = aws.client("s3").get_object(Bucket=bucket(), Key=key, **pinned)["Body"].read()
    return data


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
