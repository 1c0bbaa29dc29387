"""Files in and out: staff imports, CSV/XLSX exports and the JSON-LD open data.

Scope is the API's own: handovers as ``listHandovers`` shows them, continuity as
``getContinuity`` allows, staff (personal data) behind the staff controller's guard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.params import QueryParameter

from app.api.auth import CurrentPrincipal
from app.api.openapi import API_PREFIX
from app.api.params import CbsCodePath, IdPath
from app.api.problems import PROBLEM_JSON, PROBLEM_TYPE_BASE, InvalidParam, Problem
from app.exchange import tables
from app.exchange.open_data import LD_MEDIA_TYPE, open_data
from app.exchange.staff_import import ImportReport, import_staff
from app.handovers.access import visible_handover_ids
from app.schemas import Schema as Body
from app.staff.controllers import staff_scope

MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # 100,000 staff rows are some 10 MB of CSV
CSV = "text/csv"
XLSX = tables.XLSX_MEDIA_TYPE

Format = Annotated[
    Literal["csv", "xlsx"],
    QueryParameter(description="csv (semicolon, UTF-8 with BOM) or xlsx.", required=False),
]


class RowProblemOut(Body):
    line: int
    field: str
    reason: str


class StaffImportResult(Body):
    """What an import did: rows read, rows written, and what was wrong with the others."""

    rows: int
    written: int
    problems: list[RowProblemOut]


class StaffImportProblem(Problem, omit_defaults=True):
    """A 422: the file's rows, and per bad row its line, column and reason."""

    rows: int = 0
    problems: list[RowProblemOut] | None = None


def _binary() -> Schema:
    return Schema(type=OpenAPIType.STRING, format="binary")  # type: ignore[arg-type]


def _documented(
    *, success: dict[str, Schema] | None = None, body: dict[str, Schema] | None = None
) -> type[Operation]:
    """An Operation that declares the non-JSON media types Litestar cannot infer."""

    @dataclass
    class DocumentedOperation(Operation):
        def __post_init__(self) -> None:
            if success and self.responses and "200" in self.responses:
                response = self.responses["200"]
                response.content = {  # type: ignore[union-attr]
                    media: OpenAPIMediaType(schema=schema) for media, schema in success.items()
                }
            if body:
                self.request_body = RequestBody(
                    required=True,
                    description=(
                        "The HR file: CSV (semicolon or comma, UTF-8 with or without BOM, "
                        "Windows-1252) or XLSX, as the raw body or as the multipart field "
                        "'file'. Columns in Dutch or English: personeelsnummer/staff_ref, "
                        "naam/name, functie/function, fte (0,8 or 0.8), dienst/service (a "
                        "service of this handover, by name), grondslag/basis, behoud "
                        "arbeidsvoorwaarden/terms retained (ja/nee), status."
                    ),
                    content={media: OpenAPIMediaType(schema=s) for media, s in body.items()},
                )

    return DocumentedOperation


FILE_RESPONSES = {CSV: Schema(type=OpenAPIType.STRING), XLSX: _binary()}


def _file(table: tables.ExportTable, format: str, name: str) -> Response[bytes]:
    if format == "xlsx":
        content, media = tables.to_xlsx(table), XLSX
    else:
        content, media = tables.to_csv(table), tables.CSV_MEDIA_TYPE
    return Response(
        content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{format}"'},
    )


