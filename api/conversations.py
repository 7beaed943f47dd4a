"""REST routes for one conversation: read, human takeover, appointment outcome, forget."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import BadRequest

from api.errors import ApiError
from api.table import never_cached
from core.keys import ID_PATTERN
from services.interface import APPOINTMENT_OUTCOMES, NoAppointment, Services


def create_conversations_blueprint(services: Services) -> Blueprint:
    bp = never_cached(Blueprint("conversations", __name__))

    def locate(contact_id: str) -> str:
        """The contact's location: ?location_id= when given, else the one that has it."""
        if not ID_PATTERN.match(contact_id):
            raise ApiError(422, "invalid_field", "contact_id: invalid id",
                           fields=[{"field": "contact_id", "message": "invalid id"}])
        location = request.args.get("location_id")
        if location is not None and not ID_PATTERN.match(location):
            raise ApiError(422, "invalid_field", "location_id: invalid id",
                           fields=[{"field": "location_id", "message": "invalid id"}])
        if location is None:
            found = services.find_locations(contact_id)
            if len(found) > 1:
                raise ApiError(409, "ambiguous_contact",
                               f"contact {contact_id} exists in {len(found)} locations; "
                               "name one with ?location_id=", locations=found)
            location = found[0] if found else None
        if location is None:
            raise ApiError(404, "not_found", f"no conversation for contact {contact_id}")
        return location

    def found(contact_id: str, detail: dict | None) -> Response:
        if detail is None:
            raise ApiError(404, "not_found", f"no conversation for contact {contact_id}")
        return jsonify(detail)

    @bp.get("/api/conversations/<contact_id>")
    def get_one(contact_id: str) -> Response:
        return found(contact_id, services.detail(locate(contact_id), contact_id))

    def set_paused(contact_id: str, paused: bool) -> Response:
        return found(contact_id, services.set_paused(locate(contact_id), contact_id, paused))

    @bp.post("/api/conversations/<contact_id>/pause")
    def pause(contact_id: str) -> Response:
        return set_paused(contact_id, True)

    @bp.post("/api/conversations/<contact_id>/resume")
    def resume(contact_id: str) -> Response:
        return set_paused(contact_id, False)

    @bp.post("/api/conversations/<contact_id>/outcome")
    def outcome(contact_id: str) -> Response:
        """How the appointment went: {"outcome": "held|no_show|under_contract|dead"}."""
        try:
            body = request.get_json(force=True)
        except BadRequest as exc:
            raise ApiError(400, "invalid_json", "the body is not JSON") from exc
        value = body.get("outcome") if isinstance(body, dict) else None
        if value not in APPOINTMENT_OUTCOMES:
            message = f"must be one of {', '.join(APPOINTMENT_OUTCOMES)}"
            raise ApiError(422, "invalid_field", f"outcome: {message}",
                           fields=[{"field": "outcome", "message": message}])
        try:
            detail = services.record_outcome(locate(contact_id), contact_id, value)
        except NoAppointment as exc:
            raise ApiError(409, "no_appointment",
                           f"contact {contact_id} has no appointment to record") from exc
        return found(contact_id, detail)

    @bp.post("/api/conversations/<contact_id>/dead-letters/<entry_id>/retry")
    def retry_dead_letter(contact_id: str, entry_id: str) -> Response:
        """Queue a reply or CRM update that failed for good again (GoHighLevel two-way)."""
        location = locate(contact_id)
        if not services.retry_dead_letter(location, contact_id, entry_id):
            raise ApiError(404, "not_found", f"no dead letter {entry_id} for {contact_id}")
        return jsonify({"status": "queued", "contact_id": contact_id, "entry_id": entry_id})

    @bp.delete("/api/conversations/<contact_id>")
    def forget(contact_id: str) -> Response:
        location = locate(contact_id)
        if not services.delete(location, contact_id):
            raise ApiError(404, "not_found", f"no conversation for contact {contact_id}")
        return jsonify({"status": "deleted", "contact_id": contact_id})

    return bp
