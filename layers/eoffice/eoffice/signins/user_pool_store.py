"""The user pool's admin calls, as outcomes the sign-ins function decides on.

Cognito answers a user that exists with ``UsernameExistsException``: for us that user is made
(an earlier delivery, or an administrator by hand). Throttling and Cognito's own failures are
``Retry`` (the queue delivers the message again after its visibility timeout); a refusal of the
request itself (an address Cognito will not take) is ``Refused``, for good.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from botocore.exceptions import ClientError

from eoffice import aws, settings

_RETRY = frozenset(
    {
        "TooManyRequestsException",
        "ThrottlingException",
        "LimitExceededException",
        "InternalErrorException",
        "ServiceUnavailable",
        "RequestTimeout",
    }
)


class Outcome(StrEnum):
    done = "done"
    existed = "existed"  # create: the user was there already
    not_found = "not_found"  # disable/enable: no such user


class Retry(Exception):
    """Cognito failed for now; the message must come again."""


class Refused(Exception):
    """Cognito refused the request; trying again would not help."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def _pool() -> str:
    return settings.resource("USER_POOL_ID")


def _call(method: str, **kwargs: Any) -> Outcome:
    client = aws.client("cognito-idp")
    try:
        getattr(client, method)(UserPoolId=_pool(), **kwargs)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        text = error.response.get("Error", {}).get("Message", "") or code
        if code == "UsernameExistsException":
            return Outcome.existed
        if code == "UserNotFoundException":
            return Outcome.not_found
        if (
            code in _RETRY
            or error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400) >= 500
        ):
            raise Retry(f"{code}: {text}") from error
        raise Refused(code, text) from error
    return Outcome.done


def create_user(username: str, email: str) -> Outcome:
    """AdminCreateUser with his e-mail (verified: the administrator's record vouches for it),
    the invitation sent there in the pool's words (InviteMessageTemplate, Bahasa Indonesia)."""
    return _call(
        "admin_create_user",
        Username=username,
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ],
        DesiredDeliveryMediums=["EMAIL"],
    )


def disable_user(username: str) -> Outcome:
    return _call("admin_disable_user", Username=username)


def enable_user(username: str) -> Outcome:
    return _call("admin_enable_user", Username=username)


def user_enabled(username: str) -> bool | None:
    """Whether his user exists and is enabled (AdminGetUser); None when there is none."""
    client = aws.client("cognito-idp")
    try:
        answer = client.admin_get_user(UserPoolId=_pool(), Username=username)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "UserNotFoundException":
            return None
        raise
    return bool(answer.get("Enabled", True))
