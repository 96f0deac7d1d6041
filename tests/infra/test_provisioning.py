"""The emulator holds what template.yaml declares, read from the template and nowhere else.

Everything goes over HTTP to a moto server started here; comparisons walk the template's
resources of each type, so a table or bucket added to the template is checked without a new test.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import boto3
import pytest
from botocore.config import Config
from eoffice_local.provision import ProvisionError, ResolveError, Stack, provision
from eoffice_local.template import (
    Authorizer,
    HttpRoute,
    QueueTrigger,
    ScheduleTrigger,
    Template,
    load,
)
from moto.server import ThreadedMotoServer

REPO = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "template.yaml"
REGION = "ap-southeast-3"


# --------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """A moto server of this module's own, on a free port, with dummy credentials."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL"):
            patch.delenv(name, raising=False)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        try:
            yield f"http://{host}:{port}"
        finally:
            server.stop()


@dataclass
class Clients:
    endpoint: str

    def __call__(self, service: str) -> Any:
        make: Any = boto3.client  # typed per service name; the tests pick services at run time
        config = Config(s3={"addressing_style": "path"})
        return make(service, endpoint_url=self.endpoint, region_name=REGION, config=config)


@pytest.fixture(scope="module")
def aws(endpoint: str) -> Clients:
    return Clients(endpoint)


@pytest.fixture(scope="module")
def product() -> Template:
    return load(REPO / "template.yaml")


@pytest.fixture(scope="module")
def product_stack(product: Template, endpoint: str) -> Stack:
    return provision(product, stack_name="eoffice-test", endpoint_url=endpoint, region=REGION)


@pytest.fixture(scope="module")
def fixture_template() -> Template:
    return load(FIXTURE)


@pytest.fixture(scope="module")
def fixture_stack(fixture_template: Template, endpoint: str) -> Stack:
    return provision(
        fixture_template, stack_name="fixture-test", endpoint_url=endpoint, region=REGION
    )


@pytest.fixture(params=["product", "fixture"])
def deployed(request: pytest.FixtureRequest) -> tuple[Template, Stack]:
    """Each template with its provisioned stack: every comparison runs on both."""
    if request.param == "product":
        return request.getfixturevalue("product"), request.getfixturevalue("product_stack")
    return request.getfixturevalue("fixture_template"), request.getfixturevalue("fixture_stack")


# ------------------------------------------------------------------------------ the real template


def test_load_reads_the_api_function_routes_and_cors(product: Template) -> None:
    api = product.functions["ApiFunction"]
    assert api.code_uri == REPO / "functions" / "api"
    assert api.handler == "app.handler"
    assert REPO / "layers" / "eoffice" in api.layers
    assert api.environment["STAGE"] == {"Ref": "Stage"}  # from Globals, unresolved
    routes = {(r.method, r.path): r for r in product.routes}
    assert routes["ANY", "/{proxy+}"].function == "ApiFunction"
    assert routes["ANY", "/{proxy+}"].authorizer == "CognitoJwt"
    assert routes["GET", "/health"].authorizer is None
    assert "CognitoJwt" in product.authorizers
    assert product.cors is not None
    assert "PATCH" in product.cors.allow_methods


def test_provisioning_is_idempotent(product: Template, product_stack: Stack, aws: Clients) -> None:
    keys_before = len(aws("kms").list_keys()["Keys"])
    pools_before = len(aws("cognito-idp").list_user_pools(MaxResults=60)["UserPools"])
    again = provision(
        product, stack_name="eoffice-test", endpoint_url=product_stack.endpoint_url, region=REGION
    )
    assert again.refs == product_stack.refs
    assert again.attrs == product_stack.attrs
    assert len(aws("kms").list_keys()["Keys"]) == keys_before
    assert len(aws("cognito-idp").list_user_pools(MaxResults=60)["UserPools"]) == pools_before


def test_every_resource_resolves(deployed: tuple[Template, Stack]) -> None:
    template, stack = deployed
    for lid, resource in template.resources.items():
        if lid in stack.refs:
            stack.resolve(resource.get("Properties") or {})
    for fn in template.functions.values():
        assert all(isinstance(v, str) for v in stack.function_environment(fn).values())
    assert set(stack.outputs) <= set(template.outputs)


def test_rules_refuse_another_region(product: Template, endpoint: str) -> None:
    with pytest.raises(ProvisionError, match="DataStaysInIndonesia"):
        provision(product, stack_name="elsewhere", endpoint_url=endpoint, region="us-east-1")


# ------------------------------------------------------------------- the emulator vs the template


