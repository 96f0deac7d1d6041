"""TPP rule sets: published by hr, never changed. Routes parse and answer; the service is
``eoffice.tpp.rule_sets`` (a rule set's fields are ``eoffice.tpp.rule_set_models``)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.http.caller import caller
from eoffice.http.openapi import operation
from eoffice.tpp.rule_set_models import RuleSet, RuleSetCreate

router = APIGatewayHttpRouter()
TAGS = ["tpp"]


@router.post(
    "/tpp/rule-sets",
    **operation(
        "publishTppRuleSet",
        "Publish a new version of the TPP rule set (hr)",
        tags=TAGS,
        errors=(403, 409),
        status_code=201,
        description="Every number of the deduction rules: TL and PSW bands, TK, leave rates, "
        "the cap, the no-presence rule, CLTN and rounding. The server numbers the version; a "
        "published version never changes. A month uses the version effective on its first day.",
    ),
)
def publish(body: RuleSetCreate) -> RuleSet:
    from eoffice.tpp import rule_sets

    return rule_sets.publish(caller(router), body)


@router.get(
    "/tpp/rule-sets",
    **operation(
        "listTppRuleSets", "Every published version, oldest first", tags=TAGS, errors=(403,)
    ),
)
def list_all() -> list[RuleSet]:
    from eoffice.tpp import rule_sets

    return rule_sets.list_all(caller(router))


@router.get(
    "/tpp/rule-sets/<version>",
    **operation("getTppRuleSet", "One published version", tags=TAGS, errors=(403, 404)),
)
def get(version: Annotated[int, Path(ge=1)]) -> RuleSet:
    from eoffice.tpp import rule_sets

    return rule_sets.get(caller(router), version)
