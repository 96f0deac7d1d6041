"""The web app's hosting in template.yaml (docs/decisions/0020-web-hosting.md): a private bucket
only its distribution reads, origin access control, SPA routing by a function (not by error
pages), the response headers policy, the no-cache files, and the optional custom domain."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from eoffice_local.provision import ProvisionError, Stack, offline_stack
from eoffice_local.template import Template, TemplateError, load
from eoffice_local.web_host import NO_CACHE, spa_path

ROOT = Path(__file__).resolve().parents[2]
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CERTIFICATE = "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


@pytest.fixture(scope="module")
def template() -> Template:
    return load(ROOT / "template.yaml")


def _distribution(template: Template) -> dict[str, Any]:
    return template.resources["WebDistribution"]["Properties"]["DistributionConfig"]


def _headers_policy(template: Template) -> dict[str, Any]:
    props = template.resources["WebSecurityHeaders"]["Properties"]
    return props["ResponseHeadersPolicyConfig"]


def test_the_web_bucket_is_private_and_read_by_its_distribution_alone(template: Template) -> None:
    bucket = template.resources["WebBucket"]["Properties"]
    assert all(v is True for v in bucket["PublicAccessBlockConfiguration"].values())
    assert len(bucket["PublicAccessBlockConfiguration"]) == 4
    assert bucket["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert bucket["VersioningConfiguration"]["Status"] == "Enabled"
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    (policy,) = [
        p["Properties"]
        for p in template.resources_of_type("AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": "WebBucket"}
    ]
    statements = policy["PolicyDocument"]["Statement"]
    allowed = [s for s in statements if s["Effect"] == "Allow"]
    assert allowed and {s["Action"] for s in allowed} == {"s3:GetObject", "s3:ListBucket"}
    this_distribution = (
        "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${WebDistribution}"
    )
    for statement in allowed:
        assert statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}
        assert statement["Condition"] == {
            "StringEquals": {"AWS:SourceArn": {"Fn::Sub": this_distribution}}
        }
    (tls,) = [s for s in statements if s["Effect"] == "Deny"]
    assert tls["Principal"] == "*" and tls["Action"] == "s3:*"
    assert tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_the_distribution_signs_its_requests_to_the_bucket(template: Template) -> None:
    oac = template.resources["WebOriginAccessControl"]["Properties"]["OriginAccessControlConfig"]
    assert oac["OriginAccessControlOriginType"] == "s3"
    assert oac["SigningBehavior"] == "always" and oac["SigningProtocol"] == "sigv4"
    (origin,) = _distribution(template)["Origins"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["WebOriginAccessControl", "Id"]}
    assert origin["DomainName"] == {"Fn::GetAtt": ["WebBucket", "RegionalDomainName"]}
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}, "no legacy OAI"


def test_the_distribution_serves_indonesia_over_https_compressed(template: Template) -> None:
    config = _distribution(template)
    assert config["DefaultRootObject"] == "index.html"
    assert config["HttpVersion"] == "http2and3"
    assert config["PriceClass"] in {"PriceClass_200", "PriceClass_All"}, "edges in Asia"
    behaviours = [config["DefaultCacheBehavior"], *config["CacheBehaviors"]]
    for behaviour in behaviours:
        assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
        assert behaviour["Compress"] is True
        assert behaviour["ResponseHeadersPolicyId"] == {"Fn::GetAtt": ["WebSecurityHeaders", "Id"]}
        assert behaviour["AllowedMethods"] == ["GET", "HEAD"]
    assert config["DefaultCacheBehavior"]["CachePolicyId"] == CACHING_OPTIMIZED


def test_the_entry_the_worker_and_the_config_are_never_kept_at_the_edge(
    template: Template,
) -> None:
    behaviours = {b["PathPattern"]: b for b in _distribution(template)["CacheBehaviors"]}
    assert {"/index.html", "/config.json", "/sw.js"} <= set(behaviours)
    assert {f"/{name}" for name in NO_CACHE} == set(behaviours), "as publish_web.py sets them"
    for behaviour in behaviours.values():
        policy_id = behaviour["CachePolicyId"]["Fn::GetAtt"][0]
        config = template.resources[policy_id]["Properties"]["CachePolicyConfig"]
        assert config["MinTTL"] == 0 and config["DefaultTTL"] == 0, "the object's no-cache counts"
        encodings = config["ParametersInCacheKeyAndForwardedToOrigin"]
        assert encodings["EnableAcceptEncodingGzip"] and encodings["EnableAcceptEncodingBrotli"]


def test_spa_routing_is_a_viewer_request_function_not_error_pages(template: Template) -> None:
    """Custom error responses (403/404 to /index.html) would answer a missing asset or a real
    refusal with 200 and HTML; the function rewrites only paths without a file extension."""
    config = _distribution(template)
    assert "CustomErrorResponses" not in config
    (association,) = config["DefaultCacheBehavior"]["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    assert association["FunctionARN"] == {
        "Fn::GetAtt": ["WebRoutingFunction", "FunctionMetadata.FunctionARN"]
    }
    function = template.resources["WebRoutingFunction"]["Properties"]
    assert function["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    assert function["AutoPublish"] is True


URIS = [
    "/",
    "/surat/abc",
    "/masuk/selesai",
    "/disposisi/01J9ZK/tugas",
    "/index.html",
    "/assets/index-C4fe91Ab.js",
    "/assets/missing.js",
    "/sw.js",
    "/config.json",
    "/surat/abc.pdf",
    "/v1.2/surat",
]


@pytest.mark.skipif(shutil.which("node") is None, reason="node runs the CloudFront function")
def test_the_routing_function_and_the_local_host_route_alike(template: Template) -> None:
    code = template.resources["WebRoutingFunction"]["Properties"]["FunctionCode"]
    script = code + (
        "const uris = JSON.parse(process.argv[1]);\n"
        "console.log(JSON.stringify(uris.map(u => handler({request: {uri: u}}).uri)));\n"
    )
    done = subprocess.run(
        ["node", "-e", script, json.dumps(URIS)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    routed = json.loads(done.stdout)
    assert routed == [spa_path(uri) for uri in URIS]
    assert dict(zip(URIS, routed, strict=True))["/surat/abc"] == "/index.html"
    assert dict(zip(URIS, routed, strict=True))["/assets/missing.js"] == "/assets/missing.js"


def _csp_text(template: Template) -> str:
    csp = _headers_policy(template)["SecurityHeadersConfig"]["ContentSecurityPolicy"]
    assert csp["Override"] is True
    return str(csp["ContentSecurityPolicy"]["Fn::Sub"][0])


def _directives(csp: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in csp.split("; ")}


def test_the_content_security_policy_allows_no_inline_or_eval(template: Template) -> None:
    directives = _directives(_csp_text(template))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["worker-src"] == ["'self'"], "pdf.js's worker is the app's own file"
    assert "${Api}" in directives["connect-src"] and "${SignIn}" in directives["connect-src"]
    assert directives["form-action"] == ["'self'", "${SignIn}"]
    for values in directives.values():
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "https:"} & set(values)


def test_the_content_security_policy_fits_cloudfronts_limit(template: Template) -> None:
    """CloudFront takes at most 1,783 characters; with the longest names S3 allows."""
    stack = offline_stack(template, name="e" * 60, region="ap-southeast-3", account_id="1" * 12)
    stack.refs.update({b: "b" * 63 for b in template.resources_of_type("AWS::S3::Bucket")})
    stack.refs["HttpApi"] = "a1b2c3d4e5"
    stack.refs["UserPoolDomain"] = "d" * 63  # the longest prefix Cognito takes
    csp = _headers_policy(template)["SecurityHeadersConfig"]["ContentSecurityPolicy"]
    resolved = stack.resolve(csp["ContentSecurityPolicy"])
    assert "https://a1b2c3d4e5.execute-api.ap-southeast-3.amazonaws.com" in resolved
    assert (
        f"form-action 'self' https://{'d' * 63}.auth.ap-southeast-3.amazoncognito.com" in resolved
    )
    assert len(resolved) <= 1783, len(resolved)


def _img_src(template: Template, **parameters: str) -> list[str]:
    if parameters:
        template = load(ROOT / "template.yaml", parameters)
    stack = offline_stack(template, name="eoffice", region="ap-southeast-3", account_id="1" * 12)
    stack.refs.update({b: "bucket" for b in template.resources_of_type("AWS::S3::Bucket")})
    stack.refs.update({"HttpApi": "api", "UserPoolDomain": "pool"})
    csp = _headers_policy(template)["SecurityHeadersConfig"]["ContentSecurityPolicy"]
    return _directives(str(stack.resolve(csp["ContentSecurityPolicy"])))["img-src"]


def test_the_basemap_origin_alone_is_added_to_img_src(template: Template) -> None:
    """ADR 0027: the tile server's images are allowed only when BasemapUrl names one."""
    without = _img_src(template)
    assert without == [
        "'self'",
        "data:",
        "blob:",
        "https://s3.ap-southeast-3.amazonaws.com/bucket/",
    ]
    tiles = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert _img_src(template, BasemapUrl=tiles) == [*without, "https://tile.openstreetmap.org"]


