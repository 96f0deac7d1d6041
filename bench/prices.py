"""AWS prices in Asia Pacific (Jakarta), ap-southeast-3, where the regency's stack runs: what the
cost figures of the benchmarks multiply by. On-demand list prices in USD, without free tiers
(a cost per 1,000 is the marginal cost once the free tier is spent) and without tax.

Dated on purpose: prices change (DynamoDB's on-demand prices were halved in November 2024), so a
figure in docs/performance.md is only as good as the date next to it. They were written from the
public price pages as known on ``AS_OF``; this machine cannot reach them, so check them there
before quoting a total to the regency (``ASSUMED`` names the ones least sure for Jakarta).
"""

from __future__ import annotations

REGION = "ap-southeast-3"
AS_OF = "2026-12-07"

LAMBDA_ARM_GB_SECOND = 0.0000133334
"""Lambda duration on arm64 (Graviton), per GB-second (the template's Architectures)."""
LAMBDA_REQUEST = 0.20 / 1_000_000
"""Lambda, per invocation (an SQS batch is one)."""
SQS_REQUEST = 0.40 / 1_000_000
"""SQS standard queue, per request (64 KB chunk): SendMessage, ReceiveMessage, DeleteMessageBatch."""
EVENTBRIDGE_EVENT = 1.00 / 1_000_000
"""EventBridge, per custom event published (64 KB chunk); delivery to a rule's target is free."""
DYNAMODB_READ_UNIT = 0.1425 / 1_000_000
"""DynamoDB on-demand, per read request unit (4 KB strongly consistent, 8 KB eventually)."""
DYNAMODB_WRITE_UNIT = 0.7125 / 1_000_000
"""DynamoDB on-demand, per write request unit (1 KB; each index the item is written to, again)."""
SES_EMAIL = 0.10 / 1000
"""SES, per outbound e-mail (attachments aside: ours have none)."""
KMS_REQUEST = 0.03 / 10_000
"""KMS, per API request (SQS's data key: GenerateDataKey when sending, Decrypt when receiving)."""
XRAY_TRACE = 5.00 / 1_000_000
"""X-Ray, per trace recorded (the template turns active tracing on for every function)."""
LOGS_INGESTED_GB = 0.70
"""CloudWatch Logs, per GB ingested (standard class)."""

ASSUMED = ("DYNAMODB_READ_UNIT", "DYNAMODB_WRITE_UNIT", "LOGS_INGESTED_GB")
"""Taken as Singapore's (ap-southeast-1) rate: Jakarta's may differ by a few per cent."""
