"""What 1,000 notifications cost on AWS, from what one notice was measured to use: plain
arithmetic over ``bench.prices``, kept apart from the measuring so it can be checked by hand
(``tests/unit/test_notify_cost.py``).

The chain of one event: the function that acts publishes it (one EventBridge event), the rule
puts it on the queue (one SQS SendMessage, made by EventBridge and billed to us), Lambda's event
source receives a batch and deletes it (a ReceiveMessage and a DeleteMessageBatch per batch) and
invokes the function once per batch; the function reads and writes DynamoDB, sends the e-mail
through SES and logs. The queue is encrypted with the stack's KMS key: SQS asks KMS for a data
key when a message is sent and to decrypt it when received, at most once per data key reuse
period (300 s) per sender and receiver, so KMS is counted at most once per event and batch, the
figure of quiet traffic (an event every five minutes or more); busy traffic reuses the key.
Active tracing records at most one X-Ray trace per invocation (the default sampling keeps 1 a
second and 5 % of the rest).
"""

from __future__ import annotations

from dataclasses import dataclass

from bench import prices

PER = 1000
GB = 1024**3


@dataclass(frozen=True)
class PerNotice:
    """What one notice was measured to use, and the shape of the traffic."""

    lambda_ms: float
    """Billed duration per notice: the batch's time shared by its notices."""
    memory_mb: int
    """The function's MemorySize in template.yaml."""
    notices_per_event: float
    events_per_batch: float
    """The queue's BatchSize when busy; 1 when each event comes alone."""
    read_units: float
    write_units: float
    emails: float
    log_bytes: float


@dataclass(frozen=True)
class CostLine:
    what: str
    quantity: float
    unit: str
    price: float
    """USD per unit."""

    @property
    def usd(self) -> float:
        return self.quantity * self.price


def lines(used: PerNotice, per: int = PER) -> list[CostLine]:
    """The bill of ``per`` notifications, line by line (quantities for ``per`` notices)."""
    events = per / used.notices_per_event
    batches = events / used.events_per_batch
    gb_seconds = per * used.lambda_ms / 1000 * used.memory_mb / 1024
    return [
        CostLine("Lambda duration (arm64)", gb_seconds, "GB-s", prices.LAMBDA_ARM_GB_SECOND),
        CostLine("Lambda requests (1 per batch)", batches, "requests", prices.LAMBDA_REQUEST),
        CostLine(
            "SQS requests (send 1 per event; receive, delete 1 per batch)",
            events + 2 * batches,
            "requests",
            prices.SQS_REQUEST,
        ),
        CostLine("EventBridge events", events, "events", prices.EVENTBRIDGE_EVENT),
        CostLine(
            "DynamoDB reads (on-demand)", per * used.read_units, "RRU", prices.DYNAMODB_READ_UNIT
        ),
        CostLine(
            "DynamoDB writes (on-demand)", per * used.write_units, "WRU", prices.DYNAMODB_WRITE_UNIT
        ),
        CostLine("SES e-mails", per * used.emails, "e-mails", prices.SES_EMAIL),
        CostLine(
            "KMS, the queue's data key (at most 1 per event and per batch)",
            events + batches,
            "requests",
            prices.KMS_REQUEST,
        ),
        CostLine("X-Ray traces (at most 1 per invocation)", batches, "traces", prices.XRAY_TRACE),
        CostLine(
            "CloudWatch Logs ingested", per * used.log_bytes / GB, "GB", prices.LOGS_INGESTED_GB
        ),
    ]


def total(bill: list[CostLine]) -> float:
    return sum(line.usd for line in bill)


def without_email(bill: list[CostLine]) -> float:
    """The total less SES: what the push and the bookkeeping cost, whatever the channels."""
    return sum(line.usd for line in bill if not line.what.startswith("SES"))