def test_the_basemap_url_must_be_https_on_one_host(template: Template) -> None:
    pattern = re.compile(template.raw["Parameters"]["BasemapUrl"]["AllowedPattern"])
    assert pattern.match("") and pattern.match("https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    for bad in (
        "http://tile.example.org/{z}/{x}/{y}.png",
        "https://{s}.tile.example.org/{z}/{x}/{y}.png",
        "https://tile.example.org/{z}/{x}/{y}.png; script-src *",
    ):
        assert not pattern.match(bad), bad


def test_the_security_headers(template: Template) -> None:
    security = _headers_policy(template)["SecurityHeadersConfig"]
    hsts = security["StrictTransportSecurity"]
    assert hsts["AccessControlMaxAgeSec"] >= 63072000, "two years, as preload lists ask"
    assert hsts["IncludeSubdomains"] is True and hsts["Preload"] is True
    assert security["FrameOptions"]["FrameOption"] == "DENY"
    assert security["ContentTypeOptions"]["Override"] is True
    assert security["ReferrerPolicy"]["ReferrerPolicy"] == "strict-origin-when-cross-origin"
    (permissions,) = _headers_policy(template)["CustomHeadersConfig"]["Items"]
    assert permissions["Header"] == "Permissions-Policy"
    allowed = [p.strip() for p in permissions["Value"].split(",") if "(self)" in p]
    assert allowed == ["geolocation=(self)", "camera=(self)"]


