"""The monthly TPP report: ask for a run, follow it, freeze the month, download the files, and
explain one employee's month. Routes parse and answer; the service is ``eoffice.tpp.reports``."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.http.caller import caller
from eoffice.http.openapi import operation
from eoffice.tpp.report_models import (
    Explanation,
    FileLink,
    ReportRequest,
    ReportRun,
    ReportStatus,
)

router = APIGatewayHttpRouter()
TAGS = ["tpp"]
MonthPath = Annotated[str, Path(description="YYYY-MM")]
UnitQuery = Annotated[str | None, Query(description="A unit's own report; omitted: the regency's")]
VersionQuery = Annotated[int | None, Query(ge=1, description="Omitted: the latest")]


@router.post(
    "/tpp/reports",
    **operation(
        "requestTppReport",
        "Compute a month's TPP report now, for the regency or one unit (hr)",
        tags=TAGS,
        errors=(403, 404, 409, 422),
        status_code=202,
        description="Queued for the report function; follow it with `GET /tpp/reports/{month}`. "
        "The same data as the latest version publishes nothing new (`unchanged`); other data "
        "publishes the next version with what changed per employee. 409 `month_frozen` for a "
        "frozen month, `run_in_progress` while a run computes it; 422 `month_not_over`.",
    ),
)
def request_run(body: ReportRequest) -> ReportRun:
    from eoffice.tpp import reports

    return reports.request_run(caller(router), body)


@router.get(
    "/tpp/reports/<month>",
    **operation(
        "tppReportStatus",
        "A month's report: its versions, files with SHA-256, whether it is frozen, and the "
        "latest runs (hr)",
        tags=TAGS,
        errors=(403, 404, 422),
    ),
)
def status(month: MonthPath, unit: UnitQuery = None) -> ReportStatus:
    from eoffice.tpp import reports

    return reports.status(caller(router), month, unit)


@router.post(
    "/tpp/reports/<month>/freeze",
    **operation(
        "freezeTppReport",
        "Freeze a paid month's report: it is never computed again (hr)",
        tags=TAGS,
        errors=(403, 404, 409, 422),
    ),
)
def freeze(month: MonthPath, unit: UnitQuery = None) -> ReportStatus:
    from eoffice.tpp import reports

    return reports.freeze(caller(router), month, unit)


@router.get(
    "/tpp/reports/<month>/files",
    **operation(
        "tppReportFiles",
        "Download links (5 minutes) of a version's CSV, XLSX and JSON files (hr)",
        tags=TAGS,
        errors=(403, 404, 422),
    ),
)
def files(month: MonthPath, unit: UnitQuery = None, version: VersionQuery = None) -> list[FileLink]:
    from eoffice.tpp import reports

    return reports.links(caller(router), month, unit, version)


@router.get(
    "/tpp/reports/<month>/employees/<nip>",
    **operation(
        "explainTpp",
        "One employee's month day by day, as a report version computed it (hr, he, his heads)",
        tags=TAGS,
        errors=(403, 404, 422),
    ),
)
def explain(
    month: MonthPath,
    nip: Annotated[str, Path()],
    unit: UnitQuery = None,
    version: VersionQuery = None,
) -> Explanation:
    from eoffice.tpp import reports

    return reports.explain(caller(router), month, nip, unit, version)