def _resolved(stack: Stack, resource: dict[str, Any]) -> dict[str, Any]:
    return stack.resolve(resource.get("Properties") or {})  # type: ignore[no-any-return]


def test_tables_match_the_template(deployed: tuple[Template, Stack], aws: Clients) -> None:
    template, stack = deployed
    ddb = aws("dynamodb")
    for lid, resource in template.resources_of_type("AWS::DynamoDB::Table").items():
        if lid in stack.skipped:
            continue
        props, name = _resolved(stack, resource), stack.refs[lid]
        table = ddb.describe_table(TableName=name)["Table"]
        assert table["KeySchema"] == props["KeySchema"], lid
        assert _by(table["AttributeDefinitions"], "AttributeName") == _by(
            props["AttributeDefinitions"], "AttributeName"
        )
        assert table["BillingModeSummary"]["BillingMode"] == props.get("BillingMode")
        _assert_indexes(table.get("GlobalSecondaryIndexes", []), props, lid)
        _assert_stream(table, props, lid)
        _assert_sse(table, props, lid)
        _assert_ttl(ddb, name, props)
        if props.get("PointInTimeRecoverySpecification", {}).get("PointInTimeRecoveryEnabled"):
            backups = ddb.describe_continuous_backups(TableName=name)[
                "ContinuousBackupsDescription"
            ]
            pitr = backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]
            assert pitr == "ENABLED"
        if "DeletionProtectionEnabled" in props:
            assert table["DeletionProtectionEnabled"] is props["DeletionProtectionEnabled"]


