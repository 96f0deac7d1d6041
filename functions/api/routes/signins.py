"""Sign-ins: the jobs an import's Cognito users are made in (administrators follow them here).

Routes parse and answer; who may see a job is decided in ``eoffice.signins.requesting``.
"""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.http.caller import caller
from eoffice.http.openapi import operation
from eoffice.signins import requesting
from eoffice.signins.models import SignInJob, SignInJobDetail

router = APIGatewayHttpRouter()
SIGN_INS = ["sign-ins"]


@router.get(
    "/sign-ins/jobs",
    **operation(
        "listSignInJobs",
        "The latest imports' sign-in jobs, newest first (admin)",
        description="At most 20. `pending` falls as the sign-ins function makes the users.",
        tags=SIGN_INS,
        errors=(403,),
    ),
)
def list_jobs() -> list[SignInJob]:
    return requesting.recent_jobs(caller(router))


@router.get(
    "/sign-ins/jobs/<job_id>",
    **operation(
        "getSignInJob",
        "One import's sign-in job with its failures (admin)",
        description="An unknown job answers 404 `sign_in_job_not_found`.",
        tags=SIGN_INS,
        errors=(403, 404),
    ),
)
def get_job(job_id: Annotated[str, Path()]) -> SignInJobDetail:
    return requesting.job(caller(router), job_id)
