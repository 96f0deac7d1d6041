"""The queue sign-in requests wait in for the sign-ins function (``SIGNIN_QUEUE_URL``)."""

from __future__ import annotations

from collections.abc import Sequence

from eoffice import aws, settings
from eoffice.signins.models import SignInMessage

_BATCH = 10  # SendMessageBatch's limit


def enqueue(messages: Sequence[SignInMessage]) -> None:
    """Queue each message (ten a call); raises if SQS refused any, so nothing is silently lost."""
    sqs = aws.client("sqs")
    url = settings.resource("SIGNIN_QUEUE_URL")
    for start in range(0, len(messages), _BATCH):
        chunk = messages[start : start + _BATCH]
        entries = [
            {"Id": str(index), "MessageBody": message.model_dump_json()}
            for index, message in enumerate(chunk)
        ]
        answer = sqs.send_message_batch(QueueUrl=url, Entries=entries)
        failed = answer.get("Failed") or []
        if failed:
            raise RuntimeError(f"SQS refused {len(failed)} sign-in messages: {failed[0]}")
