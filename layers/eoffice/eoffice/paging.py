"""A page of a cursor-paginated list, the same shape for every list endpoint."""

from __future__ import annotations

from typing import Generic, TypeVar

from eoffice.models import OutputModel

T = TypeVar("T")


class Page(OutputModel, Generic[T]):
    """``next_cursor`` goes back as ``cursor`` for the next page; null on the last one."""

    items: list[T]
    next_cursor: str | None = None
