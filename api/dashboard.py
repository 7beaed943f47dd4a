"""GET /api/dashboard: everything the dashboard shows, in one call (README, the routes table),
for the ``location`` ids given (repeated or comma-separated; none: every location)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from api.errors import ApiError
from api.table import locations_arg, never_cached
from services.interface import Services
from services.range_spec import InvalidRange, RangeSpec


def create_dashboard_blueprint(services: Services) -> Blueprint:
    bp = never_cached(Blueprint("dashboard", __name__))

    @bp.get("/api/dashboard")
    def dashboard() -> Response:
        try:
            spec = RangeSpec.parse(request.args.get("range"), request.args.get("start"),
                                   request.args.get("end"))
        except InvalidRange as exc:
            raise ApiError(422, "invalid_field", str(exc),
                           fields=[{"field": exc.parameter, "message": exc.message}]) from exc
        return jsonify(services.dashboard(spec, locations_arg()).to_dict())

    return bp
