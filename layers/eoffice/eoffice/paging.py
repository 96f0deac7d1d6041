"""A page of a cursor-paginated list, the same shape for every list endpoint."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """``next_cursor`` goes back as ``cursor`` for the next page; null on the last one."""

    model_config = ConfigDict(defer_build=True)

    items: list[T]
    next_cursor: str | None = None
