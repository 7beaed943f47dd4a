"""GET /api/conversations (one table page as JSON) and GET /api/export.csv (every matching row)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

from flask import Blueprint, Response, jsonify, request, stream_with_context

from api.errors import ApiError
from services.dashboard_models import ConversationQuery
from services.interface import DataUnavailable, Services
from services.table.query import InvalidQuery

log = logging.getLogger(__name__)

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"", "0", "false", "no", "off"})


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


def locations_arg() -> tuple[str, ...]:
    """The ``location`` parameter: ids, repeated and/or comma-separated (none: every
    location the user may see)."""
    return tuple(dict.fromkeys(part.strip() for value in request.args.getlist("location")
                               for part in value.split(",") if part.strip()))


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
        locations=locations_arg(),
    )


def no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"  # personal data: never cached
    return response


def never_cached(bp: Blueprint) -> Blueprint:
    """Every response of ``bp`` is marked ``no-store`` (the routes answer with sellers'
    personal data)."""
    bp.after_request(no_store)
    return bp


def create_table_blueprint(services: Services) -> Blueprint:
    bp = never_cached(Blueprint("table", __name__))

    @bp.get("/api/conversations")
    def conversations() -> Response:
        query = query_from_request()
        try:
            page = services.conversations(query)
        except InvalidQuery as exc:
            raise invalid(exc.parameter, exc.message) from exc
        return jsonify(page.to_dict())

    @bp.get("/api/export.csv")
    def export() -> Response:
        # Full numbers (E.164) for the dialer: the route is behind the login in production.
        try:
            lines = services.export_lines(query_from_request())  # checks the query now: 422
        except InvalidQuery as exc:
            raise invalid(exc.parameter, exc.message) from exc

        def generate() -> Iterator[str]:
            try:
                yield from lines
            except DataUnavailable:
                # Headers are sent already: end the file early and say why in the log.
                log.exception("export interrupted: redis unavailable")

        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
        return Response(
            stream_with_context(generate()), mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="conversations-{stamp}.csv"',
                     "Cache-Control": "no-store"})

    return bp
