"""The TPP report function: at 01:00 WITA on the 1st (EventBridge Scheduler) it reports the
previous month for the regency; hr's requests (``POST /tpp/reports``) arrive through SQS.

The month of a scheduled run comes from the schedule's time in WITA, never from the clock at
run time and never in UTC: 01:00 WITA on 1 December is 17:00 UTC on 30 November, whose previous
month is October. A retry or a late invocation then still reports the right month, under the
same run id, so a duplicate delivery publishes nothing twice.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from eoffice import settings
from eoffice.batches import partial_response
from eoffice.observability import instrumented, logger
from eoffice.scheduled import scheduled_time
from eoffice.tpp.month_rules import previous_month
from eoffice.tpp.report_models import REGENCY, RunOrder, Trigger
from eoffice.tpp.run import execute

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

# Read and validated at cold start: a missing or malformed variable fails the first invocation.
SETTINGS = settings.load(settings.TppReportSettings)


def _monthly(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    moment = scheduled_time(event)
    order = RunOrder(
        month=previous_month(moment),
        scope=REGENCY,
        run_id=f"{moment:%Y%m%dT%H%M%S%f}-{Trigger.schedule}",  # sorts by time with hr's runs
        trigger=Trigger.schedule,
        requested_by=Trigger.schedule.value,
    )
    run = execute(order, context.get_remaining_time_in_millis)
    return run.model_dump(mode="json")


def handle_record(record: SQSRecord, context: LambdaContext) -> None:
    asked = json.loads(record.body)
    order = RunOrder(
        month=asked["month"],
        scope=asked["scope"],
        run_id=asked["run_id"],
        trigger=Trigger.request,
        requested_by=asked.get("requested_by", "hr"),
    )
    run = execute(order, context.get_remaining_time_in_millis)
    logger.info("tpp run", run_id=run.run_id, state=run.state, version=run.version)


def _handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if "Records" in event:
        return partial_response(event, lambda record: handle_record(record, context), context)
    return _monthly(event, context)


handler = instrumented(_handle)
