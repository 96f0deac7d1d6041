"""The queue sign-in requests wait in for the sign-ins function (``SIGNIN_QUEUE_URL``)."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from eoffice import aws, settings
from eoffice.signins.models import SignInMessage

_BATCH = 10  # SendMessageBatch's limit
_SENDERS = 8
"""Calls at once: an import of 5,000 queues 500 batches, which one after another would take
seconds of the API's 29."""


def enqueue(messages: Sequence[SignInMessage]) -> None:
    """Queue each message (ten a call); raises if SQS refused any, so nothing is silently lost."""
    sqs = aws.client("sqs")
    url = settings.resource("SIGNIN_QUEUE_URL")
    chunks = [messages[start : start + _BATCH] for start in range(0, len(messages), _BATCH)]

    def send(chunk: Sequence[SignInMessage]) -> Any:
        entries = [
            {"Id": str(index), "MessageBody": message.model_dump_json()}
            for index, message in enumerate(chunk)
        ]
        return sqs.send_message_batch(QueueUrl=url, Entries=entries)

    if len(chunks) == 1:
        answers = [send(chunks[0])]
    else:
        with ThreadPoolExecutor(min(_SENDERS, len(chunks))) as pool:
            answers = list(pool.map(send, chunks))
    failed = [entry for answer in answers for entry in answer.get("Failed") or []]
    if failed:
        raise RuntimeError(f"SQS refused {len(failed)} sign-in messages: {failed[0]}")
