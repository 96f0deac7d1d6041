"""Reading and maintaining the working calendar. Everyone may read it (deadlines and attendance
depend on it); admins and hr maintain it."""

from __future__ import annotations

from eoffice import clock
from eoffice.auth import Principal, require_role
from eoffice.calendar import store
from eoffice.calendar.models import CalendarUpdate, YearCalendar
from eoffice.errors import InvalidInput
from eoffice.org.models import Role

MIN_YEAR, MAX_YEAR = 2000, 2100


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(f"year must be between {MIN_YEAR} and {MAX_YEAR}", code="invalid_year")


def get_year(year: int) -> YearCalendar:
    _check_year(year)
    return store.get_year(year)


def replace_year(principal: Principal, year: int, data: CalendarUpdate) -> YearCalendar:
    require_role(principal, Role.admin, Role.hr)
    _check_year(year)
    outside = [day.on.isoformat() for day in data.days_off if day.on.year != year]
    if outside:
        raise InvalidInput(
            f"days off outside {year}: {', '.join(outside)}", code="day_off_outside_year"
        )
    dates = [day.on for day in data.days_off]
    if len(set(dates)) != len(dates):
        raise InvalidInput("a date is listed twice", code="duplicate_day_off")
    if data.ramadan is not None and data.ramadan.first.year != year:
        raise InvalidInput(
            f"Ramadan's first day {data.ramadan.first.isoformat()} is not in {year}",
            code="ramadan_outside_year",
        )
    calendar = YearCalendar(
        year=year,
        configured=True,
        days_off=data.days_off,
        ramadan=data.ramadan,
        updated_at=clock.utcnow(),
        updated_by=principal.nip,
    )
    store.save_year(calendar)
    return calendar
