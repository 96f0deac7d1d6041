"""Base classes of the API's pydantic models, by role, shared by every domain.

Validators are built on first use (``defer_build``): a cold start pays only for the models its
request needs.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class InputModel(BaseModel):
    """What a client sends: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


class OutputModel(BaseModel):
    """What a client gets back."""

    model_config = ConfigDict(defer_build=True)
