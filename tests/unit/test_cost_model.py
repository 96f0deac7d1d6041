"""What bench.cost reads and counts without running anything: DynamoDB item sizes, storage from
bytes written, the template's levers, billed time (hand-computable cases)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from bench import bill, cost, cost_meter


def test_item_sizes_follow_dynamodbs_rules() -> None:
    # names plus values: "pk" 2 + "EMP#1" 5, "n" 1 + a number of 3 digits 3 // 2 + 2, "ok" 2 + 1
    item = {"pk": {"S": "EMP#1"}, "n": {"N": "123"}, "ok": {"BOOL": True}}
    assert cost_meter.item_bytes(item) == 7 + 4 + 3
    # a map is 3 bytes plus its contents, a list 3 plus 1 per element plus the elements
    assert cost_meter.attribute_bytes({"M": {"a": {"S": "xy"}}}) == 3 + 3
    assert cost_meter.attribute_bytes({"L": [{"S": "xy"}, {"S": "z"}]}) == 3 + (1 + 2) + (1 + 1)


def test_the_template_as_the_bill_reads_it() -> None:
    template = cost.read_template()
    assert template.memory["CheckInFunction"] == 1769
    assert "CheckInFunction" not in template.traced and "IntakeFunction" in template.traced
    assert template.intake_noncurrent_days == 30
    assert (template.letters_archive_days, template.letters_archive_class) == (30, "GLACIER_IR")
    assert template.queue_key_reuse_s == 3600 and template.bucket_keys
    assert template.kms_keys == 2


def test_storage_from_bytes_written() -> None:
    template = replace(
        cost.read_template(), selfie_days=30, intake_noncurrent_days=15, letters_archive_days=365
    )
    gb = float(bill.GB)
    written = {
        "s3.bytes.AttendanceBucket": 30.4 * gb,  # a GB a day, kept 30 days
        "s3.bytes.IntakeBucket": 30.4 * gb,  # a GB a day, old versions kept 15 days
        "s3.bytes.LettersBucket": gb,  # kept for good: 11.5 GB in month 12, all in Standard
        "dynamodb.bytes_written": 2 * gb,
        "dynamodb.ttl_byte_days": 30.4 * gb * 10,  # 30.4 GB a month, each kept 10 days
    }
    used = cost.storage(written, template)
    assert used["s3.gb_month.selfies"] == pytest.approx(30)
    assert used["s3.gb_month.intake_old"] == pytest.approx(15)
    assert used["s3.gb_month.letters"] == pytest.approx(11.5)
    assert used["s3.gb_month.letters_gir"] == used["s3.gb_month.letters_ia"] == 0
    assert used["dynamodb.gb_month"] == pytest.approx(2 * 11.5 + 10)


def test_letters_move_to_their_archive_class_after_the_templates_days() -> None:
    template = replace(cost.read_template(), letters_archive_days=30)
    used = cost.storage(
        {"s3.bytes.LettersBucket": 30.4 * bill.GB, "s3.objects.LettersBucket": 100}, template
    )
    # 30.4 GB a month for 11.5 months: 30 GB still in Standard, the rest in Glacier IR
    assert used["s3.gb_month.letters"] == pytest.approx(30)
    assert used["s3.gb_month.letters_gir"] == pytest.approx(30.4 * 11.5 - 30)
    assert used["s3.transitions.gir"] == 100


def test_billed_time_is_own_work_plus_a_fixed_time_per_aws_call() -> None:
    used = Counter({"lambda.ms.F": 500, "lambda.wait.F": 450, "lambda.aws_calls.F": 3})
    assert cost.billed_ms(used, "F") == pytest.approx(50 + 3 * cost.AWS_CALL_MS)  # type: ignore[arg-type]


def test_no_traces_for_a_function_without_active_tracing() -> None:
    template = cost.read_template()
    used = Counter({"lambda.calls.CheckInFunction": 2, "lambda.calls.IntakeFunction": 1})
    traced = cost._traced(used, template)
    assert traced["lambda.requests"] == 3 and traced["xray.traces"] == 1


def test_ses_bills_each_recipient() -> None:
    assert cost_meter._recipients({"Destination": {"ToAddresses": ["a@x", "b@x"]}}) == 2
    assert (
        cost_meter._recipients({"Destination": {"ToAddresses": ["a@x"], "BccAddresses": ["b@x"]}})
        == 2
    )
    assert cost_meter._recipients({"RawMessage": {}}) == 1


def test_notices_happen_as_often_as_what_raised_them() -> None:
    counts = {"disposition": 19_800.0, "checkin": 220_000.0}
    operations = {"disposition": Counter(), "notices: disposition": Counter(), "checkin": Counter()}
    found = cost.with_notices(counts, operations)
    assert found == {**counts, "notices: disposition": 19_800.0}


def test_signers_keys_and_emails_are_billed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cost, "KMS_SIGNERS", 3)  # three officials signing with KMS keys
    template = cost.read_template()
    operations = {"notices: disposition": Counter({"ses.emails": 1.0})}
    used = cost.priced(operations, {"notices: disposition": 1000.0}, template)
    assert used["ses.emails"] == 1000 and used["kms.signer_keys"] == 3
    lines = bill.lines(used)
    emails = next(line for line in lines if line.meter == "ses.emails")
    assert emails.usd_free == pytest.approx(0.10)  # US$0.10 per 1,000, no free allowance
