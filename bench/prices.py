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

ASSUMED: tuple[str, ...] = ("DYNAMODB_READ_UNIT", "DYNAMODB_WRITE_UNIT", "LOGS_INGESTED_GB")
"""Taken as Singapore's (ap-southeast-1) rate: Jakarta's may differ by a few per cent."""

# ---------------------------------------------------------------- the monthly bill (issue 19)
API_HTTP_REQUEST = 1.00 / 1_000_000
"""API Gateway HTTP API, per request (512 KB chunk), the first 300 million a month."""
S3_STANDARD_GB_MONTH = 0.025
"""S3 Standard storage, per GB-month (the first 50 TB)."""
S3_TIER1_REQUEST = 0.0055 / 1000
"""S3 PUT, COPY, POST, LIST, per request (a browser's presigned upload is one)."""
S3_TIER2_REQUEST = 0.00044 / 1000
"""S3 GET, HEAD and the rest, per request (a presigned download is one)."""
DYNAMODB_GB_MONTH = 0.285
"""DynamoDB Standard table class, storage per GB-month."""
DYNAMODB_PITR_GB_MONTH = 0.228
"""DynamoDB continuous backups (point-in-time recovery), per GB-month of table size."""
KMS_KEY_MONTH = 1.00
"""KMS, per customer managed key and month (no free allowance)."""
LOGS_ALARM_MONTH = 0.10
"""CloudWatch, per standard-resolution metric alarm and month."""
COGNITO_ESSENTIALS_MAU = 0.015
"""Cognito user pools, Essentials tier (the default of a pool created since November 2024), per
monthly active user."""

# The always-free allowances (they do not expire after the first year, unlike S3's 5 GB or
# API Gateway's million calls, which are left out on purpose).
FREE_LAMBDA_REQUESTS = 1_000_000
FREE_LAMBDA_GB_SECONDS = 400_000
FREE_SQS_REQUESTS = 1_000_000
FREE_DYNAMODB_GB = 25
"""25 GB of table storage; the 25 provisioned RCU/WCU do not apply to on-demand tables."""
FREE_KMS_REQUESTS = 20_000
FREE_XRAY_TRACES = 100_000
FREE_LOGS_GB = 5
FREE_ALARMS = 10
FREE_COGNITO_MAU = 10_000

ASSUMED += (
    "API_HTTP_REQUEST",
    "S3_STANDARD_GB_MONTH",
    "S3_TIER1_REQUEST",
    "S3_TIER2_REQUEST",
    "DYNAMODB_GB_MONTH",
    "DYNAMODB_PITR_GB_MONTH",
    "COGNITO_ESSENTIALS_MAU",
)
S3_IA_GB_MONTH = 0.0138
"""S3 Standard-Infrequent Access storage, per GB-month (30 days at least, 128 KB at least)."""
S3_IA_TRANSITION = 0.01 / 1000
"""S3 lifecycle transition to Standard-IA, per object."""
ASSUMED += ("S3_IA_GB_MONTH", "S3_IA_TRANSITION")
S3_GIR_GB_MONTH = 0.005
"""S3 Glacier Instant Retrieval storage, per GB-month (milliseconds to read, 90 days and 128 KB
at least)."""
S3_GIR_TRANSITION = 0.02 / 1000
"""S3 lifecycle transition to Glacier Instant Retrieval, per object."""
S3_GIR_RETRIEVAL_GB = 0.03
"""S3 Glacier Instant Retrieval, per GB read back."""
ASSUMED += ("S3_GIR_GB_MONTH", "S3_GIR_TRANSITION", "S3_GIR_RETRIEVAL_GB")
