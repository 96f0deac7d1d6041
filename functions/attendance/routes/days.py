"""Attendance days: an employee's month, a unit's day, a day's detail and its corrections, and
a check-in's selfie. Routes parse and answer; the services are ``eoffice.attendance.day_status``,
``corrections`` and ``selfie_access``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.attendance.models import (
    Correction,
    CorrectionCreate,
    DayDetail,
    MonthView,
    SelfieLink,
    UnitDay,
)
from eoffice.http.caller import caller
from eoffice.http.openapi import operation

router = APIGatewayHttpRouter()
TAGS = ["attendance"]
Month = Annotated[str, Query(description="YYYY-MM", pattern=r"^\d{4}-\d{2}$")]
Nip = Annotated[str, Path(description="The employee's NIP")]
Day = Annotated[date, Path(description="YYYY-MM-DD (WITA)")]


@router.get(
    "/attendance/me",
    **operation("myAttendance", "My attendance, day by day, for a month", tags=TAGS, errors=(422,)),
)
def my_month(month: Month) -> MonthView:
    from eoffice.attendance import day_status

    principal = caller(router)
    return day_status.month_of(principal, principal.nip, month)


@router.get(
    "/attendance/employees/<nip>",
    **operation(
        "employeeAttendance",
        "An employee's attendance for a month (himself, his heads, hr)",
        tags=TAGS,
        errors=(403, 404, 422),
    ),
)
def employee_month(nip: Nip, month: Month) -> MonthView:
    from eoffice.attendance import day_status

    return day_status.month_of(caller(router), nip, month)


@router.get(
    "/attendance",
    **operation(
        "unitAttendance",
        "A unit's attendance on one day (its heads, hr)",
        tags=TAGS,
        errors=(403, 404, 422),
    ),
)
def unit_day(
    unit: Annotated[str, Query(description="The unit's id")],
    date_: Annotated[date, Query(alias="date", description="YYYY-MM-DD (WITA)")],
) -> UnitDay:
    from eoffice.attendance import day_status

    return day_status.unit_day(caller(router), unit, date_)


@router.get(
    "/attendance/days/<nip>/<day>",
    **operation(
        "attendanceDay",
        "One day of an employee with every check-in, correction and flag behind it",
        tags=TAGS,
        errors=(403, 404, 422),
    ),
)
def day_detail(nip: Nip, day: Day) -> DayDetail:
    from eoffice.attendance import day_status

    return day_status.day_detail(caller(router), nip, day)


@router.post(
    "/attendance/days/<nip>/<day>/corrections",
    **operation(
        "correctAttendanceDay",
        "Correct a day, with a reason kept in its history (his heads: this month and last; admins)",
        tags=TAGS,
        errors=(403, 404, 422),
        status_code=201,
    ),
)
def correct_day(nip: Nip, day: Day, body: CorrectionCreate) -> Correction:
    from eoffice.attendance import corrections

    return corrections.correct_day(caller(router), nip, day, body)


@router.get(
    "/attendance/days/<nip>/<day>/check-ins/<checkin_id>/selfie",
    **operation(
        "checkInSelfie",
        "A short-lived link to a check-in's selfie (the employee, his heads, hr)",
        tags=TAGS,
        errors=(403, 404),
    ),
)
def selfie(nip: Nip, day: Day, checkin_id: str) -> SelfieLink:
    from eoffice.attendance import selfie_access

    return selfie_access.selfie_link(caller(router), nip, day, checkin_id)
