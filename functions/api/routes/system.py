"""Health: the route a load balancer or a person checks first; it needs no sign-in.

The OpenAPI document (``/openapi.json``) and Swagger UI (``/docs``) come with every resolver
(:func:`eoffice.http.app.build_resolver`)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.http.openapi import operation
from pydantic import BaseModel

router = APIGatewayHttpRouter()
TAGS = ["system"]


class Health(BaseModel):
    status: str


@router.get("/health", **operation("getHealth", "Liveness of the API", tags=TAGS, public=True))
def health() -> Health:
    return Health(status="ok")