def _stack(template: Template) -> Stack:
    return offline_stack(
        template, name="eoffice-prod", region="ap-southeast-3", account_id="1" * 12
    )


def test_without_a_custom_domain_the_cloudfront_name_serves(template: Template) -> None:
    stack = _stack(template)
    assert stack.conditions["HasWebDomain"] is False
    config = _distribution(template)
    assert stack.resolve(config["Aliases"]) is None
    assert stack.resolve(config["ViewerCertificate"]) == {"CloudFrontDefaultCertificate": True}


def test_a_custom_domain_gets_its_alias_and_a_modern_tls_policy() -> None:
    parameters = {"WebDomainName": "eoffice.luwutimurkab.go.id", "WebCertificateArn": CERTIFICATE}
    template = load(ROOT / "template.yaml", parameters)
    stack = _stack(template)
    assert stack.conditions["HasWebDomain"] is True
    config = _distribution(template)
    assert stack.resolve(config["Aliases"]) == ["eoffice.luwutimurkab.go.id"]
    assert stack.resolve(config["ViewerCertificate"]) == {
        "AcmCertificateArn": CERTIFICATE,
        "SslSupportMethod": "sni-only",
        "MinimumProtocolVersion": "TLSv1.2_2021",
    }
    stack.refs["WebDistribution"] = "E2QWRUHAPOMQZL"
    url = stack.resolve(template.outputs["WebUrl"]["Value"])
    assert url == "https://eoffice.luwutimurkab.go.id"


@pytest.mark.parametrize(
    "parameters",
    [{"WebDomainName": "eoffice.luwutimurkab.go.id"}, {"WebCertificateArn": CERTIFICATE}],
    ids=["domain-without-certificate", "certificate-without-domain"],
)
def test_a_domain_and_its_certificate_come_together(parameters: dict[str, str]) -> None:
    template = load(ROOT / "template.yaml", parameters)
    with pytest.raises(ProvisionError, match=r"WebDomainNeedsItsCertificate|WebCertificateNeeds"):
        _stack(template)


def test_the_certificate_must_be_cloudfronts_in_us_east_1() -> None:
    elsewhere = CERTIFICATE.replace("us-east-1", "ap-southeast-3")
    parameters = {"WebDomainName": "eoffice.luwutimurkab.go.id", "WebCertificateArn": elsewhere}
    with pytest.raises(TemplateError, match="WebCertificateArn"):
        load(ROOT / "template.yaml", parameters)


def test_the_outputs_name_the_web_url_bucket_and_distribution(template: Template) -> None:
    assert {"WebUrl", "WebBucketName", "WebDistributionId"} <= set(template.outputs)


def test_the_app_reaches_the_api_directly_with_preflights_kept_long(template: Template) -> None:
    """ADR 0020: the API is not behind the distribution; a browser keeps a preflight for as
    long as Chromium allows (7200 s), so a weak network pays its round trip rarely."""
    assert template.cors is not None
    assert template.cors.max_age == 7200
    assert {"authorization", "content-type"} <= set(template.cors.allow_headers)
    origins = _distribution(template)["Origins"]
    assert [o["Id"] for o in origins] == ["web-bucket"], "no /api/* origin"


@pytest.mark.parametrize(
    ("parameters", "rp_id", "origins"),
    [
        ({}, "localhost", "http://localhost:3001"),
        ({"WebAuthnRpId": "d1234abcd.cloudfront.net"}, "d1234abcd.cloudfront.net",
         "https://d1234abcd.cloudfront.net"),
        ({"WebDomainName": "eoffice.luwutimurkab.go.id", "WebCertificateArn": CERTIFICATE},
         "eoffice.luwutimurkab.go.id", "https://eoffice.luwutimurkab.go.id"),
        ({"WebAuthnRpId": "localhost"}, "localhost", "http://localhost:3001"),
    ],
)  # fmt: skip
def test_web_check_ins_expect_the_apps_own_host(
    parameters: dict[str, str], rp_id: str, origins: str
) -> None:
    """ADR 0024: the relying party id and the origins assertions may come from, in both functions
    that check them; without a domain, the cloudfront.net name given as WebAuthnRpId."""
    template = load(ROOT / "template.yaml", parameters)
    stack = offline_stack(template, name="eoffice", region="ap-southeast-3", account_id="1" * 12)
    for function in ("CheckInFunction", "AttendanceFunction"):
        variables = template.functions[function].environment
        assert stack.resolve(variables["WEBAUTHN_RP_ID"]) == rp_id, function
        assert stack.resolve(variables["WEBAUTHN_ORIGINS"]) == origins, function
