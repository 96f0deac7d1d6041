"""The local SQS event source mapping against the emulator's queues: batches in Lambda's event
shape, deletion of what was handled, partial failures left on the queue."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from eoffice import aws
from eoffice_local.environment import LocalEnvironment
from eoffice_local.poller import QueuePoller
from eoffice_local.template import QueueTrigger


@pytest.fixture
def queue(local_env: LocalEnvironment) -> str:
    sqs = aws.client("sqs")
    url = sqs.create_queue(
        QueueName=f"poller-test-{uuid.uuid4().hex[:12]}", Attributes={"VisibilityTimeout": "1"}
    )["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    local_env.stack.refs["PollerTestQueue"] = url
    local_env.stack.attrs["PollerTestQueue"] = {"Arn": arn}
    return url


def poller(env: LocalEnvironment, invoke: Any, partial: bool = True) -> QueuePoller:
    trigger = QueueTrigger(
        function="TestFunction",
        queue="PollerTestQueue",
        batch_size=10,
        maximum_batching_window=0,
        report_batch_item_failures=partial,
    )
    return QueuePoller(trigger, env.stack, aws.client("sqs"), invoke, wait_seconds=1)


def remaining(queue: str) -> int:
    attributes = aws.client("sqs").get_queue_attributes(
        QueueUrl=queue,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(
        attributes["ApproximateNumberOfMessagesNotVisible"]
    )


def test_batch_is_delivered_in_lambda_shape_and_deleted(
    local_env: LocalEnvironment, queue: str
) -> None:
    for number in range(3):
        aws.client("sqs").send_message(QueueUrl=queue, MessageBody=json.dumps({"n": number}))
    received: list[dict[str, Any]] = []

    def invoke(function: str, event: dict[str, Any]) -> dict[str, Any]:
        assert function == "TestFunction"
        received.extend(event["Records"])
        return {"batchItemFailures": []}

    subject = poller(local_env, invoke)
    while subject.poll_once():
        pass
    assert sorted(json.loads(r["body"])["n"] for r in received) == [0, 1, 2]
    record = received[0]
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == local_env.stack.attrs["PollerTestQueue"]["Arn"]
    assert record["receiptHandle"] and record["messageId"]
    assert remaining(queue) == 0


def test_reported_failures_stay_on_the_queue(local_env: LocalEnvironment, queue: str) -> None:
    for body in ("ok", "fail", "ok"):
        aws.client("sqs").send_message(QueueUrl=queue, MessageBody=body)

    def invoke(function: str, event: dict[str, Any]) -> dict[str, Any]:
        failed = [r["messageId"] for r in event["Records"] if r["body"] == "fail"]
        return {"batchItemFailures": [{"itemIdentifier": m} for m in failed]}

    subject = poller(local_env, invoke)
    handled = 0
    while handled < 3:
        handled += subject.poll_once()
    assert remaining(queue) == 1


def test_a_crashing_function_leaves_the_batch(local_env: LocalEnvironment, queue: str) -> None:
    aws.client("sqs").send_message(QueueUrl=queue, MessageBody="x")

    def invoke(function: str, event: dict[str, Any]) -> None:
        raise RuntimeError("boom")

    assert poller(local_env, invoke).poll_once() == 1
    assert remaining(queue) == 1
