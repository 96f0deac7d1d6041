"""Whether the calendar years in use are entered: the current year always, and from 1 December
the next one too (the SKB 3 Menteri for it is out by then, and a disposition of late December is
already counted into January). A year nobody entered is never taken as one without holidays in
silence: deadlines counted on it say so (``WorkingCalendar.unconfigured_years``), and this check
warns before the year starts.

The deadline function runs it every morning (``CalendarCheck`` in template.yaml): it publishes
``CalendarNotConfigured`` for each missing year (for admins and hr), logs a warning, and records
the ``CalendarYearsMissing`` metric, whose alarm e-mails the operators (``OpsAlertTopic``).
"""

from __future__ import annotations

from datetime import date, datetime

from eoffice import events
from eoffice.calendar import store
from eoffice.clock import regency_tz
from eoffice.observability import logger, metrics

WARN_FROM_MONTH = 12  # December: the next year must be entered before it starts
METRIC = "CalendarYearsMissing"
EVENTS = "calendar"


def years_due(today: date) -> list[int]:
    """The years whose calendar must be entered by ``today``."""
    return [today.year, today.year + 1] if today.month >= WARN_FROM_MONTH else [today.year]


def missing_years(today: date) -> list[int]:
    """The years due that nobody entered (one GetItem each)."""
    return [year for year in years_due(today) if not store.get_year(year).configured]


def check(moment: datetime) -> list[int]:
    """Warn about the years due at ``moment`` that are not entered; the years."""
    from aws_lambda_powertools.metrics import MetricUnit

    today = moment.astimezone(regency_tz()).date()
    missing = missing_years(today)
    metrics.add_metric(name=METRIC, unit=MetricUnit.Count, value=len(missing))
    for year in missing:
        logger.warning("calendar not configured", year=year, checked_on=today.isoformat())
        events.publish(
            EVENTS,
            "CalendarNotConfigured",
            {
                "event_id": f"calendar:{year}:missing:{today.isoformat()}",
                "year": year,
                "checked_on": today.isoformat(),
                "notify_roles": ["admin", "hr"],
                "message": message(year, today),
            },
        )
    return missing


def message(year: int, today: date) -> str:
    """What admins and hr read, in Bahasa Indonesia."""
    by_when = f"sebelum 1 Januari {year}" if year > today.year else "segera"
    return (
        f"Kalender kerja tahun {year} (hari libur nasional dan cuti bersama) belum diisi. "
        f"Tenggat disposisi yang jatuh pada tahun {year} dihitung tanpa hari libur dan ditandai "
        f"sementara. Isi kalender melalui PUT /calendar/{year} {by_when}."
    )
