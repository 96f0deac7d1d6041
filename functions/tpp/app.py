"""The TPP function: rule sets, disciplinary penalties, report requests, their status, frozen
months, downloads and explanations. The report itself runs in functions/tpp_report: this
function never loads a report writer."""

from __future__ import annotations

from aws_lambda_powertools.logging import correlation_paths
from eoffice import settings
from eoffice.http.app import build_resolver, serve
from eoffice.observability import instrumented
from routes import penalties, reports, rule_sets

# Read and validated at cold start: a missing or malformed variable fails the first invocation.
SETTINGS = settings.load(settings.TppSettings)

app = build_resolver(
    [rule_sets.router, penalties.router, reports.router],
    title="e-Office Kabupaten Luwu Timur: TPP",
    description="TPP rule sets, disciplinary penalties and the monthly report.",
)

handler = instrumented(
    lambda event, context: serve(app, event, context),
    correlation_id_path=correlation_paths.API_GATEWAY_HTTP,
    sdk_tracing=False,
)
