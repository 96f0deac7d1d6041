"""Every error answer is ``application/problem+json`` (RFC 9457) with a stable ``code``.

The one place where domain errors, validation errors and unknown routes become HTTP answers.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from pydantic import BaseModel, ConfigDict, Field

from eoffice.errors import DomainError
from eoffice.http.plain import INTERNAL_ERROR, field_errors, problem_body
from eoffice.http.plain import PROBLEM_JSON as PROBLEM_JSON  # the media type, re-exported
from eoffice.observability import logger
from eoffice.org.import_rows import RowError


class Problem(BaseModel):
    """An error, as RFC 9457 describes it, plus this API's stable ``code``."""

    model_config = ConfigDict(defer_build=True)  # only /openapi.json needs its schema

    type: str = Field("about:blank", description="A URI naming the kind of problem")
    title: str
    status: int
    code: str = Field(description="Stable, machine-readable error code")
    detail: str = Field(description="What went wrong, for a person")
    errors: list[dict[str, Any]] | None = Field(None, description="Field errors, when any")
    rows: list[RowError] | None = Field(
        None,
        description="import_rejected: the bad rows of the CSV file (the first 1,000), nothing "
        "was imported",
    )
    rows_invalid: int | None = Field(None, description="import_rejected: how many rows are bad")


class GatewayMessage(BaseModel):
    """What API Gateway answers itself, never the function: ``{"message": "Unauthorized"}``
    for a missing, expired or forged token (HTTP APIs cannot shape that answer)."""

    model_config = ConfigDict(defer_build=True)

    message: str


def problem_response(
    status: int, code: str, title: str, detail: str, **extra: Any
) -> Response[str]:
    body = problem_body(status, code, title, detail, **extra)
    return Response(status_code=status, content_type=PROBLEM_JSON, body=body)


def install(app: APIGatewayHttpResolver) -> None:
    """Register the error handlers on ``app``."""

    @app.exception_handler(DomainError)
    def _domain(error: DomainError) -> Response[str]:
        return problem_response(error.status, error.code, error.title, error.detail, **error.extra)

    @app.exception_handler(RequestUnsupportedContentType)
    def _unsupported(error: RequestUnsupportedContentType) -> Response[str]:
        # A JSON route sent text/plain or XML: the body was never read.
        return problem_response(
            415,
            "unsupported_media_type",
            "Unsupported media type",
            "send the body as application/json",
        )

    @app.exception_handler(RequestValidationError)
    def _invalid(error: RequestValidationError) -> Response[str]:
        return problem_response(
            422,
            "validation_failed",
            "The request is not valid",
            "one or more fields are missing or invalid",
            errors=field_errors(error.errors()),
        )

    @app.not_found
    def _not_found(error: NotFoundError) -> Response[str]:
        return problem_response(404, "route_not_found", "Not found", "no such route")

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response[str]:
        logger.exception("unhandled error")
        return problem_response(*INTERNAL_ERROR)
