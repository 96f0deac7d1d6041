"""The queue hr's report requests go through to the report function (``TPP_RUN_QUEUE_URL``)."""

from __future__ import annotations

import json

from eoffice import aws, settings


def enqueue(month: str, scope: str, run_id: str) -> None:
    """Ask the report function for the run; its body is what ``tpp_report`` reads."""
    aws.client("sqs").send_message(
        QueueUrl=settings.resource("TPP_RUN_QUEUE_URL"),
        MessageBody=json.dumps({"month": month, "scope": scope, "run_id": run_id}, sort_keys=True),
    )
