"""The optional file of a report (laporan penyelesaian): uploaded by presigned form to the intake
bucket under ``reports/``, checked by content and size when the report is sent, then kept in the
letters bucket (object lock) next to the letter's own files."""

from __future__ import annotations

import uuid

from eoffice import clock
from eoffice.dispositions.models import Assignment, ReportFile, ReportUpload
from eoffice.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from eoffice.letters import objects
from eoffice.models import Download, Upload

REPORTS_PREFIX = "reports/"
_MEDIA_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


def _upload_key(assignment: Assignment, file_id: str) -> str:
    return f"{REPORTS_PREFIX}{assignment.letter_id}/{assignment.assignment_id}/{file_id}"


def upload_form(assignment: Assignment) -> ReportUpload:
    limit = objects.max_upload_bytes()
    file_id = uuid.uuid4().hex
    post = objects.presigned_upload(_upload_key(assignment, file_id), limit)
    upload = Upload(url=post.url, fields=post.fields, expires_at=post.expires_at, max_bytes=limit)
    return ReportUpload(file_id=file_id, upload=upload)


def take(assignment: Assignment, file_id: str) -> ReportFile:
    """Check the uploaded file and keep it; 422/413/415 when it is missing or not acceptable."""
    from eoffice.letters.files import SNIFF_BYTES, sha256_hex, sniff  # not at start-up

    if not file_id.isalnum() or len(file_id) != 32:
        raise InvalidInput("file_id is not one this API gave out", code="unknown_report_file")
    key = _upload_key(assignment, file_id)
    meta = objects.head(objects.intake_bucket(), key, None)
    if meta is None:
        raise InvalidInput("no file was uploaded under this file_id", code="unknown_report_file")
    if int(meta.get("ContentLength", 0)) > objects.max_upload_bytes():
        raise PayloadTooLarge("the report file is too large", code="report_file_too_large")
    data = objects.read(objects.intake_bucket(), key, None)
    kind = sniff(data[:SNIFF_BYTES])
    if kind is None or kind.value not in _MEDIA_TYPES:
        raise UnsupportedMediaType(
            "a report file must be a PDF, JPEG or PNG", code="report_file_type"
        )
    media_type = _MEDIA_TYPES[kind.value]
    digest = sha256_hex(data)
    objects.keep_letter_file(
        assignment.letter_id,
        f"reports/{assignment.assignment_id}/{file_id}",
        data,
        media_type,
        digest,
    )
    return ReportFile(
        file_id=file_id,
        media_type=media_type,
        size=len(data),
        sha256=digest,
        attached_at=clock.utcnow(),
    )


def download(assignment: Assignment, file: ReportFile) -> Download:
    """A short-lived link to the kept report file."""
    url, expires = objects.presigned_download(
        objects.letters_bucket(),
        f"letters/{assignment.letter_id}/reports/{assignment.assignment_id}/{file.file_id}",
        filename=f"laporan-{assignment.assignment_id}",
        media_type=file.media_type,
    )
    return Download(url=url, expires_at=expires, media_type=file.media_type, size=file.size)
