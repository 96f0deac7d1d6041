"""Lambda's SQS event source mapping, played locally: poll each queue a function is triggered by,
hand it batches in the SQS event shape, and delete what it handled.

As in AWS: a batch that raises is left on the queue (it comes back after the visibility timeout,
and the queue's redrive policy moves it to the dead-letter queue after ``maxReceiveCount``); with
``ReportBatchItemFailures`` only the messages the function names in ``batchItemFailures`` stay.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from eoffice_local.provision import Stack
from eoffice_local.template import QueueTrigger

log = logging.getLogger("eoffice.local.poller")
Invoke = Callable[[str, Any], Any]


def sqs_event(messages: list[dict[str, Any]], queue_arn: str, region: str) -> dict[str, Any]:
    """The event Lambda sends for a batch of SQS messages."""
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message.get("Body", ""),
                "attributes": message.get("Attributes", {}),
                "messageAttributes": {
                    name: {
                        "stringValue": value.get("StringValue"),
                        "binaryValue": value.get("BinaryValue"),
                        "stringListValues": [],
                        "binaryListValues": [],
                        "dataType": value.get("DataType"),
                    }
                    for name, value in message.get("MessageAttributes", {}).items()
                },
                "md5OfBody": message.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
            for message in messages
        ]
    }


def handled(messages: list[dict[str, Any]], result: Any, partial: bool) -> list[dict[str, Any]]:
    """The messages to delete after the function returned ``result``."""
    if not partial or not isinstance(result, dict):
        return messages
    failed = {item.get("itemIdentifier") for item in result.get("batchItemFailures") or []}
    return [message for message in messages if message["MessageId"] not in failed]


class QueuePoller:
    """One thread per queue trigger."""

    def __init__(
        self,
        trigger: QueueTrigger,
        stack: Stack,
        sqs: Any,
        invoke: Invoke,
        *,
        wait_seconds: int = 1,
    ) -> None:
        self.trigger = trigger
        self.queue_url = stack.refs[trigger.queue]
        self.queue_arn = stack.attrs[trigger.queue]["Arn"]
        self.region = stack.region
        self.sqs = sqs
        self.invoke = invoke
        self.wait_seconds = wait_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"poll-{trigger.function}", daemon=True
        )

    def start(self) -> QueuePoller:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.wait_seconds + 5)

    def poll_once(self) -> int:
        """Receive one batch, invoke the function, delete what it handled; returns the batch size."""
        response = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=min(10, self.trigger.batch_size),
            WaitTimeSeconds=self.wait_seconds,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages: list[dict[str, Any]] = response.get("Messages", [])
        if not messages:
            return 0
        try:
            result = self.invoke(
                self.trigger.function, sqs_event(messages, self.queue_arn, self.region)
            )
        except Exception:
            log.exception(
                "%s failed on a batch of %d; it stays on the queue",
                self.trigger.function,
                len(messages),
            )
            return len(messages)
        done = handled(messages, result, self.trigger.report_batch_item_failures)
        if done:
            self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[
                    {"Id": str(index), "ReceiptHandle": message["ReceiptHandle"]}
                    for index, message in enumerate(done)
                ],
            )
        return len(messages)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception:
                log.exception("polling %s failed; retrying", self.trigger.queue)
                self._stop.wait(1)
