"""Check-in selfies in the attendance bucket: the upload form a phone posts its photo with, the
read of what was uploaded, and the short-lived link that shows a selfie to whom the attendance
policy allows.

A selfie is biometric data (specific personal data under UU 27/2022): the bucket encrypts it with
the data key and its lifecycle rule ``expire-selfies`` deletes it after ``SelfieRetentionDays``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from eoffice import aws, clock, settings
from eoffice.attendance.models import SelfieProblem, SelfieUpload
from eoffice.attendance.selfie_rules import (
    MAX_BYTES,
    MEDIA_TYPE,
    MIN_BYTES,
    key_of,
    new_selfie_id,
    size_problem,
)

UPLOAD_SECONDS = 120
"""The form is for a photo taken now: a short life limits reuse of the form (it may overwrite
its own key until it expires)."""
VIEW_SECONDS = 60


def bucket() -> str:
    return settings.resource("ATTENDANCE_BUCKET")


def issue_upload(nip: str, now: datetime) -> SelfieUpload:
    """A presigned form for one JPEG of ``MIN_BYTES``..``MAX_BYTES`` to a key the server chose.
    Real S3 enforces the conditions; the emulator does not, so ``selfies.inspect`` checks again."""
    selfie_id = new_selfie_id(now)
    post = aws.client("s3").generate_presigned_post(
        Bucket=bucket(),
        Key=key_of(nip, selfie_id),
        Fields={"Content-Type": MEDIA_TYPE},
        Conditions=[["content-length-range", MIN_BYTES, MAX_BYTES], {"Content-Type": MEDIA_TYPE}],
        ExpiresIn=UPLOAD_SECONDS,
    )
    return SelfieUpload(
        selfie_id=selfie_id,
        url=post["url"],
        fields=post["fields"],
        expires_at=now + timedelta(seconds=UPLOAD_SECONDS),
        max_bytes=MAX_BYTES,
    )


def read(key: str) -> bytes | SelfieProblem:
    """The object's bytes, or the problem when it is missing or its size is out of range. The
    size is read first, so an oversized upload is refused without downloading it."""
    s3 = aws.client("s3")
    try:
        size = int(s3.head_object(Bucket=bucket(), Key=key)["ContentLength"])
        problem = size_problem(size)
        if problem:
            return problem
        body = s3.get_object(Bucket=bucket(), Key=key)["Body"]
        # Read at most one byte past the limit: the form may overwrite the key after the HEAD.
        data: bytes = body.read(MAX_BYTES + 1)
        body.close()
    except s3.exceptions.ClientError as error:
        if aws.is_missing_object(error, may_list=False):  # the functions cannot list
            return SelfieProblem.selfie_not_found
        raise
    return size_problem(len(data)) or data


def view_url(key: str) -> tuple[str, datetime]:
    """A presigned GET of the selfie at ``key``, valid ``VIEW_SECONDS``, and when it expires.
    It authorises nobody: the caller must first check the viewer may see this employee's
    selfies (``attendance.access``), since anyone holding the link can open it until then."""
    url = aws.client("s3").generate_presigned_url(
        "get_object",
        Params={
            "Bucket": bucket(),
            "Key": key,
            "ResponseContentType": MEDIA_TYPE,
            "ResponseContentDisposition": "inline",
            "ResponseCacheControl": "private, no-store",
        },
        ExpiresIn=VIEW_SECONDS,
    )
    return url, clock.utcnow() + timedelta(seconds=VIEW_SECONDS)
