"""Attendance routes: work schedules. Everyone signed in reads them; admins and hr set the
regency default and unit exceptions (inherited by sub-units). Routes parse and answer; the service
is ``eoffice.attendance.schedules``."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.attendance.schedule_models import (
    EffectiveSchedule,
    ScheduleEntry,
    ScheduleOverview,
    WorkSchedule,
)
from eoffice.http.caller import caller
from eoffice.http.openapi import operation

router = APIGatewayHttpRouter()
TAGS = ["attendance schedules"]
UnitId = Annotated[str, Path(description="The unit's id")]


@router.get(
    "/attendance/schedules",
    **operation(
        "listWorkSchedules", "The regency's default schedule and every unit exception", tags=TAGS
    ),
)
def list_schedules() -> ScheduleOverview:
    from eoffice.attendance import schedules

    return schedules.overview(caller(router))


@router.put(
    "/attendance/schedules/default",
    **operation(
        "replaceDefaultWorkSchedule",
        "Replace the regency's default schedule (admin, hr)",
        tags=TAGS,
        errors=(403,),
    ),
)
def put_default(body: WorkSchedule) -> ScheduleEntry:
    from eoffice.attendance import schedules

    return schedules.put_default(caller(router), body)


@router.get(
    "/attendance/schedules/units/<unit_id>",
    **operation(
        "getUnitWorkSchedule",
        "The schedule a unit works by, and where it comes from",
        tags=TAGS,
        errors=(404,),
    ),
)
def get_unit(unit_id: UnitId) -> EffectiveSchedule:
    from eoffice.attendance import schedules

    caller(router)
    return schedules.effective(unit_id)


@router.put(
    "/attendance/schedules/units/<unit_id>",
    **operation(
        "replaceUnitWorkSchedule",
        "Set a unit's own schedule; its sub-units inherit it (admin, hr)",
        tags=TAGS,
        errors=(403, 404),
    ),
)
def put_unit(unit_id: UnitId, body: WorkSchedule) -> ScheduleEntry:
    from eoffice.attendance import schedules

    return schedules.put_unit(caller(router), unit_id, body)


@router.delete(
    "/attendance/schedules/units/<unit_id>",
    **operation(
        "deleteUnitWorkSchedule",
        "Drop a unit's own schedule (admin, hr); the answer is the schedule now in force",
        tags=TAGS,
        errors=(403, 404),
    ),
)
def delete_unit(unit_id: UnitId) -> EffectiveSchedule:
    from eoffice.attendance import schedules

    return schedules.delete_unit(caller(router), unit_id)