def _by(items: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {item[key]: item for item in items}


def _assert_indexes(actual: list[dict[str, Any]], props: dict[str, Any], lid: str) -> None:
    declared = _by(props.get("GlobalSecondaryIndexes", []), "IndexName")
    found = _by(actual, "IndexName")
    assert set(found) == set(declared), lid
    for name, index in declared.items():
        assert found[name]["KeySchema"] == index["KeySchema"], (lid, name)
        assert found[name]["Projection"]["ProjectionType"] == index["Projection"]["ProjectionType"]


def _assert_stream(table: dict[str, Any], props: dict[str, Any], lid: str) -> None:
    spec = props.get("StreamSpecification")
    if spec:
        assert table["StreamSpecification"] == {
            "StreamEnabled": True,
            "StreamViewType": spec["StreamViewType"],
        }, lid
        assert table["LatestStreamArn"]


def _assert_sse(table: dict[str, Any], props: dict[str, Any], lid: str) -> None:
    sse = props.get("SSESpecification")
    if sse and sse.get("SSEEnabled"):
        assert table["SSEDescription"]["Status"] == "ENABLED", lid
        assert table["SSEDescription"]["SSEType"] == sse.get("SSEType", "KMS")


def _assert_ttl(ddb: Any, name: str, props: dict[str, Any]) -> None:
    spec = props.get("TimeToLiveSpecification")
    if spec and spec.get("Enabled"):
        ttl = ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        assert ttl["TimeToLiveStatus"] == "ENABLED"
        assert ttl["AttributeName"] == spec["AttributeName"]


def test_buckets_match_the_template(deployed: tuple[Template, Stack], aws: Clients) -> None:
    template, stack = deployed
    s3 = aws("s3")
    for lid, resource in template.resources_of_type("AWS::S3::Bucket").items():
        props, name = _resolved(stack, resource), stack.refs[lid]
        if "VersioningConfiguration" in props:
            status = s3.get_bucket_versioning(Bucket=name)["Status"]
            assert status == props["VersioningConfiguration"]["Status"], lid
        if props.get("ObjectLockEnabled"):
            lock = s3.get_object_lock_configuration(Bucket=name)["ObjectLockConfiguration"]
            assert lock["ObjectLockEnabled"] == "Enabled"
            declared = props["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]
            retention = lock["Rule"]["DefaultRetention"]
            assert {k: retention[k] for k in declared} == declared, lid
        if "PublicAccessBlockConfiguration" in props:
            block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
            assert block == props["PublicAccessBlockConfiguration"], lid
        _assert_encryption(s3, name, props)
        _assert_lifecycle(s3, name, props)
        _assert_notifications(s3, name, props)
        if "OwnershipControls" in props:
            rules = s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"]
            assert rules == props["OwnershipControls"]["Rules"], lid


def _assert_encryption(s3: Any, name: str, props: dict[str, Any]) -> None:
    declared = props.get("BucketEncryption", {}).get("ServerSideEncryptionConfiguration")
    if declared:
        rules = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"]
        applied = rules[0]["ApplyServerSideEncryptionByDefault"]
        assert applied == declared[0]["ServerSideEncryptionByDefault"], name


def _assert_lifecycle(s3: Any, name: str, props: dict[str, Any]) -> None:
    declared = props.get("LifecycleConfiguration", {}).get("Rules")
    if declared:
        rules = s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]
        assert {r["ID"] for r in rules} == {r["Id"] for r in declared}, name
        found = _by(rules, "ID")
        for rule in declared:
            days = rule.get("NoncurrentVersionExpiration", {}).get("NoncurrentDays")
            if days is not None:
                assert found[rule["Id"]]["NoncurrentVersionExpiration"]["NoncurrentDays"] == days


def _assert_notifications(s3: Any, name: str, props: dict[str, Any]) -> None:
    declared = props.get("NotificationConfiguration", {}).get("QueueConfigurations", [])
    found = s3.get_bucket_notification_configuration(Bucket=name).get("QueueConfigurations", [])
    assert len(found) == len(declared), name

    def shape(queue: str, events: list[str], rules: list[dict[str, str]]) -> tuple[Any, ...]:
        return (
            queue,
            tuple(sorted(events)),
            frozenset((r["Name"].lower(), r["Value"]) for r in rules),
        )

    expected = {
        shape(e["Queue"], [e["Event"]], e.get("Filter", {}).get("S3Key", {}).get("Rules", []))
        for e in declared
    }
    actual = {
        shape(c["QueueArn"], c["Events"], c.get("Filter", {}).get("Key", {}).get("FilterRules", []))
        for c in found
    }
    assert actual == expected, name


def test_queues_match_the_template(deployed: tuple[Template, Stack], aws: Clients) -> None:
    template, stack = deployed
    sqs = aws("sqs")
    queue_arns = {
        sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        for url in sqs.list_queues().get("QueueUrls", [])
    }
    for lid, resource in template.resources_of_type("AWS::SQS::Queue").items():
        props = _resolved(stack, resource)
        found = sqs.get_queue_attributes(QueueUrl=stack.refs[lid], AttributeNames=["All"])
        attributes = found["Attributes"]
        assert attributes["QueueArn"] == stack.attrs[lid]["Arn"]
        for key in ("VisibilityTimeout", "MessageRetentionPeriod", "KmsMasterKeyId"):
            if key in props:
                assert attributes[key] == str(props[key]), (lid, key)
        if props.get("FifoQueue"):
            assert attributes["FifoQueue"] == "true"
            assert stack.attrs[lid]["QueueName"].endswith(".fifo")
        if "RedrivePolicy" in props:
            redrive = json.loads(attributes["RedrivePolicy"])
            declared = props["RedrivePolicy"]
            assert redrive["deadLetterTargetArn"] == declared["deadLetterTargetArn"], lid
            assert redrive["deadLetterTargetArn"] in queue_arns
            assert int(redrive["maxReceiveCount"]) == int(declared["maxReceiveCount"])
    for resource in template.resources_of_type("AWS::SQS::QueuePolicy").values():
        props = _resolved(stack, resource)
        for url in props["Queues"]:
            policy = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])
            assert json.loads(policy["Attributes"]["Policy"]) == props["PolicyDocument"]


def test_events_keys_and_sign_in_match_the_template(
    deployed: tuple[Template, Stack], aws: Clients
) -> None:
    template, stack = deployed
    events, kms, cognito = aws("events"), aws("kms"), aws("cognito-idp")
    for lid in template.resources_of_type("AWS::Events::EventBus"):
        assert events.describe_event_bus(Name=stack.refs[lid])["Arn"] == stack.attrs[lid]["Arn"]
    for lid, resource in template.resources_of_type("AWS::KMS::Key").items():
        key = kms.describe_key(KeyId=stack.refs[lid])["KeyMetadata"]
        assert key["KeyState"] == "Enabled"
        assert key["Description"] == _resolved(stack, resource).get("Description", "")
    aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]}
    for resource in template.resources_of_type("AWS::KMS::Alias").values():
        props = _resolved(stack, resource)
        assert aliases[props["AliasName"]] == props["TargetKeyId"]
    for lid, resource in template.resources_of_type("AWS::Cognito::UserPool").items():
        props = _resolved(stack, resource)
        pool = cognito.describe_user_pool(UserPoolId=stack.refs[lid])["UserPool"]
        assert pool["Name"] == props["UserPoolName"]
        declared = props.get("Policies", {}).get("PasswordPolicy", {})
        assert {k: pool["Policies"]["PasswordPolicy"][k] for k in declared} == declared
        admin = props.get("AdminCreateUserConfig", {}).get("AllowAdminCreateUserOnly")
        if admin is not None:
            assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is admin
    for lid, resource in template.resources_of_type("AWS::Cognito::UserPoolClient").items():
        props = _resolved(stack, resource)
        client = cognito.describe_user_pool_client(
            UserPoolId=props["UserPoolId"], ClientId=stack.refs[lid]
        )["UserPoolClient"]
        assert client["ClientName"] == props["ClientName"]
        assert sorted(client.get("ExplicitAuthFlows", [])) == sorted(props["ExplicitAuthFlows"])
        for name in ("AllowedOAuthFlows", "AllowedOAuthScopes", "CallbackURLs", "LogoutURLs"):
            assert client.get(name) == props.get(name), (lid, name)