async def _upload(request: Request) -> tuple[bytes, str]:
    """The uploaded file and a name that tells its format (the content decides when unsure)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        form = await request.form()
        for value in form.values():
            if isinstance(value, UploadFile):
                return await value.read(), value.filename or "upload"
        return b"", "upload"
    data = await request.body()
    if content_type == XLSX:
        return data, "upload.xlsx"
    if content_type in {CSV, "text/plain"}:
        return data, "upload.csv"
    return data, "upload"


def _result(report: ImportReport) -> StaffImportResult:
    return StaffImportResult(
        rows=report.rows,
        written=report.written,
        problems=[
            RowProblemOut(line=p.line, field=p.field, reason=p.reason) for p in report.problems
        ],
    )


class ExchangeController(Controller):
    tags = ["imports and exports"]

    @post(
        "/handovers/{handover_id:uuid}/staff/imports",
        operation_id="importStaffTransfers",
        guards=[staff_scope],
        status_code=200,
        request_max_body_size=MAX_UPLOAD_BYTES,
        operation_class=_documented(
            body={
                CSV: Schema(type=OpenAPIType.STRING),
                "application/octet-stream": _binary(),
                "multipart/form-data": Schema(
                    type=OpenAPIType.OBJECT,
                    properties={"file": _binary()},
                    required=["file"],
                ),
            }
        ),
        responses={
            413: ResponseSpec(data_container=Problem, description="The file is too large."),
            422: ResponseSpec(
                data_container=StaffImportProblem,
                description="Rows are bad; nothing was written. Each bad row is listed.",
            ),
        },
    )
    async def import_staff_file(
        self,
        handover_id: IdPath,
        request: Request,
        principal: CurrentPrincipal,
        skip_invalid: Annotated[
            bool,
            QueryParameter(
                name="skipInvalid",
                description="Write the good rows even when others are bad.",
                required=False,
            ),
        ] = False,
    ) -> Response[StaffImportResult]:
        """Import staff transfers from an HR file (CSV or XLSX); all rows are checked first."""
        data, filename = await _upload(request)
        report = await import_staff(
            handover_id, data, filename, skip_invalid=skip_invalid, actor=principal.actor
        )
        if report.problems and not skip_invalid:
            detail = f"{len(report.problems)} problem(s) in {report.rows} rows; nothing written"
            body = StaffImportProblem(
                type=PROBLEM_TYPE_BASE + "invalid-rows",
                title="Ongeldige regels",
                status=422,
                detail=detail,
                instance=request.url.path,
                invalid_params=[
                    InvalidParam(name=f"line {p.line}: {p.field}", reason=p.reason)
                    for p in report.problems
                ],
                rows=report.rows,
                problems=_result(report).problems,
            )
            return Response(body, status_code=422, media_type=PROBLEM_JSON)  # type: ignore[arg-type]
        return Response(_result(report))

    @get(
        "/exports/handovers",
        operation_id="exportHandovers",
        operation_class=_documented(success=FILE_RESPONSES),
    )
    async def export_handovers(
        self, principal: CurrentPrincipal, format: Format = "csv"
    ) -> Response[bytes]:
        """The handovers this key may see, as a CSV or XLSX file (staff as counts only)."""
        return _file(await tables.handover_table(principal), format, "overdrachten")

    @get(
        "/exports/handovers/{handover_id:uuid}/staff",
        operation_id="exportStaffTransfers",
        guards=[staff_scope],
        operation_class=_documented(success=FILE_RESPONSES),
    )
    async def export_staff(
        self, handover_id: IdPath, principal: CurrentPrincipal, format: Format = "csv"
    ) -> Response[bytes]:
        """A handover's staff transfers with names (personal data), as CSV or XLSX."""
        table = await tables.staff_table(handover_id, principal=principal)
        return _file(table, format, "medewerkers")

    @get(
        "/exports/municipalities/{cbs_code:str}/continuity",
        operation_id="exportContinuity",
        operation_class=_documented(success=FILE_RESPONSES),
    )
    async def export_continuity(
        self, cbs_code: CbsCodePath, principal: CurrentPrincipal, format: Format = "csv"
    ) -> Response[bytes]:
        """A municipality's continuity timeline, every provision with gaps and overlaps."""
        table = await tables.continuity_table(cbs_code, principal=principal)
        return _file(table, format, f"continuiteit-{cbs_code}")

    @get(
        "/open-data",
        operation_id="getOpenData",
        operation_class=_documented(
            success={
                LD_MEDIA_TYPE: Schema(
                    type=OpenAPIType.OBJECT,
                    required=["@context", "@graph"],
                    properties={
                        "@context": Schema(type=OpenAPIType.OBJECT),
                        "@graph": Schema(
                            type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.OBJECT)
                        ),
                    },
                )
            }
        ),
    )
    async def get_open_data(self, request: Request, principal: CurrentPrincipal) -> Response[Any]:
        """Organisations, services, provisions and handovers as JSON-LD (W3C ORG, HSDS names)."""
        base = str(request.base_url).rstrip("/") + API_PREFIX
        document = await open_data(base, await visible_handover_ids(principal))
        return Response(msgspec.json.encode(document), media_type=LD_MEDIA_TYPE)
