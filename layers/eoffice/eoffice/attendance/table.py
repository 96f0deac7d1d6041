"""The attendance table (``ATTENDANCE_TABLE``): one PynamoDB model for every item kind, and the
key of each kind in one place (docs/decisions/0012-attendance.md).

| item | pk / sk | indexes |
| --- | --- | --- |
| check-in | ``EMP#{nip}`` / ``AT#{effective WITA time}#{client_id}`` | gsi1 unless rejected |
| idempotency guard | ``EMP#{nip}`` / ``CID#{client_id}`` | (TTL) |
| profile (bound device, last fix) | ``EMP#{nip}`` / ``PROFILE`` | |
| device binding | ``DEVICE#{hash}`` / ``BINDING`` | |
| device day (who used it) | ``DEVICE#{hash}`` / ``DAY#{date}`` | (TTL) |
| device request | ``EMP#{nip}`` / ``DEVREQ#{hash}`` | gsi2 ``DEVICES#PENDING`` |
| flag | ``EMP#{nip}`` / ``FLAG#{date}#{flag_id}`` | gsi2 ``FLAGS#OPEN`` while open |
| leave or travel | ``EMP#{nip}`` / ``LEAVE#{leave_id}`` | gsi2 ``LEAVES#WAITING#{unit}`` while pending, gsi3 ``LEAVES#{unit}`` |
| leave filing lock (``v``) | ``EMP#{nip}`` / ``LEAVES`` | |
| leave id lookup (``nip``) | ``LEAVEID#{leave_id}`` / ``LEAVE`` | |
| correction | ``EMP#{nip}`` / ``CORR#{date}#{at}`` | gsi1 |

gsi1 ``UNIT#{unit}#{yyyy-mm}`` / ``{date}#{nip}#{kind}#...``: a unit's day or month in one Query.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UnicodeSetAttribute
from pynamodb.indexes import GlobalSecondaryIndex

from eoffice.dynamo import Row, gsi, table_meta

TABLE_ENV = "ATTENDANCE_TABLE"


class AttendanceRow(Row):
    Meta = table_meta(TABLE_ENV)

    v = NumberAttribute(null=True)  # a device day's version
    nip = UnicodeAttribute(null=True)  # a device binding's employee
    nips = UnicodeSetAttribute(null=True)  # a device day's employees
    expires_at = NumberAttribute(null=True)  # TTL (guards, device days)
    by_unit_month: GlobalSecondaryIndex[AttendanceRow] = gsi(1)
    queue: GlobalSecondaryIndex[AttendanceRow] = gsi(2)
    unit_leave: GlobalSecondaryIndex[AttendanceRow] = gsi(3)


def employee_key(nip: str) -> str:
    return f"EMP#{nip}"


def unit_month_key(unit_id: str, month: str) -> str:
    """gsi1's partition; ``month`` is ``YYYY-MM``."""
    return f"UNIT#{unit_id}#{month}"
