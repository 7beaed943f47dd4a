"""GET /api/dashboard: everything the dashboard shows, in one call (README, the routes table)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from api.errors import ApiError
from services.dashboard_data_service import DashboardDataService, DataUnavailable
from services.metrics_service import RANGE_HOURS


def create_dashboard_blueprint(data: DashboardDataService) -> Blueprint:
    bp = Blueprint("dashboard", __name__)

    @bp.get("/api/dashboard")
    def dashboard() -> Response:
        range_ = request.args.get("range", "24h")
        if range_ not in RANGE_HOURS:
            message = f"expected one of {', '.join(RANGE_HOURS)}"
            raise ApiError(422, "invalid_field", f"range: {message}",
                           fields=[{"field": "range", "message": message}])
        try:
            result = data.dashboard(range_)
        except DataUnavailable as exc:
            raise ApiError(503, "unavailable", str(exc)) from exc
        response = jsonify(result.to_dict())
        response.headers["Cache-Control"] = "no-store"
        return response

    return bp
