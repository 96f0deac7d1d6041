"""A CSV import's bad rows. Each problem carries a stable code, the column at fault and the value,
so the web app can say it in Bahasa Indonesia to the administrator who fixes the file; the
English ``message`` stays for operators, logs and scripts."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field

from eoffice.models import OutputModel

MAX_VALUE = 100
"""A cell's value is echoed back at most this long."""


class RowProblemCode(StrEnum):
    unknown_unit = "unknown_unit"
    unknown_position = "unknown_position"
    unknown_office = "unknown_office"
    invalid_amount = "invalid_amount"
    invalid_active = "invalid_active"
    invalid_date = "invalid_date"
    invalid_value = "invalid_value"
    """A field the employee's own rules refuse (a NIP's form, a role, an e-mail...)."""
    duplicate_in_file = "duplicate_in_file"
    username_taken = "username_taken"
    username_fixed = "username_fixed"
    employment_dates = "employment_dates"


class RowProblem(OutputModel):
    code: RowProblemCode
    column: str | None = Field(description="The CSV column at fault, when one is")
    value: str | None = Field(
        description="The cell's value; for duplicate_in_file the line the value is also on; for "
        "username_taken the NIP the username belongs to; for username_fixed his username"
    )
    message: str = Field(description="The same, in English")


class RowError(OutputModel):
    row: int = Field(description="Line number in the CSV file, the header being line 1")
    nip: str | None
    messages: list[str] = Field(description="Each problem's English message")
    problems: list[RowProblem] = Field(default_factory=list)


def row_error(row: int, nip: str | None, problems: list[RowProblem]) -> RowError:
    return RowError(
        row=row, nip=nip, messages=[p.message for p in problems], problems=list(problems)
    )


def cell(value: Any) -> str | None:
    """A cell's value as the answer echoes it: text, cut to MAX_VALUE; None for no value."""
    if value is None or isinstance(value, dict | list):
        return None
    return str(value)[:MAX_VALUE]


class RowValueError(ValueError):
    """A cell that cannot be read; raised while a row is parsed, reported as its problem."""

    def __init__(self, code: RowProblemCode, column: str, value: str, message: str) -> None:
        super().__init__(message)
        self.problem = RowProblem(code=code, column=column, value=cell(value), message=message)
