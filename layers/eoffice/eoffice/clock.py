"""The regency's clock. Luwu Timur keeps WITA (Asia/Makassar, UTC+8, no daylight saving)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

REGENCY_TIMEZONE = "Asia/Makassar"


def regency_tz() -> tzinfo:
    # The Lambda image may lack the tz database; WITA has had no DST since 1988, so a fixed
    # offset gives the same answers.
    try:
        return ZoneInfo(REGENCY_TIMEZONE)
    except ZoneInfoNotFoundError:
        return timezone(timedelta(hours=8), "WITA")


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date in the regency."""
    return utcnow().astimezone(regency_tz()).date()


def utc_iso(moment: datetime) -> str:
    """An aware instant as the API writes every timestamp: UTC with ``Z``, its fraction only
    when it has one (the rule of ``eoffice.models``, for values inside free-form details)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
