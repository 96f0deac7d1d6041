"""The regency's monthly AWS bill from what each operation was measured to use: plain arithmetic
over ``bench.prices``, kept apart from the measuring (``bench.cost``) so it can be checked by hand
(``tests/unit/test_bill.py``).

An operation (a check-in with its selfie, a letter's registration, a disposition...) is measured
once as a ``Counter`` of meters (``lambda.gb_s``, ``dynamodb.wru``, ``s3.tier1``...); the month
is each operation's count times its meters, plus what is stored (kept for a number of days, or
kept for good and grown month by month) and what is paid per month whatever the traffic (keys,
alarms, users). Each meter has its price and the always-free allowance that applies to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bench import prices

GB = 1024**3
DAYS_PER_MONTH = 30.4


@dataclass(frozen=True)
class Meter:
    service: str
    what: str
    unit: str
    price: float
    """USD per unit."""
    free: float = 0.0
    """Units a month the always-free allowance covers."""


METERS: dict[str, Meter] = {
    "lambda.requests": Meter(
        "Lambda", "invocations", "requests", prices.LAMBDA_REQUEST, prices.FREE_LAMBDA_REQUESTS
    ),
    "lambda.gb_s": Meter(
        "Lambda",
        "duration (arm64)",
        "GB-s",
        prices.LAMBDA_ARM_GB_SECOND,
        prices.FREE_LAMBDA_GB_SECONDS,
    ),
    "apigw.requests": Meter(
        "API Gateway", "HTTP API requests", "requests", prices.API_HTTP_REQUEST
    ),
    "dynamodb.rru": Meter("DynamoDB", "reads (on-demand)", "RRU", prices.DYNAMODB_READ_UNIT),
    "dynamodb.wru": Meter("DynamoDB", "writes (on-demand)", "WRU", prices.DYNAMODB_WRITE_UNIT),
    "dynamodb.gb_month": Meter(
        "DynamoDB", "storage", "GB-month", prices.DYNAMODB_GB_MONTH, prices.FREE_DYNAMODB_GB
    ),
    "dynamodb.pitr_gb_month": Meter(
        "DynamoDB", "point-in-time recovery", "GB-month", prices.DYNAMODB_PITR_GB_MONTH
    ),
    "s3.gb_month.selfies": Meter("S3", "storage, selfies", "GB-month", prices.S3_STANDARD_GB_MONTH),
    "s3.gb_month.letters": Meter(
        "S3", "storage, letters' files (object lock)", "GB-month", prices.S3_STANDARD_GB_MONTH
    ),
    "s3.gb_month.letters_ia": Meter(
        "S3", "storage, letters' files, Standard-IA", "GB-month", prices.S3_IA_GB_MONTH
    ),
    "s3.gb_month.letters_gir": Meter(
        "S3",
        "storage, letters' files, Glacier Instant Retrieval",
        "GB-month",
        prices.S3_GIR_GB_MONTH,
    ),
    "s3.transitions.ia": Meter(
        "S3", "transitions to Standard-IA", "objects", prices.S3_IA_TRANSITION
    ),
    "s3.transitions.gir": Meter(
        "S3", "transitions to Glacier Instant Retrieval", "objects", prices.S3_GIR_TRANSITION
    ),
    "s3.gb_month.intake_old": Meter(
        "S3", "storage, intake's old versions", "GB-month", prices.S3_STANDARD_GB_MONTH
    ),
    "s3.tier1": Meter("S3", "PUT, POST, COPY, LIST", "requests", prices.S3_TIER1_REQUEST),
    "s3.tier2": Meter("S3", "GET, HEAD", "requests", prices.S3_TIER2_REQUEST),
    "sqs.requests": Meter(
        "SQS", "requests", "requests", prices.SQS_REQUEST, prices.FREE_SQS_REQUESTS
    ),
    "events": Meter("EventBridge", "custom events", "events", prices.EVENTBRIDGE_EVENT),
    "kms.requests": Meter(
        "KMS", "requests", "requests", prices.KMS_REQUEST, prices.FREE_KMS_REQUESTS
    ),
    "kms.keys": Meter("KMS", "customer managed keys", "key-months", prices.KMS_KEY_MONTH),
    "kms.signer_keys": Meter(
        "KMS", "signers' keys (KMS_SIGNERS)", "key-months", prices.KMS_KEY_MONTH
    ),
    "ses.emails": Meter("SES", "e-mails sent (notices)", "e-mails", prices.SES_EMAIL),
    "xray.traces": Meter(
        "X-Ray", "traces recorded", "traces", prices.XRAY_TRACE, prices.FREE_XRAY_TRACES
    ),
    "logs.gb": Meter(
        "CloudWatch", "logs ingested", "GB", prices.LOGS_INGESTED_GB, prices.FREE_LOGS_GB
    ),
    "alarms": Meter(
        "CloudWatch", "alarms", "alarm-months", prices.LOGS_ALARM_MONTH, prices.FREE_ALARMS
    ),
    "cognito.mau": Meter(
        "Cognito",
        "monthly active users (Essentials)",
        "MAU",
        prices.COGNITO_ESSENTIALS_MAU,
        prices.FREE_COGNITO_MAU,
    ),
}


@dataclass(frozen=True)
class Line:
    meter: str
    quantity: float

    @property
    def priced(self) -> Meter:
        return METERS[self.meter]

    @property
    def usd(self) -> float:
        """Without the always-free allowance."""
        return self.quantity * self.priced.price

    @property
    def usd_free(self) -> float:
        """With it: only what exceeds the allowance is paid."""
        return max(0.0, self.quantity - self.priced.free) * self.priced.price


def month(per_operation: Mapping[str, Counter[str]], counts: Mapping[str, float]) -> Counter[str]:
    """The month's meters: each operation's meters times how often it happens in a month."""
    used: Counter[str] = Counter()
    for name, count in counts.items():
        for meter, amount in per_operation[name].items():
            used[meter] += amount * count  # type: ignore[assignment]
    return used


def kept_for(bytes_per_month: float, days: float) -> float:
    """GB-months of something written at a steady rate and deleted ``days`` after it was
    written: at steady state, ``days`` worth of it is always there."""
    return bytes_per_month / GB * min(days, 10 * 365) / DAYS_PER_MONTH


def kept_for_good(bytes_per_month: float, months: int) -> float:
    """GB-months in month ``months`` of something never deleted: what the months before wrote,
    and on average half of this month's."""
    return bytes_per_month / GB * (months - 0.5)


def gb_seconds(ms: float, memory_mb: int) -> float:
    """Lambda bills duration rounded up to the millisecond, times the configured memory."""
    return -(-ms // 1) / 1000 * memory_mb / 1024


def lines(used: Mapping[str, float]) -> list[Line]:
    """The bill line by line, in the meters' order; meters nothing used are left out."""
    return [Line(meter, used[meter]) for meter in METERS if used.get(meter, 0)]


def total(bill: Iterable[Line]) -> float:
    return sum(line.usd for line in bill)


def total_free(bill: Iterable[Line]) -> float:
    return sum(line.usd_free for line in bill)


def by_service(bill: Iterable[Line]) -> dict[str, float]:
    """USD with the always-free allowances, by service."""
    found: dict[str, float] = {}
    for line in bill:
        found[line.priced.service] = found.get(line.priced.service, 0.0) + line.usd_free
    return found
