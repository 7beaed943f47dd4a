"""GET /api/conversations (one table page as JSON) and GET /api/export.csv (every matching row)."""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import fields, replace
from datetime import UTC, datetime

import redis
from flask import Blueprint, Response, jsonify, request, stream_with_context

from api.errors import ApiError
from core.redis_client import CANNOT_READ
from services.dashboard_models import ConversationQuery, ConversationRow
from services.table.index import ConversationIndex
from services.table.query import InvalidQuery

log = logging.getLogger(__name__)

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"", "0", "false", "no", "off"})
CSV_COLUMNS = [f.name for f in fields(ConversationRow)]
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CHUNK_ROWS = 200
E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def e164(phone: str | None) -> str | None:
    """A full number as a dialer takes it ("(909) 555-0123" -> "+19095550123", NANP numbers
    without a country code taken as +1); masked or unreadable numbers are returned as they are."""
    if not phone or "•" in phone:
        return phone
    digits = "".join(ch for ch in phone if ch.isdigit())
    if phone.strip().startswith("+"):
        candidate = f"+{digits}"
    elif len(digits) == 10:
        candidate = f"+1{digits}"
    elif len(digits) == 11 and digits.startswith("1"):
        candidate = f"+{digits}"
    else:
        return phone
    return candidate if E164.match(candidate) else phone


def invalid(parameter: str, message: str) -> ApiError:
    return ApiError(422, "invalid_field", f"{parameter}: {message}",
                    fields=[{"field": parameter, "message": message}])


def _int_arg(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise invalid(name, "must be an integer") from None


def _bool_arg(name: str) -> bool:
    raw = request.args.get(name, "").strip().lower()
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise invalid(name, "must be true or false")


def query_from_request() -> ConversationQuery:
    """The table query from the URL; blank filters mean "all"."""
    defaults = ConversationQuery()
    return ConversationQuery(
        page=_int_arg("page", defaults.page),
        page_size=_int_arg("page_size", defaults.page_size),
        temperature=request.args.get("temperature") or None,
        stage=request.args.get("stage") or None,
        stalled=_bool_arg("stalled"),
        q=request.args.get("q") or None,
        sort=request.args.get("sort") or defaults.sort,
        order=(request.args.get("order") or defaults.order).lower(),
        reveal_phone=_bool_arg("reveal_phone"),
        needs_human=_bool_arg("needs_human"),
        segment=request.args.get("segment") or None,
    )


def csv_cell(value: object) -> object:
    """The value as a spreadsheet cell that can never run as a formula (an E.164 number,
    "+" and digits only, is not one)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not E164.match(value):
        return "'" + value
    return value


def csv_lines(rows: Iterator[ConversationRow]) -> Iterator[str]:
    """A header line, then the rows, a few hundred per chunk; UTF-8 BOM so Excel reads accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(rows, start=1):
        writer.writerow([csv_cell(e164(row.phone) if name == "phone" else getattr(row, name))
                         for name in CSV_COLUMNS])
        if count % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def create_table_blueprint(index: ConversationIndex) -> Blueprint:
    bp = Blueprint("table", __name__)

    @bp.after_request
    def no_store(response: Response) -> Response:
        response.headers["Cache-Control"] = "no-store"  # personal data: never cached
        return response

    @bp.get("/api/conversations")
    def conversations() -> Response:
        query = query_from_request()
        try:
            page = index.page(query)
        except InvalidQuery as exc:
            raise invalid(exc.parameter, exc.message) from exc
        except CANNOT_READ as exc:
            raise ApiError(503, "unavailable", "storage unavailable, retry later") from exc
        return jsonify(page.to_dict())

    @bp.get("/api/export.csv")
    def export() -> Response:
        # Full numbers (E.164) for the dialer: the route is behind the login in production.
        query = replace(query_from_request(), reveal_phone=True)
        try:
            rows = index.iter_rows(query)  # validates now, so a bad parameter is a 422
        except InvalidQuery as exc:
            raise invalid(exc.parameter, exc.message) from exc

        def generate() -> Iterator[str]:
            try:
                yield from csv_lines(rows)
            except redis.RedisError:
                # Headers are sent already: end the file early and say why in the log.
                log.exception("export interrupted: redis unavailable")

        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
        return Response(
            stream_with_context(generate()), mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="conversations-{stamp}.csv"',
                     "Cache-Control": "no-store"})

    return bp
