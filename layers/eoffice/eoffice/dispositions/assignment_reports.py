"""The optional file of a report (laporan penyelesaian): uploaded by presigned form to the intake
bucket under ``reports/``, checked when the report is sent, then kept in the letters bucket
(object lock) next to the letter's own files. The check is a letter file's
(``letters.file_rules.check``, ADR 0015) without reading text or codes: a PDF with active content
or past the inspection's bounds is refused as ``active_content`` or ``too_complex``, as at
intake."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from eoffice import clock
from eoffice import object_store as objects
from eoffice.dispositions.models import Assignment, ReportFile, ReportUpload
from eoffice.errors import DomainError, InvalidInput, PayloadTooLarge, UnsupportedMediaType
from eoffice.models import Download, Upload

if TYPE_CHECKING:
    from eoffice.letters.file_rules import Inspection, RejectedFile

REPORTS_PREFIX = "reports/"


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
    if not file_id.isalnum() or len(file_id) != 32:
        raise InvalidInput("file_id is not one this API gave out", code="unknown_report_file")
    key = _upload_key(assignment, file_id)
    meta = objects.head(objects.intake_bucket(), key, None)
    if meta is None:
        raise InvalidInput("no file was uploaded under this file_id", code="unknown_report_file")
    if int(meta.get("ContentLength", 0)) > objects.max_upload_bytes():
        raise PayloadTooLarge("the report file is too large", code="report_file_too_large")
    data = objects.read(objects.intake_bucket(), key, None)
    checked = _checked(data)
    objects.keep_letter_file(
        assignment.letter_id,
        f"reports/{assignment.assignment_id}/{file_id}",
        data,
        checked.media_type,
        checked.sha256,
    )
    return ReportFile(
        file_id=file_id,
        media_type=checked.media_type,
        size=checked.size,
        sha256=checked.sha256,
        attached_at=clock.utcnow(),
    )


def _checked(data: bytes) -> Inspection:
    from eoffice.letters.file_rules import FileKind, RejectedFile, check  # not at start-up

    kinds = (FileKind.pdf, FileKind.jpeg, FileKind.png)
    try:
        return check(data, max_bytes=objects.max_upload_bytes(), kinds=kinds)
    except RejectedFile as refused:
        raise _problem(refused) from refused


def _problem(refused: RejectedFile) -> DomainError:
    from eoffice.letters.file_rules import HOSTILE, Rejection

    if refused.reason in HOSTILE:
        return InvalidInput(refused.detail, code=refused.reason.value)
    if refused.reason is Rejection.too_large:
        return PayloadTooLarge(refused.detail, code="report_file_too_large")
    # Not a PDF, JPEG or PNG, or one no viewer opens (empty, corrupt, encrypted).
    return UnsupportedMediaType(refused.detail, code="report_file_type")


def download(assignment: Assignment, file: ReportFile) -> Download:
    """A short-lived link to the kept report file."""
    url, expires = objects.presigned_download(
        objects.letters_bucket(),
        f"letters/{assignment.letter_id}/reports/{assignment.assignment_id}/{file.file_id}",
        filename=f"laporan-{assignment.assignment_id}",
        media_type=file.media_type,
    )
    return Download(url=url, expires_at=expires, media_type=file.media_type, size=file.size)