def test_a_scan_dropped_in_the_intake_bucket_is_announced_on_its_queue(
    product: Template, product_stack: Stack, aws: Clients
) -> None:
    bucket = product_stack.refs["IntakeBucket"]
    notification = product.resources["IntakeBucket"]["Properties"]["NotificationConfiguration"]
    queue_arn = product_stack.resolve(notification["QueueConfigurations"][0]["Queue"])
    queue = next(lid for lid, a in product_stack.attrs.items() if a.get("Arn") == queue_arn)
    aws("s3").put_object(Bucket=bucket, Key="inbox/ABC/scan.pdf", Body=b"%PDF-1.7")
    assert "inbox/ABC/scan.pdf" in _announced_keys(aws("sqs"), product_stack.refs[queue])


def _announced_keys(sqs: Any, url: str, timeout: float = 5.0) -> set[str]:
    """Object keys announced on a queue, skipping S3's test events; keys arrive URL-encoded."""
    keys: set[str] = set()
    deadline = time.monotonic() + timeout
    while not keys and time.monotonic() < deadline:
        answer = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for message in answer.get("Messages", []):
            body = json.loads(message["Body"])
            for record in body.get("Records", []):
                keys.add(unquote_plus(record["s3"]["object"]["key"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return keys


# ------------------------------------------------------------------------------------ the fixture


def test_load_reads_functions_triggers_and_routes(fixture_template: Template) -> None:
    worker = fixture_template.functions["Worker"]
    assert worker.code_uri == FIXTURE.parent / "fn"
    assert worker.handler == "app.handler"
    assert (worker.timeout, worker.memory) == (60, 256)
    assert worker.environment["STAGE"] == {"Ref": "Stage"}
    assert worker.environment["SESSIONS_TABLE"] == {"Ref": "SessionsTable"}
    assert fixture_template.queue_triggers == [
        QueueTrigger(
            function="Worker",
            queue="JobsQueue",
            batch_size=5,
            maximum_batching_window=2,
            report_batch_item_failures=True,
        )
    ]
    schedules = {s.kind: s for s in fixture_template.schedules}
    assert schedules["scheduler"] == ScheduleTrigger(
        function="Worker",
        name="WorkerNightly",
        expression="cron(0 1 * * ? *)",
        timezone="Asia/Makassar",
        input={"job": "nightly"},
        kind="scheduler",
    )
    assert schedules["rule"].expression == "rate(1 hour)"
    assert schedules["rule"].input == {"job": "hourly"}
    assert sorted(fixture_template.routes, key=lambda r: r.path) == [
        HttpRoute("GET", "/health", "ApiHandler", None, api="Api"),
        HttpRoute("POST", "/letters/{letter_id}", "ApiHandler", "Jwt", api="Api"),
    ]
    assert fixture_template.authorizers["Jwt"] == Authorizer(
        name="Jwt",
        issuer={"Fn::Sub": "https://issuer.example/${Stage}"},
        audience=["fixture-client"],
        identity_source="$request.header.Authorization",
    )
    assert fixture_template.cors is not None
    assert fixture_template.cors.allow_origins == ["https://a.example", "https://b.example"]
    assert fixture_template.cors.allow_credentials is True


def test_provisioning_the_fixture(
    fixture_template: Template, fixture_stack: Stack, aws: Clients
) -> None:
    ttl = aws("dynamodb").describe_time_to_live(TableName="fixture-test-sessions")
    assert ttl["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED",
        "AttributeName": "expires_at",
    }
    assert fixture_stack.skipped["ProdOnlyTable"] == "condition IsProd is false"
    assert "ProdOnlyTableName" not in fixture_stack.outputs
    with pytest.raises(ResolveError, match="condition IsProd is false"):
        fixture_stack.resolve({"Ref": "ProdOnlyTable"})
    env = fixture_stack.function_environment(fixture_template.functions["Worker"])
    assert env["MODE"] == "relaxed"
    assert env["ORIGINS"] == "https://a.example https://b.example"
    secret = aws("secretsmanager").get_secret_value(SecretId=env["SECRET_ARN"])
    assert set(json.loads(secret["SecretString"])) == {"user", "password"}
    targets = aws("events").list_targets_by_rule(
        Rule=fixture_stack.refs["SignedLettersToJobs"], EventBusName="fixture-test"
    )["Targets"]
    assert [t["Arn"] for t in targets] == [fixture_stack.attrs["JobsQueue"]["Arn"]]
    assert "Worker" in fixture_stack.skipped
    assert "WorkerNightly" in fixture_stack.skipped


def test_reprovisioning_the_fixture_changes_nothing(
    fixture_template: Template, fixture_stack: Stack
) -> None:
    again = provision(
        fixture_template,
        stack_name="fixture-test",
        endpoint_url=fixture_stack.endpoint_url,
        region=REGION,
    )
    assert (again.refs, again.attrs) == (fixture_stack.refs, fixture_stack.attrs)


# ---------------------------------------------------------------------------------- Stack.resolve


@pytest.fixture
def stack() -> Stack:
    return Stack(
        name="s",
        region=REGION,
        account_id="000000000000",
        endpoint_url="http://127.0.0.1:1",
        parameters={"Stage": "dev", "Origins": "https://a,https://b"},
        refs={"Table": "s-Table", "Queue": "http://q"},
        attrs={"Table": {"Arn": "arn:table", "StreamArn": "arn:stream"}, "Queue": {"Arn": "q"}},
        conditions={"IsDev": True, "IsProd": False},
        parameter_types={"Stage": "String", "Origins": "CommaDelimitedList"},
    )


def test_resolve_sub_with_variables_and_attributes(stack: Stack) -> None:
    assert stack.resolve({"Fn::Sub": "${AWS::Region}/${Table}/${Table.Arn}/${!Literal}"}) == (
        f"{REGION}/s-Table/arn:table/${{Literal}}"
    )
    assert stack.resolve(
        {"Fn::Sub": ["${Name}-${AWS::AccountId}", {"Name": {"Ref": "Stage"}}]}
    ) == ("dev-000000000000")


def test_resolve_get_att_both_forms(stack: Stack) -> None:
    assert stack.resolve({"Fn::GetAtt": ["Table", "StreamArn"]}) == "arn:stream"
    assert stack.resolve({"Fn::GetAtt": "Table.Arn"}) == "arn:table"


def test_resolve_if_and_conditions(stack: Stack) -> None:
    assert stack.resolve({"Fn::If": ["IsDev", "a", "b"]}) == "a"
    assert stack.resolve({"Fn::If": ["IsProd", "a", {"Ref": "AWS::NoValue"}]}) is None
    assert stack.resolve({"K": {"Fn::If": ["IsProd", 1, {"Ref": "AWS::NoValue"}]}}) == {}
    assert stack.resolve({"Fn::Not": [{"Condition": "IsProd"}]}) is True
    assert stack.resolve({"Fn::And": [{"Condition": "IsDev"}, {"Fn::Equals": ["1", 1]}]}) is True
    assert stack.resolve({"Fn::Or": [{"Condition": "IsProd"}, False]}) is False


def test_resolve_lists(stack: Stack) -> None:
    assert stack.resolve({"Ref": "Origins"}) == ["https://a", "https://b"]
    assert stack.resolve({"Fn::Join": [",", [{"Ref": "Stage"}, "x"]]}) == "dev,x"
    assert stack.resolve({"Fn::Select": [1, {"Fn::Split": ["/", "a/b/c"]}]}) == "b"


@pytest.mark.parametrize(
    "value",
    [
        {"Ref": "Nope"},
        {"Fn::GetAtt": ["Table", "Nope"]},
        {"Fn::GetAtt": "Nope.Arn"},
        {"Fn::Sub": "${Nope}"},
        {"Fn::If": ["NoSuchCondition", 1, 2]},
    ],
)
def test_resolve_refuses_unknown_references(stack: Stack, value: Any) -> None:
    with pytest.raises(ResolveError):
        stack.resolve(value)


def test_stack_survives_json(stack: Stack) -> None:
    assert Stack.from_json(stack.to_json()) == stack
