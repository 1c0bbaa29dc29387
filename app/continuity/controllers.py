"""Continuity: who delivers what in a municipality on a date, and what went or will go wrong."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

import msgspec
from litestar import Controller, Response, get
from litestar.params import QueryParameter

from app.access.roles import Principal
from app.access.scope import allowed_municipality_codes, check_municipality_allowed
from app.answer_cache import cached_answer
from app.api.auth import CurrentPrincipal
from app.api.encoded_answers import EncodedAnswer, encode_answer, send_encoded
from app.api.pagination import Cursor, Limit
from app.api.params import CbsCodePath, KnownOn, OnDate, as_aware
from app.continuity import queries
from app.continuity.documents import (
    issue_list,
    service_list,
)
from app.continuity.schemas import (
    Continuity,
    ContinuityIssue,
    SuccessorContinuity,
)
from app.continuity.sources import source_for
from app.dates import today
from app.errors import InvalidInput
from app.fields import CBS_CODE_QUERY
from app.identifiers import check_cbs_code
from app.schemas import MunicipalityRef, Page


@cached_answer(unless=lambda arguments: arguments["known_on"] is not None)
async def continuity_document(
    cbs_code: str, on: date, known_on: datetime | None
) -> EncodedAnswer[Continuity]:
    """The continuity answer, built once per registry state (callers must not change it)."""
    answer = await queries.continuity_on(cbs_code, on, source_for(known_on))
    document = Continuity(
        municipality=MunicipalityRef(code=answer.answering.code, name=answer.answering.name),
        requested_code=answer.requested.code,
        on=answer.on,
        services=service_list(answer),
    )
    if answer.split_over:
        document.successors = [
            SuccessorContinuity(
                municipality=MunicipalityRef(
                    code=part.answer.answering.code, name=part.answer.answering.name
                ),
                part=part.part or None,
                services=service_list(part.answer),
            )
            for part in answer.split_over
        ]
        named = ", ".join(s.municipality.code for s in document.successors)
        unknown = any(s.part is None for s in document.successors)
        document.note = (
            f"{answer.answering.code} {answer.answering.name} ended on "
            f"{answer.answering.valid_to} and was split over {named}; "
            + (
                "the registry cannot tell which part went where, so it answers for each of them"
                if unknown
                else "each answers for the part it covers"
            )
        )
    return encode_answer(document)


async def within_scope(
    encoded: EncodedAnswer[Continuity], principal: Principal
) -> EncodedAnswer[Continuity]:
    """A split municipality's answer with only the successors the key may see."""
    document = encoded.document
    if document.successors is msgspec.UNSET:
        return encoded
    allowed = await allowed_municipality_codes(principal)
    if allowed is None:
        return encoded
    return encode_answer(
        msgspec.structs.replace(
            document,
            successors=[s for s in document.successors if s.municipality.code in allowed],
        )
    )


class ContinuityController(Controller):
    tags = ["continuity"]

    @get("/municipalities/{cbs_code:str}/continuity", operation_id="getContinuity")
    async def get_continuity(
        self,
        cbs_code: CbsCodePath,
        principal: CurrentPrincipal,
        on: OnDate = None,
        known_on: KnownOn = None,
    ) -> Response[Continuity]:
        """Who delivers each service in a municipality on a date; what is planned and promised."""
        check_cbs_code(cbs_code, field="cbsCode")
        encoded = await continuity_document(cbs_code, on or today(), as_aware(known_on))
        await check_municipality_allowed(principal, encoded.document.requested_code)
        return send_encoded(await within_scope(encoded, principal))

    @get("/continuity/issues", operation_id="listContinuityIssues")
    async def list_issues(
        self,
        principal: CurrentPrincipal,
        municipality: Annotated[
            str | None,
            QueryParameter(
                description="CBS code; without it, nationwide.", required=False, **CBS_CODE_QUERY
            ),
        ] = None,
        start: Annotated[
            date | None,
            QueryParameter(
                name="from", description="First day (default: a year ago).", required=False
            ),
        ] = None,
        end: Annotated[
            date | None,
            QueryParameter(
                name="to", description="Day after the last (default: today).", required=False
            ),
        ] = None,
        known_on: KnownOn = None,
        include_planned: Annotated[
            bool,
            QueryParameter(
                name="includePlanned",
                description="Judge the timeline as the handovers not yet effective will make it.",
                required=False,
            ),
        ] = False,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Page[ContinuityIssue]:
        """Gaps, overlaps and guarantee breaches in a period."""
        end = end or today() + timedelta(days=1)
        start = start or end - timedelta(days=366)
        if end <= start:
            raise InvalidInput("'to' must lie after 'from'", field="to")
        allowed = await allowed_municipality_codes(principal)
        if municipality is not None:
            check_cbs_code(municipality, field="municipality")
            await check_municipality_allowed(principal, municipality)
        elif allowed is not None:
            raise InvalidInput(
                "a municipality key must name its municipality", field="municipality"
            )
        found = await queries.continuity_issues(
            municipality,
            start,
            end,
            include_planned=include_planned,
            source=source_for(as_aware(known_on)),
        )
        issues = issue_list(found)
        offset = _offset(cursor)
        page = issues[offset : offset + limit]
        more = offset + limit < len(issues)
        return Page(items=page, next=str(offset + limit) if more else None)


def _offset(cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not cursor.isdigit():
        raise InvalidInput("the cursor is not one this API handed out", field="cursor")
    return int(cursor)
