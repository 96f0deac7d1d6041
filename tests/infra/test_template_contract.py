"""template.yaml against the code: it lints, every route and event source reaches a real handler,
every table or bucket the code names is declared, and the declarations follow the house rules
(private encrypted storage, least privilege, data in Jakarta)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint
from eoffice_local.provision import ProvisionError, ResolveError, offline_stack
from eoffice_local.runtime import load_handler
from eoffice_local.template import Template, TemplateError, load
from support.iam_policy import Request, allows, default_key_policy, kms_allows, statements_of

ROOT = Path(__file__).resolve().parents[2]
RESOURCE_VARIABLE = re.compile(r"""["']([A-Z][A-Z0-9_]*_(?:TABLE|BUCKET|QUEUE|BUS|KEY))["']""")
KIND_OF = {
    "TABLE": "AWS::DynamoDB::Table",
    "BUCKET": "AWS::S3::Bucket",
    "QUEUE": "AWS::SQS::Queue",
    "BUS": "AWS::Events::EventBus",
    "KEY": "AWS::KMS::Key",
}


@pytest.fixture(scope="module")
def template() -> Template:
    return load(ROOT / "template.yaml")


def test_cfn_lint_passes() -> None:
    # Errors and warnings, as the cfn-lint command reports by default; not informational notes.
    config = ManualArgs(regions=["ap-southeast-3"])
    matches = lint((ROOT / "template.yaml").read_text(), config=config)
    assert [str(m) for m in matches if m.rule.id[0] in "EW"] == []


@pytest.mark.usefixtures("handler_environment")
def test_every_function_handler_exists(template: Template) -> None:
    assert template.functions
    for spec in template.functions.values():
        assert callable(load_handler(spec)), spec.logical_id


def test_every_event_source_names_a_declared_function(template: Template) -> None:
    targets = [route.function for route in template.routes]
    targets += [trigger.function for trigger in template.queue_triggers]
    targets += [schedule.function for schedule in template.schedules]
    assert targets
    assert set(targets) <= set(template.functions)


def test_api_function_sits_behind_the_proxy_route_with_public_exceptions(
    template: Template,
) -> None:
    routes = {(route.method, route.path): route for route in template.routes}
    assert routes[("ANY", "/{proxy+}")].authorizer == "CognitoJwt"
    public = {(method, path) for (method, path), route in routes.items() if not route.authorizer}
    # Public verification (what a signed letter's QR code opens) is the signing function's.
    assert public == {
        ("GET", "/health"),
        ("GET", "/docs"),
        ("GET", "/openapi.json"),
        ("POST", "/verify"),
        ("GET", "/verify"),  # the page with the form to check a PDF
        ("POST", "/verify/upload"),  # that form's post
        ("GET", "/verify/{document_id}"),
        ("GET", "/shared/{token}"),  # an external recipient's link to a signed letter
    }
    readme = (ROOT / "README.md").read_text()
    for method, path in public:  # the README's list of public routes names every one
        assert f"`{method} {path}`" in readme, (method, path)
    signing = {r.path for r in template.routes if r.function == "SigningFunction"}
    assert {"/outgoing", "/outgoing/{proxy+}", "/signing/{proxy+}", "/verify"} <= signing
    for path in ("/outgoing", "/outgoing/{proxy+}", "/signing/{proxy+}"):
        assert routes[("ANY", path)].authorizer == "CognitoJwt", path


def _names_in_code() -> set[str]:
    names: set[str] = set()
    for folder in ("layers/eoffice/eoffice", "functions"):
        for source in (ROOT / folder).rglob("*.py"):
            names.update(RESOURCE_VARIABLE.findall(source.read_text()))
    return names


def test_every_table_or_bucket_the_code_names_is_declared(template: Template) -> None:
    names = _names_in_code()
    assert "ORG_TABLE" in names
    declared: dict[str, set[str]] = {}
    parameters: set[str] = set()  # a variable carrying a parameter's value names no resource
    for spec in template.functions.values():
        for variable, value in spec.environment.items():
            if isinstance(value, dict) and "Ref" in value:
                if value["Ref"] in template.resources:
                    declared.setdefault(variable, set()).add(value["Ref"])
                else:
                    parameters.add(variable)
    for name in names - parameters:
        assert name in declared, f"the code reads {name}, but no function in template.yaml sets it"
        for logical_id in declared[name]:
            kind = KIND_OF[name.rsplit("_", 1)[1]]
            assert template.resources[logical_id]["Type"] == kind, (name, logical_id)


def _statements(resource: dict[str, Any]) -> list[dict[str, Any]]:
    policies = resource["Properties"].get("Policies") or []
    found: list[dict[str, Any]] = []
    for policy in policies:
        document = policy.get("PolicyDocument", policy)
        for statement in document.get("Statement", []):
            if "Fn::If" in statement:  # granted under a condition: the statement it grants
                statement = statement["Fn::If"][1]
            found.append(statement)
    return found


NO_RESOURCE_LEVEL = ["ses:GetSuppressedDestination"]
"""Actions IAM grants on every resource or not at all (the SES account's suppression list)."""


def test_function_policies_are_least_privilege(template: Template) -> None:
    roles = template.resources_of_type("AWS::IAM::Role")
    assert any(_statements(role) for role in roles.values())
    for logical_id, role in roles.items():
        for statement in _statements(role):
            actions = (
                statement["Action"]
                if isinstance(statement["Action"], list)
                else [statement["Action"]]
            )
            assert "*" not in actions and not any(a.endswith(":*") for a in actions), logical_id
            assert "dynamodb:Scan" not in actions, f"{logical_id}: request paths use Query/Get"
            unscoped = actions[0].startswith(("xray:", "logs:")) or actions == NO_RESOURCE_LEVEL
            if statement.get("Effect") == "Allow" and not unscoped:
                # kms:CreateKey names no key yet: "*" only under a condition on the request's tag.
                scoped = "aws:RequestTag/eoffice:purpose" in str(statement.get("Condition"))
                assert statement.get("Resource") != "*" or scoped, (
                    f"{logical_id}: {actions} on every resource"
                )


STACK, ACCOUNT, REGION = "eoffice-prod", "111122223333", "ap-southeast-3"
# What a deployment outside dev must name (the OriginsNamedOutsideDev rule).
WEB = "https://eoffice.luwutimurkab.go.id"
WEB_ORIGIN = {
    "CorsAllowOrigins": WEB,
    "WebCallbackUrls": f"{WEB}/masuk/selesai",
    "WebLogoutUrls": f"{WEB}/",
    "WebAuthnRpId": "eoffice.luwutimurkab.go.id",
}
KEYS = f"arn:aws:kms:{REGION}:{ACCOUNT}:key"
OUR_TAGS = {
    "eoffice:purpose": "document-signing",
    "eoffice:signing-stack": STACK,
    "eoffice:signing-key": "0f3c",
    "eoffice:owner": "197503082002121003",
}


def _signing_statements(template: Template) -> list[dict[str, Any]]:
    """The signing function's statements as deployed in stack ``STACK`` (``prod``). Those that
    name another resource of the stack (tables, buckets, the data key) have no physical name
    offline and are left out: they cannot grant anything on a signing key or a secret."""
    stack = offline_stack(template, name=STACK, region=REGION, account_id=ACCOUNT)
    resolved = []
    for statement in statements_of(template.resources["SigningFunctionRole"]):
        try:
            resolved.append(stack.resolve(statement))
        except ResolveError:
            continue
    sids = {s.get("Sid") for s in resolved}
    assert {"CreateSigningKeys", "TagSigningKeysAtCreation", "Pkcs12AndBsreSecrets"} <= sids
    return resolved


def _create_key(tags: dict[str, str], usage: str = "SIGN_VERIFY", spec: str = "RSA_2048") -> list:
    """What KMS authorises for CreateKey with Tags: CreateKey itself, and TagResource on the
    key being made (no tags on it yet)."""
    requested: dict[str, Any] = {f"aws:RequestTag/{k}": v for k, v in tags.items()}
    requested["aws:TagKeys"] = list(tags)
    create = {
        **requested,
        "kms:KeyUsage": usage,
        "kms:KeySpec": spec,
        "kms:KeyOrigin": "AWS_KMS",
        "kms:MultiRegion": "false",
    }
    return [
        Request("kms:CreateKey", "*", create),
        Request("kms:TagResource", f"{KEYS}/new", requested),
    ]


def _existing_key(tags: dict[str, str], usage: str = "SIGN_VERIFY") -> dict[str, Any]:
    context: dict[str, Any] = {f"aws:ResourceTag/{k}": v for k, v in tags.items()}
    return {**context, "kms:KeyUsage": usage, "kms:KeySpec": "RSA_2048"}


def _sign(
    key: dict[str, Any], message_type: str = "RAW", algorithm: str = "ECDSA_SHA_256"
) -> Request:
    context = {**key, "kms:MessageType": message_type, "kms:SigningAlgorithm": algorithm}
    return Request("kms:Sign", f"{KEYS}/k", context)


def _tag(key: dict[str, Any], tags: dict[str, str]) -> Request:
    requested: dict[str, Any] = {f"aws:RequestTag/{k}": v for k, v in tags.items()}
    return Request("kms:TagResource", f"{KEYS}/k", {**key, **requested, "aws:TagKeys": list(tags)})


def _on_key(action: str, key: dict[str, Any]) -> Request:
    return Request(action, f"{KEYS}/k", key)


# The signing function's role as deployed in STACK, another stack's, and an operator's.
ROLE = f"arn:aws:iam::{ACCOUNT}:role/{STACK}-SigningFunctionRole-1AB2CD3EF4GH"
DEV_ROLE = f"arn:aws:iam::{ACCOUNT}:role/eoffice-dev-SigningFunctionRole-9ZY8XW7VU6TS"
OPERATOR = f"arn:aws:iam::{ACCOUNT}:role/Administrator"
OPERATOR_POLICY = [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]


def test_signing_function_creates_and_tags_only_its_own_signing_keys(template: Template) -> None:
    statements = _signing_statements(template)
    for request in (*_create_key(OUR_TAGS), *_create_key(OUR_TAGS, spec="ECC_NIST_P256")):
        assert allows(statements, request), request
    other_stack = {**OUR_TAGS, "eoffice:signing-stack": "eoffice-dev"}
    refused = [
        # keys that are not this stack's signing keys of the specs the code makes
        *_create_key(OUR_TAGS, usage="ENCRYPT_DECRYPT")[:1],
        *_create_key(OUR_TAGS, spec="RSA_4096")[:1],
        *_create_key({"eoffice:purpose": "document-signing"}),
        *_create_key({**OUR_TAGS, "team": "keuangan"}),
        # re-tagging another stack's key
        _tag(_existing_key(other_stack), {"eoffice:signing-stack": STACK}),
    ]
    for request in refused:
        assert not allows(statements, request), request


def test_the_signing_functions_iam_policy_uses_no_key(template: Template) -> None:
    """Use comes from the key policy the function writes at CreateKey, never from its IAM policy:
    no Sign or GetPublicKey even on a key with this stack's tags, nothing that changes who may
    use a key (PutKeyPolicy, grants, untagging), nothing else on a key."""
    statements = _signing_statements(template)
    ours = _existing_key(OUR_TAGS)
    for action in (
        "kms:Sign",
        "kms:GetPublicKey",
        "kms:PutKeyPolicy",
        "kms:CreateGrant",
        "kms:UntagResource",
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:ScheduleKeyDeletion",
    ):
        request = _sign(ours) if action == "kms:Sign" else _on_key(action, ours)
        assert not allows(statements, request), request


def test_an_untagged_key_made_outside_eoffice_does_not_sign(template: Template) -> None:
    """(a) A signing key someone made outside e-Office, with KMS's default key policy."""
    statements = _signing_statements(template)
    outside, untagged = default_key_policy(ACCOUNT), _existing_key({})
    assert not kms_allows(outside, statements, ROLE, _sign(untagged))
    assert not kms_allows(outside, statements, ROLE, _on_key("kms:GetPublicKey", untagged))


def test_an_outside_key_the_function_tags_as_its_own_still_does_not_sign(
    template: Template,
) -> None:
    """(b) KMS has no "created by" condition, and CreateKey's Tags need kms:TagResource on every
    key, so the function can still put this stack's tags on an untagged outside key; they no
    longer let it use the key: its key policy does not name the function's role."""
    statements = _signing_statements(template)
    outside = default_key_policy(ACCOUNT)
    assert kms_allows(outside, statements, ROLE, _tag(_existing_key({}), OUR_TAGS))
    tagged = _existing_key(OUR_TAGS)
    assert not kms_allows(outside, statements, ROLE, _sign(tagged))
    assert not kms_allows(outside, statements, ROLE, _on_key("kms:GetPublicKey", tagged))


def test_a_key_the_function_made_signs_for_its_role_alone(template: Template) -> None:
    """The key policy create_signing_key writes: the role signs (raw message, the two
    algorithms) and reads the public key; the account administers the key through IAM; nobody
    else signs, not an operator with kms:* nor another stack's signing function."""
    from eoffice.signing.backends.kms import key_policy

    statements = _signing_statements(template)
    policy, key = key_policy(ROLE), _existing_key(OUR_TAGS)
    assert kms_allows(policy, statements, ROLE, _sign(key))
    assert kms_allows(policy, statements, ROLE, _sign(_existing_key({})))  # tags play no part
    assert kms_allows(policy, statements, ROLE, _on_key("kms:GetPublicKey", key))
    assert kms_allows(policy, statements, ROLE, _sign(key, algorithm="RSASSA_PKCS1_V1_5_SHA_256"))
    refused = [
        _sign(key, message_type="DIGEST"),
        _sign(key, algorithm="RSASSA_PSS_SHA_256"),
        *(
            _on_key(action, key)
            for action in (
                "kms:PutKeyPolicy",
                "kms:CreateGrant",
                "kms:UntagResource",
                "kms:Decrypt",
                "kms:DisableKey",
                "kms:ScheduleKeyDeletion",
            )
        ),
    ]
    for request in refused:
        assert not kms_allows(policy, statements, ROLE, request), request
    for action in ("kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:GetPublicKey"):
        assert kms_allows(policy, OPERATOR_POLICY, OPERATOR, _on_key(action, key)), action
    assert not kms_allows(policy, OPERATOR_POLICY, OPERATOR, _sign(key))
    assert not kms_allows(policy, statements, DEV_ROLE, _sign(key))


def test_a_batch_of_files_each_at_its_inspection_bound_ends_within_the_intake_timeout(
    template: Template,
) -> None:
    """Each file may take ``Limits.seconds`` to inspect plus its copy and records; a batch of
    hostile files that times out would be delivered again and again, to the dead-letter queue.
    The queue hides a batch for six times the timeout, as Lambda advises for SQS sources."""
    from eoffice.letters.limits import Limits

    (trigger,) = [t for t in template.queue_triggers if t.function == "IntakeFunction"]
    timeout = template.functions["IntakeFunction"].timeout
    per_file = Limits().seconds + 3
    assert timeout >= trigger.batch_size * per_file + trigger.maximum_batching_window
    visibility = template.resources[trigger.queue]["Properties"]["VisibilityTimeout"]
    assert visibility >= 6 * timeout


def test_bsre_credentials_secret_outside_the_signing_prefix_is_refused_at_deploy() -> None:
    """The parameter names the secret under the stage's own prefix: a full name (another
    stage's included) or a path is refused before anything is created."""
    for name in ("eoffice/dev/signing/bsre", "eoffice/prod/signing/bsre", "prod/bsre", "../bsre"):
        with pytest.raises(TemplateError, match="BsreCredentialsSecret"):
            load(ROOT / "template.yaml", {"Stage": "prod", "BsreCredentialsSecret": name})


@pytest.mark.parametrize("stage", ["prod", "dev"])
def test_the_signing_function_may_read_the_bsre_secret_it_is_given(stage: str) -> None:
    parameters = {"Stage": stage, "BsreCredentialsSecret": "bsre", **WEB_ORIGIN}
    template = load(ROOT / "template.yaml", parameters)
    statements = _signing_statements(template)
    secrets = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret"
    name = f"eoffice/{stage}/signing/bsre"
    assert allows(statements, Request("secretsmanager:GetSecretValue", f"{secrets}:{name}-AbC123"))
    assert allows(
        statements,
        Request("secretsmanager:GetSecretValue", f"{secrets}:eoffice/{stage}/signing/p12-x"),
    )
    other_stage = "dev" if stage == "prod" else "prod"
    for other in (
        f"eoffice/{stage}/db-Ab12Cd",
        f"eoffice/{other_stage}/signing/bsre-Ab12Cd",
        f"eoffice/{other_stage}/signing/p12-Ab12Cd",
    ):
        assert not allows(
            statements, Request("secretsmanager:GetSecretValue", f"{secrets}:{other}")
        )
    spec = template.functions["SigningFunction"]
    stack = offline_stack(template, name=STACK, region=REGION, account_id=ACCOUNT)
    assert stack.resolve(spec.environment["BSRE_CREDENTIALS_SECRET"]) == name


def test_storage_is_private_encrypted_and_kept(template: Template) -> None:
    for logical_id, table in template.resources_of_type("AWS::DynamoDB::Table").items():
        props = table["Properties"]
        assert props["BillingMode"] == "PAY_PER_REQUEST", logical_id
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
        assert props["SSESpecification"]["SSEEnabled"] is True
        assert props["DeletionProtectionEnabled"] == {"Fn::If": ["IsDev", False, True]}
        assert table.get("DeletionPolicy") == "Retain"
    for logical_id, bucket in template.resources_of_type("AWS::S3::Bucket").items():
        props = bucket["Properties"]
        assert all(props["PublicAccessBlockConfiguration"].values()), logical_id
        assert props["VersioningConfiguration"]["Status"] == "Enabled", logical_id
        assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"], logical_id
        assert bucket.get("DeletionPolicy") == "Retain", logical_id


def _dead_letter_queues(node: Any, under_dead_letter: bool = False) -> set[str]:
    """Queues named by a RedrivePolicy or a function's OnFailure destination."""
    found: set[str] = set()
    if isinstance(node, dict):
        if under_dead_letter and "Fn::GetAtt" in node:
            target = node["Fn::GetAtt"]
            return {target[0] if isinstance(target, list) else target.split(".")[0]}
        for key, value in node.items():
            marks = under_dead_letter or key in {"deadLetterTargetArn", "OnFailure"}
            found |= _dead_letter_queues(value, marks)
    elif isinstance(node, list):
        for item in node:
            found |= _dead_letter_queues(item, under_dead_letter)
    return found


def test_every_dead_letter_queue_alarms_the_operators(template: Template) -> None:
    """Work accepted and not done must be heard of: a message in any dead-letter queue sets off
    an alarm that tells the operators' topic, encrypted with the data key."""
    queues = _dead_letter_queues(template.raw["Resources"])
    assert {"IntakeDeadLetterQueue", "TppRunDeadLetterQueue"} <= queues
    alarms = template.resources_of_type("AWS::CloudWatch::Alarm").values()
    watched = {
        alarm["Properties"]["Dimensions"][0]["Value"]["Fn::GetAtt"][0]
        for alarm in alarms
        if alarm["Properties"]["MetricName"] == "ApproximateNumberOfMessagesVisible"
        and alarm["Properties"]["AlarmActions"] == [{"Ref": "OpsAlertTopic"}]
    }
    assert queues <= watched
    topic = template.resources["OpsAlertTopic"]["Properties"]
    assert topic["KmsMasterKeyId"] == {"Ref": "DataKey"}


def test_globals_and_region(template: Template) -> None:
    raw_globals = template.raw["Globals"]["Function"]
    assert raw_globals["Runtime"] == "python3.12"
    assert raw_globals["Tracing"] == "Active"
    assert raw_globals["LoggingConfig"]["LogFormat"] == "JSON"
    assert template.raw["Parameters"]["Region"]["Default"] == "ap-southeast-3"
    assert set(template.raw["Parameters"]["Stage"]["AllowedValues"]) >= {"dev", "prod"}
    assert template.rules, "a rule keeps the stack in the Region parameter's region"


def test_layer_ships_the_library_dependencies() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    shipped = [
        line.strip()
        for line in (ROOT / "layers/eoffice/requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert sorted(shipped) == sorted(project)


def test_functions_ship_what_they_import_beyond_the_layer(template: Template) -> None:
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    installed_locally = set(extra["functions"])
    for spec in template.functions.values():
        requirements = spec.code_uri / "requirements.txt"
        if requirements.exists():
            lines = [
                line.strip()
                for line in requirements.read_text().splitlines()
                if line.strip() and not line.startswith("#")
            ]
            assert set(lines) <= installed_locally, spec.logical_id


def test_idempotency_records_expire_and_only_the_writing_functions_reach_them(
    template: Template,
) -> None:
    """The idempotency table (docs/decisions/0019-idempotent-client-writes.md): Powertools'
    layout (``id``, TTL on ``expiration``), and only the API and signing functions, which take
    Idempotency-Key, may read and write it, with the four item calls Powertools makes."""
    table = template.resources["IdempotencyTable"]["Properties"]
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expiration", "Enabled": True}
    writers = {"ApiFunction", "SigningFunction"}
    for name, spec in template.functions.items():
        assert (spec.environment.get("IDEMPOTENCY_TABLE") == {"Ref": "IdempotencyTable"}) == (
            name in writers
        ), name
    for role_id, role in template.resources_of_type("AWS::IAM::Role").items():
        granted: set[str] = set()
        for statement in statements_of(role):
            if "IdempotencyTable" in str(statement.get("Resource")):
                actions = statement["Action"]
                granted |= set(actions if isinstance(actions, list) else [actions])
        if role_id.removesuffix("Role") in writers:
            assert granted == {
                f"dynamodb:{a}" for a in ("GetItem", "PutItem", "UpdateItem", "DeleteItem")
            }, role_id
        else:
            assert not granted, f"{role_id} reaches the idempotency table"


def test_browsers_may_send_the_idempotency_key(template: Template) -> None:
    assert template.cors is not None
    assert "idempotency-key" in template.cors.allow_headers
    assert "idempotent-replayed" in template.cors.expose_headers, "the app sees a replay"


def test_the_web_app_signs_in_with_the_code_flow_as_a_public_client(template: Template) -> None:
    """ADR 0018: no secret (a browser keeps none), the authorization code flow only (no implicit
    flow, no password flows: managed login takes the password), the OIDC scopes, refresh tokens
    that can be revoked, and nothing telling whether a username exists."""
    client = template.resources["WebAppClient"]
    assert client["Type"] == "AWS::Cognito::UserPoolClient"
    props = client["Properties"]
    assert props["UserPoolId"] == {"Ref": "UserPool"}
    assert props["GenerateSecret"] is False
    assert props["AllowedOAuthFlowsUserPoolClient"] is True
    assert props["AllowedOAuthFlows"] == ["code"]
    assert props["AllowedOAuthScopes"] == ["openid", "email", "profile"]
    assert props["SupportedIdentityProviders"] == ["COGNITO"]
    assert props["ExplicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]
    assert props["PreventUserExistenceErrors"] == "ENABLED"
    assert props["EnableTokenRevocation"] is True
    assert props["CallbackURLs"] == {"Ref": "WebCallbackUrls"}
    assert props["LogoutURLs"] == {"Ref": "WebLogoutUrls"}
    units = props["TokenValidityUnits"]
    assert (props["IdTokenValidity"], units["IdToken"]) == (60, "minutes")
    assert (props["RefreshTokenValidity"], units["RefreshToken"]) == (12, "hours")


def test_the_api_accepts_the_web_apps_tokens_from_the_pools_issuer(template: Template) -> None:
    authorizer = template.authorizers["CognitoJwt"]
    assert {"Ref": "WebAppClient"} in authorizer.audience
    assert {"Ref": "UserPoolClient"} in authorizer.audience  # eoffice token, SRP clients
    issuer = template.outputs["UserPoolIssuer"]["Value"]
    assert issuer == authorizer.issuer  # the web app's OIDC authority is the tokens' iss
    assert "WebAppClientId" in template.outputs and "SignInUrl" in template.outputs


def test_managed_login_has_a_domain_and_a_style_for_the_web_app(template: Template) -> None:
    domain = template.resources["UserPoolDomain"]["Properties"]
    assert domain["UserPoolId"] == {"Ref": "UserPool"}
    assert domain["ManagedLoginVersion"] == 2
    (branding,) = template.resources_of_type("AWS::Cognito::ManagedLoginBranding").values()
    assert branding["Properties"]["ClientId"] == {"Ref": "WebAppClient"}
    stack = offline_stack(template, name=STACK, region=REGION, account_id=ACCOUNT)
    assert stack.resolve(domain["Domain"]) == "eoffice-dev-luwutimur"
    parameters = {"Stage": "prod", "SignInDomainPrefix": "eoffice-lutim", **WEB_ORIGIN}
    named = load(ROOT / "template.yaml", parameters)
    stack = offline_stack(named, name=STACK, region=REGION, account_id=ACCOUNT)
    assert stack.resolve(named.resources["UserPoolDomain"]["Properties"]["Domain"]) == (
        "eoffice-lutim"
    )
    for bad in ("Eoffice", "-eoffice", "eoffice.luwutimurkab.go.id", "a" * 64):
        with pytest.raises(TemplateError, match="SignInDomainPrefix"):
            load(ROOT / "template.yaml", {"SignInDomainPrefix": bad})


def test_callback_and_logout_urls_come_from_the_parameters() -> None:
    urls = "https://eoffice.luwutimurkab.go.id/masuk/selesai,http://localhost:3001/masuk/selesai"
    template = load(ROOT / "template.yaml", {"WebCallbackUrls": urls})
    stack = offline_stack(template, name=STACK, region=REGION, account_id=ACCOUNT)
    props = template.resources["WebAppClient"]["Properties"]
    assert stack.resolve(props["CallbackURLs"]) == urls.split(",")
    assert stack.resolve(props["LogoutURLs"]) == ["http://localhost:3001/"]


@pytest.mark.parametrize(
    ("left_default", "rule"),
    [
        ("CorsAllowOrigins", "OriginsNamedOutsideDev"),
        ("WebCallbackUrls", "OriginsNamedOutsideDev"),
        ("WebLogoutUrls", "OriginsNamedOutsideDev"),
        ("WebAuthnRpId", "WebAuthnDomainOutsideDev"),
    ],
)
def test_outside_dev_a_deployment_names_its_web_origin(left_default: str, rule: str) -> None:
    """A staging or prod stack that forgot its origin would take uploads from any page, send
    sign-in codes to a laptop's localhost and expect phones' credentials for localhost: refused
    before anything is created."""
    parameters = {"Stage": "prod", **WEB_ORIGIN}
    del parameters[left_default]
    template = load(ROOT / "template.yaml", parameters)
    with pytest.raises(ProvisionError, match=rule):
        offline_stack(template, name=STACK, region=REGION, account_id=ACCOUNT)
    offline_stack(
        load(ROOT / "template.yaml", {"Stage": "dev"}),
        name=STACK,
        region=REGION,
        account_id=ACCOUNT,
    )
