"""A tap on the stack's event bus: the domain events of one source, collected through an SQS
queue of the test's own."""

from __future__ import annotations

import json
import uuid
from typing import Any

from support.api import Api


class EventTap:
    """Collects the domain events of ``source`` from the stack's bus, through an SQS queue."""

    def __init__(self, api: Api, source: str = "eoffice.dispositions") -> None:
        from eoffice import aws

        self.sqs = aws.client("sqs")
        events = aws.client("events")
        name = f"tap-{uuid.uuid4().hex[:12]}"
        self.queue = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=self.queue, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        bus = api.env.stack.refs["EventBus"]
        events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps({"source": [source]}))
        events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "q", "Arn": arn}])
        self.seen: list[dict[str, Any]] = []

    def drain(self) -> list[dict[str, Any]]:
        """Every event received so far (``detail-type`` and ``detail``)."""
        while True:
            got = self.sqs.receive_message(
                QueueUrl=self.queue, WaitTimeSeconds=1, MaxNumberOfMessages=10
            ).get("Messages", [])
            if not got:
                return self.seen
            for message in got:
                self.seen.append(json.loads(message["Body"]))
                self.sqs.delete_message(QueueUrl=self.queue, ReceiptHandle=message["ReceiptHandle"])

    def of(self, detail_type: str, **match: Any) -> list[dict[str, Any]]:
        return [
            e["detail"]
            for e in self.drain()
            if e["detail-type"] == detail_type
            and all(e["detail"].get(k) == v for k, v in match.items())
        ]
