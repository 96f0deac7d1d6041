"""The attendance function: daily status and corrections, the review queue, devices, work
schedules, and leave and official travel.

Check-ins themselves go to the lean check-in function (functions/checkin), routed by the template:
they come in bursts at 07:30 and must not wait for this function's router to load.
"""

from __future__ import annotations

from aws_lambda_powertools.logging import correlation_paths
from eoffice import settings
from eoffice.http.app import build_resolver, serve
from eoffice.observability import instrumented
from routes import days, devices, flags, leaves, schedules

# Read and validated at cold start: a missing or malformed variable fails the first invocation.
SETTINGS = settings.load(settings.AttendanceSettings)

app = build_resolver(
    [days.router, flags.router, devices.router, schedules.router, leaves.router],
    title="e-Office Kabupaten Luwu Timur: presensi",
    description="Attendance days, corrections, the review queue, devices, schedules and leave.",
)

handler = instrumented(
    lambda event, context: serve(app, event, context),
    correlation_id_path=correlation_paths.API_GATEWAY_HTTP,
    sdk_tracing=False,
)
