"""The template's part of sign-ins (ADR 0025): the function may do to the pool's users only
what it does, the pacing stays within Cognito's quota, the invitation is in Bahasa Indonesia,
and the pool sends through SES when a deployment names an identity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from eoffice.signins.models import MAX_TARGETS
from eoffice_local.provision import offline_stack
from eoffice_local.template import Template, load
from support.iam_policy import Request, allows, statements_of

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT, REGION = "111122223333", "ap-southeast-3"
POOL = f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{REGION}_AbCdEf123"
OTHER_POOL = f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{REGION}_Other9876"
USER_CREATION_QUOTA = 50  # Cognito's UserCreation category, requests a second per account
WEB = "https://eoffice.luwutimurkab.go.id"
PROD = {"Stage": "prod", "CorsAllowOrigins": WEB, "WebCallbackUrls": f"{WEB}/masuk/selesai",
        "WebLogoutUrls": f"{WEB}/", "WebAuthnRpId": "eoffice.luwutimurkab.go.id"}  # fmt: skip


def _resolved(template: Template, props: Any) -> Any:
    stack = offline_stack(template, name="eoffice-prod", region=REGION, account_id=ACCOUNT)
    stack.attrs["UserPool"] = {"Arn": POOL}
    stack.refs["UserPool"] = POOL.rsplit("/", 1)[1]
    return stack.resolve(props)


@pytest.fixture(scope="module")
def template() -> Template:
    return load(ROOT / "template.yaml", PROD)


def _cognito_statements(template: Template) -> list[dict[str, Any]]:
    statements = statements_of(template.resources["SignInsFunctionRole"])
    return [_resolved(template, s) for s in statements if "cognito-idp" in str(s.get("Action"))]


def test_the_function_manages_users_of_its_own_pool_only(template: Template) -> None:
    statements = _cognito_statements(template)
    for action in ("AdminCreateUser", "AdminDisableUser", "AdminEnableUser", "AdminGetUser"):
        assert allows(statements, Request(f"cognito-idp:{action}", POOL)), action
        assert not allows(statements, Request(f"cognito-idp:{action}", OTHER_POOL)), action
    for action in ("AdminDeleteUser", "AdminSetUserPassword", "AdminAddUserToGroup",
                   "AdminUpdateUserAttributes", "ListUsers", "AdminInitiateAuth"):  # fmt: skip
        assert not allows(statements, Request(f"cognito-idp:{action}", POOL)), action


def test_the_api_may_only_queue_sign_ins(template: Template) -> None:
    api = statements_of(template.resources["ApiFunctionRole"])
    assert "cognito-idp" not in str(api)  # the API never calls Cognito (ADR 0025)
    assert any(s.get("Sid") == "QueueSignIns" for s in api)


def test_pacing_stays_within_the_user_creation_quota(template: Template) -> None:
    function = template.resources["SignInsFunction"]["Properties"]
    interval_ms = int(template.parameters["SignInCreateIntervalMs"])
    instances = int(function["ReservedConcurrentExecutions"])
    ceiling = instances * 1000 / interval_ms
    assert ceiling <= USER_CREATION_QUOTA / 2  # half left for admins, scripts, other pools
    minimum = int(template.raw["Parameters"]["SignInCreateIntervalMs"]["MinValue"])
    assert instances * 1000 / minimum <= USER_CREATION_QUOTA * 2  # a typo cannot flood it
    mapping = next(
        r["Properties"]
        for r in template.resources_of_type("AWS::Lambda::EventSourceMapping").values()
        if "SignInQueue" in str(r["Properties"]["EventSourceArn"])
    )
    batch = int(mapping["BatchSize"])
    timeout = int(function["Timeout"])
    employees = batch * MAX_TARGETS
    assert employees * interval_ms / 1000 * 3 < timeout  # a batch with Cognito's retries fits
    queue = template.resources["SignInQueue"]["Properties"]
    assert int(queue["VisibilityTimeout"]) >= 6 * timeout
    assert queue["RedrivePolicy"]["maxReceiveCount"] == 5
    assert function["Environment"]["Variables"]["SIGNIN_MAX_ATTEMPTS"] == "5"


def test_the_invitation_is_in_bahasa_and_carries_the_username_and_password(
    template: Template,
) -> None:
    invite = template.resources["UserPool"]["Properties"]["AdminCreateUserConfig"][
        "InviteMessageTemplate"
    ]
    for text in (invite["EmailMessage"], invite["SMSMessage"]):
        assert "{username}" in text and "{####}" in text
    assert "Kata sandi sementara" in invite["EmailMessage"]
    assert "Akun e-Office" in invite["EmailSubject"]


def _email_configuration(parameters: dict[str, str]) -> Any:
    template = load(ROOT / "template.yaml", {**PROD, **parameters})
    props = template.resources["UserPool"]["Properties"]["EmailConfiguration"]
    return _resolved(template, props)


def test_the_pool_sends_through_ses_when_an_identity_is_named() -> None:
    assert _email_configuration({}) == {"EmailSendingAccount": "COGNITO_DEFAULT"}
    identity = f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/luwutimurkab.go.id"
    assert _email_configuration({"InvitationEmailSourceArn": identity}) == {
        "EmailSendingAccount": "DEVELOPER",
        "SourceArn": identity,
    }
    sender = "e-Office Luwu Timur <e-office@luwutimurkab.go.id>"
    both = {"InvitationEmailSourceArn": identity, "InvitationFromAddress": sender}
    assert _email_configuration(both) == {
        "EmailSendingAccount": "DEVELOPER",
        "SourceArn": identity,
        "From": sender,
    }
